/** {@code tributary processor}: the traces, logs and metrics pipelines as Kafka Streams applications. */
package io.tributary.platform.processor;
