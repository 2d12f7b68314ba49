package io.tributary.sinks.remotewrite;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.tributary.schemas.prometheus.RemoteWriteProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Encodes samples as a remote_write 1.0 {@code prometheus.WriteRequest} (protobuf, the messages and
 * field numbers of {@link RemoteWriteProto}) and compresses it with snappy's block format. Samples of
 * one series go into one {@code TimeSeries} in the order given (the order the store must see them
 * in). An instance keeps its arrays and buffers for the next batch; not thread-safe (one per shard
 * thread).
 *
 * The exemplars of a series' samples follow its samples, in the samples' order.
 */
final class WriteRequestEncoder {

  /** The working arrays of one encoding, kept for the next (each shard sends batch after batch). */
  private int[] table = new int[0];
  private int[] heads = new int[0];
  private int[] next = new int[0];
  private int[] tail = new int[0];
  private int[] sampleSizes = new int[0];
  private int[] seriesSizes = new int[0];
  private byte[] raw = new byte[0];
  private byte[] compressed;
  private int compressedLength;

  /** The uncompressed {@code WriteRequest}. */
  static byte[] encode(List<RemoteWriteSample> samples) {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    int length = encoder.encodeRaw(samples);
    return Arrays.copyOf(encoder.raw, length);
  }

  /** The snappy-compressed {@code WriteRequest}, the body of a remote_write POST. */
  static byte[] encodeCompressed(List<RemoteWriteSample> samples) {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    encoder.compress(samples);
    return Arrays.copyOf(encoder.compressed(), encoder.compressedLength());
  }

  /**
   * Encodes and compresses {@code samples} into this encoder's buffer: {@link #compressed()} up to
   * {@link #compressedLength()}, valid until the next call.
   */
  void compress(List<RemoteWriteSample> samples) {
    int length = encodeRaw(samples);
    int max = Snappy.maxCompressedLength(length);
    if (compressed == null || compressed.length < max) {
      compressed = new byte[Math.max(max, compressed == null ? 0 : compressed.length + compressed.length / 2)];
    }
    try {
      compressedLength = Snappy.compress(raw, 0, length, compressed, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression failed", e);
    }
  }

  byte[] compressed() {
    return compressed;
  }

  int compressedLength() {
    return compressedLength;
  }

  /** Encodes into {@link #raw}; returns the length. */
  private int encodeRaw(List<RemoteWriteSample> samples) {
    // Samples grouped by series without a collection per series: an open-addressing table finds a
    // series' first sample, and each sample links to the next of its series.
    int n = samples.size();
    int capacity = Integer.highestOneBit(Math.max(4, 2 * n) - 1) << 1;
    if (table.length < capacity) {
      table = new int[capacity];
    } else {
      Arrays.fill(table, 0, capacity, 0);
    }
    if (heads.length < n) {
      heads = new int[n];
      next = new int[n];
      tail = new int[n];
      sampleSizes = new int[n];
      seriesSizes = new int[n];
    }
    int seriesCount = 0;
    boolean exemplars = false;
    for (int i = 0; i < n; i++) {
      RemoteWriteSample sample = samples.get(i);
      sampleSizes[i] = sampleSize(sample);
      exemplars |= !sample.exemplars().isEmpty();
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
    for (int h = 0; h < seriesCount; h++) {
      int size = samples.get(heads[h]).series().encodedLabels().length;
      for (int i = heads[h]; i >= 0; i = next[i]) {
        size += CodedOutputStream.computeTagSize(RemoteWriteProto.TIME_SERIES_SAMPLES) + CodedOutputStream.computeUInt32SizeNoTag(sampleSizes[i])
            + sampleSizes[i];
      }
      for (int i = heads[h]; exemplars && i >= 0; i = next[i]) {
        for (RemoteWriteExemplar e : samples.get(i).exemplars()) {
          int exemplarSize = exemplarSize(e);
          size += CodedOutputStream.computeTagSize(RemoteWriteProto.TIME_SERIES_EXEMPLARS) + CodedOutputStream.computeUInt32SizeNoTag(exemplarSize)
              + exemplarSize;
        }
      }
      seriesSizes[h] = size;
      total += CodedOutputStream.computeTagSize(RemoteWriteProto.WRITE_REQUEST_TIMESERIES) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
    if (raw.length < total) {
      raw = new byte[Math.max(total, raw.length + raw.length / 2)];
    }
    CodedOutputStream out = CodedOutputStream.newInstance(raw, 0, total);
    try {
      for (int h = 0; h < seriesCount; h++) {
        out.writeTag(RemoteWriteProto.WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(seriesSizes[h]);
        out.writeRawBytes(samples.get(heads[h]).series().encodedLabels());
        for (int i = heads[h]; i >= 0; i = next[i]) {
          RemoteWriteSample s = samples.get(i);
          out.writeTag(RemoteWriteProto.TIME_SERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(sampleSizes[i]);
          out.writeDouble(RemoteWriteProto.SAMPLE_VALUE, s.value());
          if (s.timestampMs() != 0) {
            out.writeInt64(RemoteWriteProto.SAMPLE_TIMESTAMP, s.timestampMs());
          }
        }
        for (int i = heads[h]; exemplars && i >= 0; i = next[i]) {
          for (RemoteWriteExemplar e : samples.get(i).exemplars()) {
            out.writeTag(RemoteWriteProto.TIME_SERIES_EXEMPLARS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(exemplarSize(e));
            out.writeRawBytes(e.labels().encodedLabels());
            out.writeDouble(RemoteWriteProto.EXEMPLAR_VALUE, e.value());
            if (e.timestampMs() != 0) {
              out.writeInt64(RemoteWriteProto.EXEMPLAR_TIMESTAMP, e.timestampMs());
            }
          }
        }
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return total;
  }

  private static int exemplarSize(RemoteWriteExemplar e) {
    return e.labels().encodedLabels().length + CodedOutputStream.computeDoubleSize(RemoteWriteProto.EXEMPLAR_VALUE, e.value())
        + (e.timestampMs() != 0 ? CodedOutputStream.computeInt64Size(RemoteWriteProto.EXEMPLAR_TIMESTAMP, e.timestampMs()) : 0);
  }

  private static int sampleSize(RemoteWriteSample s) {
    // proto3 would skip a 0.0 value; writing it always is valid and simpler (and keeps -0.0).
    return CodedOutputStream.computeDoubleSize(RemoteWriteProto.SAMPLE_VALUE, s.value())
        + (s.timestampMs() != 0 ? CodedOutputStream.computeInt64Size(RemoteWriteProto.SAMPLE_TIMESTAMP, s.timestampMs()) : 0);
  }
}
