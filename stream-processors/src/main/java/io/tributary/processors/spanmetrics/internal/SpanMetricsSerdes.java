package io.tributary.processors.spanmetrics.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary forms of {@link SpanCounts} (the deltas on the repartition topic, the local store)
 * and {@link SeriesState} (the per-series store), each led by a format version. Bytes this version
 * cannot read come back as null, which the processors count and skip.
 */
public final class SpanMetricsSerdes {

  private static final byte VERSION = 1;
  private static final int COUNTS_FIXED_BYTES = 8 + 8 + 8 + 8 + 8 + 4;
  private static final int STATE_FIXED_BYTES = 8 + 8 + 8 + 1;
  /** Guards against a corrupt length asking for a huge array. */
  private static final int MAX_BUCKETS = 1024;

  private SpanMetricsSerdes() {}

  /** For deltas. */
  public static Serde<SpanCounts> counts() {
    Serializer<SpanCounts> serializer = (topic, counts) -> {
      if (counts == null) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.allocate(1 + countsSize(counts));
      buffer.put(VERSION);
      writeCounts(buffer, counts);
      return buffer.array();
    };
    Deserializer<SpanCounts> deserializer = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return buffer.get() == VERSION ? readCounts(buffer) : null;
      } catch (BufferUnderflowException | IllegalArgumentException e) {
        return null;
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static Serde<SeriesState> state() {
    Serializer<SeriesState> serializer = (topic, state) -> {
      if (state == null) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.allocate(1 + STATE_FIXED_BYTES + countsSize(state.counts));
      buffer.put(VERSION);
      buffer.putLong(state.startMs).putLong(state.lastUpdateMs).putLong(state.lastEmitMs).put((byte) (state.dirty ? 1 : 0));
      writeCounts(buffer, state.counts);
      return buffer.array();
    };
    Deserializer<SeriesState> deserializer = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.get() != VERSION) {
          return null;
        }
        long startMs = buffer.getLong();
        long lastUpdateMs = buffer.getLong();
        long lastEmitMs = buffer.getLong();
        boolean dirty = buffer.get() != 0;
        SpanCounts counts = readCounts(buffer);
        return counts == null ? null : new SeriesState(counts, startMs, lastUpdateMs, lastEmitMs, dirty);
      } catch (BufferUnderflowException | IllegalArgumentException e) {
        return null;
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  private static int countsSize(SpanCounts counts) {
    return COUNTS_FIXED_BYTES + 8 * counts.buckets.length;
  }

  private static void writeCounts(ByteBuffer buffer, SpanCounts counts) {
    buffer.putLong(counts.calls).putLong(counts.errors).putDouble(counts.sum).putDouble(counts.min)
        .putDouble(counts.max).putInt(counts.buckets.length);
    for (long bucket : counts.buckets) {
      buffer.putLong(bucket);
    }
  }

  private static SpanCounts readCounts(ByteBuffer buffer) {
    long calls = buffer.getLong();
    long errors = buffer.getLong();
    double sum = buffer.getDouble();
    double min = buffer.getDouble();
    double max = buffer.getDouble();
    int bucketCount = buffer.getInt();
    if (bucketCount < 1 || bucketCount > MAX_BUCKETS) {
      return null;
    }
    SpanCounts counts = new SpanCounts(bucketCount);
    counts.calls = calls;
    counts.errors = errors;
    counts.sum = sum;
    counts.min = min;
    counts.max = max;
    for (int i = 0; i < bucketCount; i++) {
      counts.buckets[i] = buffer.getLong();
    }
    return counts;
  }
}
