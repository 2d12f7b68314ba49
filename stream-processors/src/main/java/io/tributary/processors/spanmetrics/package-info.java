/**
 * Span metrics of the traces pipeline: their configuration ({@link
 * io.tributary.processors.spanmetrics.SpanMetricsConfig}, {@link
 * io.tributary.processors.spanmetrics.SpanDimension}), the step that adds them to a topology with
 * metric and store names ({@link io.tributary.processors.spanmetrics.SpanMetrics}), and their counts
 * ({@link io.tributary.processors.spanmetrics.SpanMetricsStats}).
 */
package io.tributary.processors.spanmetrics;
