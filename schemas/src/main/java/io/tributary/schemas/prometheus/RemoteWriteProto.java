package io.tributary.schemas.prometheus;

/**
 * The field numbers of remote_write 1.0's protobuf messages (Prometheus' {@code prompb} package),
 * the parts Tributary reads and writes:
 *
 * <pre>
 * WriteRequest   { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
 * TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3;
 *                  repeated Histogram histograms = 4; }
 * Label          { string name = 1; string value = 2; }
 * Sample         { double value = 1; int64 timestamp = 2; }
 * Exemplar       { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 *
 * Timestamps are milliseconds since the epoch. The body of a request is the {@code WriteRequest}
 * compressed with snappy's block format.
 */
public final class RemoteWriteProto {

  public static final int WRITE_REQUEST_TIMESERIES = 1;
  public static final int WRITE_REQUEST_METADATA = 3;

  public static final int TIME_SERIES_LABELS = 1;
  public static final int TIME_SERIES_SAMPLES = 2;
  public static final int TIME_SERIES_EXEMPLARS = 3;
  /** Native histograms, which Tributary does not read. */
  public static final int TIME_SERIES_HISTOGRAMS = 4;

  public static final int LABEL_NAME = 1;
  public static final int LABEL_VALUE = 2;

  public static final int SAMPLE_VALUE = 1;
  public static final int SAMPLE_TIMESTAMP = 2;

  public static final int EXEMPLAR_LABELS = 1;
  public static final int EXEMPLAR_VALUE = 2;
  public static final int EXEMPLAR_TIMESTAMP = 3;

  public static final int METADATA_TYPE = 1;
  public static final int METADATA_FAMILY_NAME = 2;
  public static final int METADATA_HELP = 4;
  public static final int METADATA_UNIT = 5;

  /** Prometheus' staleness marker: a NaN with this exact bit pattern ends a series. */
  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  private RemoteWriteProto() {}

  /** Whether {@code value} is the staleness marker (not just any NaN). */
  public static boolean isStaleMarker(double value) {
    return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
  }
}
