package io.tributary.gateway.internal;

/**
 * Why one item (span, log record, metric, remote_write sample) of an otherwise valid request was
 * rejected. The request still succeeds with a partial-success count; nothing of a rejected item is
 * written.
 */
enum RejectReason {
  INVALID_TRACE_ID("invalid_trace_id", "trace_id must be 16 bytes and not all zero"),
  INVALID_SPAN_ID("invalid_span_id", "span_id must be 8 bytes and not all zero"),
  INVALID_PARENT_SPAN_ID("invalid_parent_span_id", "parent_span_id must be empty or 8 bytes"),
  MISSING_METRIC_NAME("missing_metric_name", "metric name must not be empty"),
  TOO_LARGE("too_large", "item too large for one Kafka record"),
  NATIVE_HISTOGRAM("native_histogram",
      "native histograms are not read from remote_write 1.0; scrape classic histograms or send them over OTLP");

  /** The metric tag value. */
  final String tag;
  /** What the client should fix, for the partial-success message. */
  final String explanation;

  RejectReason(String tag, String explanation) {
    this.tag = tag;
    this.explanation = explanation;
  }
}
