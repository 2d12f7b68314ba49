package io.tributary.processors.servicegraph.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One side of a request waiting for the other: a client or producer span stored under its own span
 * id, or a server or consumer span stored under its parent's (or linked) span id.
 *
 * @param client whether this is the calling side
 * @param messaging whether the span is a producer or consumer
 * @param service the span's {@code service.name}
 * @param peer for a client, the uninstrumented peer it names (a virtual node if no server span comes); else null
 * @param arrivedMs wall-clock time it was stored, for the wait
 */
record HalfEdge(boolean client, boolean messaging, boolean failed, String service, String peer, long durationNanos,
    long arrivedMs) {

  private static final byte VERSION = 1;
  private static final int CLIENT = 1;
  private static final int MESSAGING = 2;
  private static final int FAILED = 4;
  private static final int MAX_TEXT_BYTES = 1 << 16;

  double seconds() {
    return Math.max(0, durationNanos) / 1e9;
  }

  /** Led by a format version; bytes this version cannot read come back as null, which the pairer counts and drops. */
  static Serde<HalfEdge> serde() {
    Serializer<HalfEdge> serializer = (topic, half) -> {
      if (half == null) {
        return null;
      }
      byte[] service = half.service.getBytes(StandardCharsets.UTF_8);
      byte[] peer = half.peer == null ? null : half.peer.getBytes(StandardCharsets.UTF_8);
      ByteBuffer buffer = ByteBuffer.allocate(1 + 1 + 8 + 8 + 4 + service.length + 4 + (peer == null ? 0 : peer.length));
      buffer.put(VERSION);
      buffer.put((byte) ((half.client ? CLIENT : 0) | (half.messaging ? MESSAGING : 0) | (half.failed ? FAILED : 0)));
      buffer.putLong(half.durationNanos).putLong(half.arrivedMs);
      buffer.putInt(service.length).put(service);
      buffer.putInt(peer == null ? -1 : peer.length);
      if (peer != null) {
        buffer.put(peer);
      }
      return buffer.array();
    };
    Deserializer<HalfEdge> deserializer = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.get() != VERSION) {
          return null;
        }
        int flags = buffer.get();
        long durationNanos = buffer.getLong();
        long arrivedMs = buffer.getLong();
        String service = text(buffer);
        String peer = text(buffer);
        return service == null ? null : new HalfEdge((flags & CLIENT) != 0, (flags & MESSAGING) != 0,
            (flags & FAILED) != 0, service, peer, durationNanos, arrivedMs);
      } catch (BufferUnderflowException | IllegalArgumentException e) {
        return null;
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  private static String text(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0 || length > MAX_TEXT_BYTES) {
      return null;
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
