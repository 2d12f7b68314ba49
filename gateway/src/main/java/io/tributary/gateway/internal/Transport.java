package io.tributary.gateway.internal;

/** How a request arrived; a metric tag. */
enum Transport {
  GRPC("grpc"),
  HTTP("http"),
  /** {@code /api/v1/write}; metrics only. */
  PROMETHEUS_REMOTE_WRITE("prometheus_remote_write");

  final String tag;

  Transport(String tag) {
    this.tag = tag;
  }

  /** Whether {@code signal} can arrive this way (only those combinations have meters). */
  boolean carries(OtlpSignal signal) {
    return this != PROMETHEUS_REMOTE_WRITE || signal == OtlpSignal.METRICS;
  }
}
