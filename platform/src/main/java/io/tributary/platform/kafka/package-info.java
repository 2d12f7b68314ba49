/** The Kafka side of {@code tributary dev}: the hidden role that runs the embedded broker. */
package io.tributary.platform.kafka;
