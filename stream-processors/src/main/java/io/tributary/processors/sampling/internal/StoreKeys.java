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

  /**
   * Span buffer values: a chunk of one or more spans of the trace that arrived together (in one
   * input record), each as its record timestamp (8 bytes), its length (4 bytes) and the span in
   * Avro single-object encoding. An entry written before chunks existed holds one span without the
   * length; its Avro bytes start with the single-object marker {@code 0xC3}, which a length (the
   * high byte of a span under 16 MiB is 0) never does.
   */
  static final class ChunkWriter {

    private static final int ENTRY_HEADER = Long.BYTES + Integer.BYTES;
    private byte[] bytes = new byte[4096];
    private int size;

    void reset() {
      size = 0;
      if (bytes.length > 1 << 22) { // a huge trace does not keep its buffer for the next one
        bytes = new byte[4096];
      }
    }

    /** Appends one span to the chunk being filled. */
    void append(long timestamp, byte[] span) {
      int needed = size + ENTRY_HEADER + span.length;
      if (needed > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(needed, 2 * bytes.length));
      }
      ByteBuffer.wrap(bytes, size, ENTRY_HEADER).putLong(timestamp).putInt(span.length);
      System.arraycopy(span, 0, bytes, size + ENTRY_HEADER, span.length);
      size = needed;
    }

    boolean isEmpty() {
      return size == 0;
    }

    /** The chunk so far, a copy the caller may keep. */
    byte[] toBytes() {
      return Arrays.copyOf(bytes, size);
    }
  }

  /** Receives the spans of a buffer value, one by one. */
  interface BufferedSpanConsumer {
    void accept(long timestamp, byte[] span);
  }

  private static final byte SINGLE_OBJECT_MARKER = (byte) 0xC3;

  /** Calls {@code consumer} with each span of a buffer value (a chunk, or a single span of the older layout). */
  static void forEachBuffered(byte[] value, BufferedSpanConsumer consumer) {
    ByteBuffer in = ByteBuffer.wrap(value);
    if (value.length > Long.BYTES && value[Long.BYTES] == SINGLE_OBJECT_MARKER) {
      consumer.accept(in.getLong(0), Arrays.copyOfRange(value, Long.BYTES, value.length));
      return;
    }
    while (in.remaining() >= Long.BYTES + Integer.BYTES) {
      long timestamp = in.getLong();
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalStateException("span buffer entry cut short: " + length + " bytes announced, "
            + in.remaining() + " left");
      }
      byte[] span = new byte[length];
      in.get(span);
      consumer.accept(timestamp, span);
    }
  }
}
