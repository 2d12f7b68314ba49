package io.tributary.testsupport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Arrays;

/**
 * Fuzzer-chosen edits of a valid input, for the fuzz tests of the gateway's request parsing and the
 * pipelines' raw-record decoding: starting from a valid body reaches deep into a parser far sooner
 * than random bytes do.
 */
public final class FuzzedEdits {

  /** Up to four edits of {@code valid}: set, flip, insert, delete, duplicate, truncate. */
  public static byte[] mutate(byte[] valid, FuzzedDataProvider data) {
    byte[] body = valid;
    int edits = data.consumeInt(0, 4);
    for (int e = 0; e < edits && body.length > 0; e++) {
      int at = data.consumeInt(0, body.length - 1);
      body = switch (data.consumeInt(0, 5)) {
        case 0 -> set(body, at, data.consumeByte());
        case 1 -> set(body, at, (byte) (body[at] ^ (1 << data.consumeInt(0, 7))));
        case 2 -> splice(body, at, 0, data.consumeBytes(data.consumeInt(1, 16)));
        case 3 -> splice(body, at, Math.min(body.length - at, data.consumeInt(1, 64)), new byte[0]);
        case 4 -> splice(body, at, 0, Arrays.copyOfRange(body, at, Math.min(body.length, at + data.consumeInt(1, 256))));
        default -> Arrays.copyOf(body, at);
      };
    }
    return body;
  }

  private static byte[] set(byte[] body, int at, byte value) {
    byte[] copy = body.clone();
    copy[at] = value;
    return copy;
  }

  private static byte[] splice(byte[] body, int at, int remove, byte[] insert) {
    byte[] out = new byte[body.length - remove + insert.length];
    System.arraycopy(body, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(body, at + remove, out, at + insert.length, body.length - at - remove);
    return out;
  }

  private FuzzedEdits() {}
}
