/**
 * {@code tributary processor}: the traces, logs and metrics pipelines as Kafka Streams applications,
 * with their Prometheus {@code /metrics} and health checks on one HTTP port.
 */
package io.tributary.platform.processor;
