package io.tributary.testsupport;

import static io.tributary.schemas.prometheus.RemoteWriteProto.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds remote_write 1.0 {@code WriteRequest}s (uncompressed protobuf) as a sender writes them,
 * with the field numbers of {@code RemoteWriteProto}; for tests of the receiving side.
 *
 * <pre>{@code
 * byte[] body = RemoteWriteRequests.builder()
 *     .series(new String[] {"__name__", "up", "job", "api"}, 1_000, 1.0)
 *     .metadata(1, "http_requests_total", "Requests.")
 *     .build();
 * }</pre>
 */
public final class RemoteWriteRequests {

  private final ByteArrayOutputStream request = new ByteArrayOutputStream();

  private RemoteWriteRequests() {}

  public static RemoteWriteRequests builder() {
    return new RemoteWriteRequests();
  }

  /** One series ({@code labels}: name, value, ...) with one sample. */
  public RemoteWriteRequests series(String[] labels, long timestampMs, double value) {
    return series(labels, new long[] {timestampMs}, new double[] {value});
  }

  /** One series with samples at {@code timestampsMs} of {@code values}. */
  public RemoteWriteRequests series(String[] labels, long[] timestampsMs, double[] values) {
    return series(labels, timestampsMs, values, 0);
  }

  /** One series with samples and {@code nativeHistograms} (empty) native histogram fields. */
  public RemoteWriteRequests series(String[] labels, long[] timestampsMs, double[] values, int nativeHistograms) {
    ByteString.Output ts = ByteString.newOutput();
    write(ts, out -> {
      for (int i = 0; i < labels.length; i += 2) {
        out.writeBytes(TIME_SERIES_LABELS, label(labels[i], labels[i + 1]));
      }
      for (int i = 0; i < timestampsMs.length; i++) {
        ByteString.Output sample = ByteString.newOutput();
        int index = i;
        write(sample, s -> {
          s.writeDouble(SAMPLE_VALUE, values[index]);
          s.writeInt64(SAMPLE_TIMESTAMP, timestampsMs[index]);
        });
        out.writeBytes(TIME_SERIES_SAMPLES, sample.toByteString());
      }
      for (int i = 0; i < nativeHistograms; i++) {
        out.writeBytes(TIME_SERIES_HISTOGRAMS, ByteString.EMPTY);
      }
    });
    write(request, out -> out.writeBytes(WRITE_REQUEST_TIMESERIES, ts.toByteString()));
    return this;
  }

  /** A {@code MetricMetadata}; {@code type} as Prometheus numbers it (1 counter, 2 gauge, 3 histogram...). */
  public RemoteWriteRequests metadata(int type, String familyName, String help) {
    ByteString.Output meta = ByteString.newOutput();
    write(meta, out -> {
      out.writeEnum(METADATA_TYPE, type);
      out.writeString(METADATA_FAMILY_NAME, familyName);
      out.writeString(METADATA_HELP, help);
    });
    write(request, out -> out.writeBytes(WRITE_REQUEST_METADATA, meta.toByteString()));
    return this;
  }

  public byte[] build() {
    return request.toByteArray();
  }

  private static ByteString label(String name, String value) {
    ByteString.Output label = ByteString.newOutput();
    write(label, out -> {
      out.writeString(LABEL_NAME, name);
      out.writeString(LABEL_VALUE, value);
    });
    return label.toByteString();
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static void write(java.io.OutputStream target, Writer writer) {
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(target);
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
