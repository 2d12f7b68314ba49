package io.tributary.sinks.remotewrite;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Encodes samples as a remote_write 1.0 {@code prometheus.WriteRequest} (protobuf) and compresses
 * it with snappy's block format. Samples of one series go into one {@code TimeSeries} in the order
 * given (the order the store must see them in).
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 */
final class WriteRequestEncoder {

  private WriteRequestEncoder() {}

  /** The uncompressed {@code WriteRequest}. */
  static byte[] encode(List<RemoteWriteSample> samples) {
    Map<Series, List<RemoteWriteSample>> bySeries = new LinkedHashMap<>();
    for (RemoteWriteSample s : samples) {
      bySeries.computeIfAbsent(s.series(), k -> new ArrayList<>(4)).add(s);
    }
    int total = 0;
    int[] seriesSizes = new int[bySeries.size()];
    int i = 0;
    for (Map.Entry<Series, List<RemoteWriteSample>> e : bySeries.entrySet()) {
      int size = e.getKey().encodedLabels().length;
      for (RemoteWriteSample s : e.getValue()) {
        int sampleSize = sampleSize(s);
        size += CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(sampleSize) + sampleSize;
      }
      seriesSizes[i++] = size;
      total += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
    byte[] bytes = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      i = 0;
      for (Map.Entry<Series, List<RemoteWriteSample>> e : bySeries.entrySet()) {
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(seriesSizes[i++]);
        out.writeRawBytes(e.getKey().encodedLabels());
        for (RemoteWriteSample s : e.getValue()) {
          out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(sampleSize(s));
          out.writeDouble(1, s.value());
          if (s.timestampMs() != 0) {
            out.writeInt64(2, s.timestampMs());
          }
        }
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }

  /** The snappy-compressed {@code WriteRequest}, the body of a remote_write POST. */
  static byte[] encodeCompressed(List<RemoteWriteSample> samples) {
    try {
      return Snappy.compress(encode(samples));
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression failed", e);
    }
  }

  private static int sampleSize(RemoteWriteSample s) {
    // proto3 would skip a 0.0 value; writing it always is valid and simpler (and keeps -0.0).
    return CodedOutputStream.computeDoubleSize(1, s.value())
        + (s.timestampMs() != 0 ? CodedOutputStream.computeInt64Size(2, s.timestampMs()) : 0);
  }
}
