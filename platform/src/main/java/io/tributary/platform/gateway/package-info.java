/** {@code tributary gateway}: the OTLP gateway as its own role, against an existing Kafka cluster. */
package io.tributary.platform.gateway;
