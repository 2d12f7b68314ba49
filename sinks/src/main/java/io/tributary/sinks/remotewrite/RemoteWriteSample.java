package io.tributary.sinks.remotewrite;

import io.tributary.schemas.prometheus.RemoteWriteProto;
import java.util.List;

/**
 * One sample of one series, as remote_write sends it: milliseconds since the epoch and a float,
 * with the exemplars that go with it (a counter's, or those of the histogram bucket they fall in).
 */
record RemoteWriteSample(Series series, long timestampMs, double value, List<RemoteWriteExemplar> exemplars) {

  /** Prometheus' staleness marker: a NaN with this exact bit pattern ends a series. */
  static final double STALE_NAN = Double.longBitsToDouble(RemoteWriteProto.STALE_NAN_BITS);

  RemoteWriteSample(Series series, long timestampMs, double value) {
    this(series, timestampMs, value, List.of());
  }
}
