package io.tributary.sinks.remotewrite;

/** One sample of one series, as remote_write sends it: milliseconds since the epoch and a float. */
record RemoteWriteSample(Series series, long timestampMs, double value) {

  /** Prometheus' staleness marker: a NaN with this exact bit pattern ends a series. */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);
}
