package io.tributary.processors.sampling.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What was decided for a trace, remembered so late spans follow it.
 *
 * @param keep whether the trace was kept
 * @param name the policy that kept it, the drop rule that dropped it, or
 *     {@link SamplingCounters#NO_POLICY} when no policy matched
 * @param decidedAtMs wall-clock time of the decision
 */
record Decision(boolean keep, String name, long decidedAtMs) {

  private static final byte VERSION = 1;

  byte[] encode() {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + Long.BYTES + nameBytes.length)
        .put(VERSION).put((byte) (keep ? 1 : 0)).putLong(decidedAtMs).put(nameBytes).array();
  }

  static Decision decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version != VERSION) {
      throw new IllegalStateException("sampling decision version " + version + " (expected: " + VERSION + ")");
    }
    boolean keep = in.get() == 1;
    long decidedAt = in.getLong();
    return new Decision(keep, new String(bytes, in.position(), in.remaining(), StandardCharsets.UTF_8), decidedAt);
  }
}
