/**
 * The Prometheus remote_write 1.0 sink: {@code MetricPoint} records to any Prometheus-compatible
 * store (Prometheus, VictoriaMetrics, Mimir, Thanos Receive), with OpenTelemetry-to-Prometheus
 * naming, series sharding that keeps each series in order, retries, and bisection of refused
 * batches so only the refused samples reach the dead-letter queue.
 */
package io.tributary.sinks.remotewrite;
