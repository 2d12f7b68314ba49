package io.tributary.processors.sampling.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary keys of the sampling stores. Big-endian numbers, so RocksDB's byte order is numeric order:
 * a trace's spans are one contiguous range, and the index stores scan from the earliest time up.
 *
 * <ul>
 *   <li>span buffer: trace id (16 bytes) + sequence number (4 bytes);
 *   <li>trace summaries, decisions: trace id (16 bytes);
 *   <li>deadline and decision-expiry indexes: epoch millis (8 bytes) + trace id (16 bytes).
 * </ul>
 */
final class StoreKeys {

  static final int TRACE_ID_BYTES = 16;
  private static final int TIMED_BYTES = Long.BYTES + TRACE_ID_BYTES;
  private static final byte[] MAX_TRACE_ID = new byte[TRACE_ID_BYTES];

  static {
    Arrays.fill(MAX_TRACE_ID, (byte) 0xff);
  }

  private StoreKeys() {}

  /** The 16 bytes of a 32-hex-digit trace id, or null when it is not one. */
  static byte[] traceId(String hex) {
    if (hex == null || hex.length() != 2 * TRACE_ID_BYTES) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static Bytes trace(byte[] traceId) {
    return Bytes.wrap(traceId);
  }

  static Bytes span(byte[] traceId, int sequence) {
    return Bytes.wrap(ByteBuffer.allocate(TRACE_ID_BYTES + Integer.BYTES).put(traceId).putInt(sequence).array());
  }

  /** An index key; negative times (a clock before 1970) sort as 0. */
  static Bytes timed(long epochMillis, byte[] traceId) {
    return Bytes.wrap(ByteBuffer.allocate(TIMED_BYTES).putLong(Math.max(0, epochMillis)).put(traceId).array());
  }

  /** The last index key at {@code epochMillis}: a range scan up to it sees every entry due then. */
  static Bytes timedUpTo(long epochMillis) {
    return timed(epochMillis, MAX_TRACE_ID);
  }

  static Bytes timedFromStart() {
    return timed(0, new byte[TRACE_ID_BYTES]);
  }

  static long time(Bytes timedKey) {
    return ByteBuffer.wrap(timedKey.get()).getLong(0);
  }

  static byte[] traceIdOfTimed(Bytes timedKey) {
    return Arrays.copyOfRange(timedKey.get(), Long.BYTES, TIMED_BYTES);
  }

  /** Span buffer values: the record timestamp (8 bytes), then the span in Avro single-object encoding. */
  static byte[] bufferValue(long timestamp, byte[] span) {
    return ByteBuffer.allocate(Long.BYTES + span.length).putLong(timestamp).put(span).array();
  }

  static long bufferedTimestamp(byte[] value) {
    return ByteBuffer.wrap(value).getLong(0);
  }

  static byte[] bufferedSpan(byte[] value) {
    return Arrays.copyOfRange(value, Long.BYTES, value.length);
  }
}
