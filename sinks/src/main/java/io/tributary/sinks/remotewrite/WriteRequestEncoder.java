package io.tributary.sinks.remotewrite;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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
    // Samples grouped by series without a collection per series: an open-addressing table finds a
    // series' first sample, and each sample links to the next of its series.
    int n = samples.size();
    int capacity = Integer.highestOneBit(Math.max(4, 2 * n) - 1) << 1;
    int[] table = new int[capacity]; // 1 + index of a series' first sample; 0: empty
    int[] heads = new int[n];
    int[] next = new int[n];
    int[] tail = new int[n];
    int[] sampleSizes = new int[n];
    int seriesCount = 0;
    for (int i = 0; i < n; i++) {
      RemoteWriteSample sample = samples.get(i);
      sampleSizes[i] = sampleSize(sample);
      next[i] = -1;
      Series series = sample.series();
      int slot = (series.hashCode() * 0x9E3779B9) >>> 1 & (capacity - 1);
      while (true) {
        int entry = table[slot];
        if (entry == 0) {
          table[slot] = i + 1;
          heads[seriesCount++] = i;
          tail[i] = i;
          break;
        }
        int head = entry - 1;
        if (samples.get(head).series().equals(series)) {
          next[tail[head]] = i;
          tail[head] = i;
          break;
        }
        slot = (slot + 1) & (capacity - 1);
      }
    }
    int total = 0;
    int[] seriesSizes = new int[seriesCount];
    for (int h = 0; h < seriesCount; h++) {
      int size = samples.get(heads[h]).series().encodedLabels().length;
      for (int i = heads[h]; i >= 0; i = next[i]) {
        size += CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(sampleSizes[i])
            + sampleSizes[i];
      }
      seriesSizes[h] = size;
      total += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
    byte[] bytes = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (int h = 0; h < seriesCount; h++) {
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(seriesSizes[h]);
        out.writeRawBytes(samples.get(heads[h]).series().encodedLabels());
        for (int i = heads[h]; i >= 0; i = next[i]) {
          RemoteWriteSample s = samples.get(i);
          out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(sampleSizes[i]);
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
