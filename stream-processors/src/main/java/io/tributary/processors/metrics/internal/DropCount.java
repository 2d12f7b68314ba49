package io.tributary.processors.metrics.internal;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Points of one capped metric dropped on one partition: the cumulative count behind the
 * {@code tributary.metrics.series_dropped} point, what was last reported, and times.
 */
final class DropCount {

  private static final int BYTES = 5 * Long.BYTES;

  long count;
  long reported;
  final long startMs;
  long lastDropMs;
  long lastReportMs;

  DropCount(long count, long reported, long startMs, long lastDropMs, long lastReportMs) {
    this.count = count;
    this.reported = reported;
    this.startMs = startMs;
    this.lastDropMs = lastDropMs;
    this.lastReportMs = lastReportMs;
  }

  static Serde<DropCount> serde() {
    Serializer<DropCount> serializer = (topic, drop) -> drop == null ? null : ByteBuffer.allocate(BYTES)
        .putLong(drop.count).putLong(drop.reported).putLong(drop.startMs).putLong(drop.lastDropMs)
        .putLong(drop.lastReportMs).array();
    Deserializer<DropCount> deserializer = (topic, bytes) -> {
      if (bytes == null || bytes.length != BYTES) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      return new DropCount(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
