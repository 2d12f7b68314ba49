package io.tributary.gateway.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks that bytes are well-formed UTF-8 the way protobuf parsers do for proto3 {@code string}
 * fields (no overlong forms, no surrogates, nothing above U+10FFFF), eight ASCII bytes at a time.
 */
final class Utf8Check {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Check() {}

  static boolean isValid(byte[] b, int i, int end) {
    while (end - i >= 8 && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
      i += 8;
    }
    while (i < end) {
      int lead = b[i] & 0xff;
      if (lead < 0x80) {
        i++;
      } else if (lead < 0xc2) {
        return false; // continuation byte as lead, or overlong two-byte form
      } else if (lead < 0xe0) {
        if (end - i < 2 || !continuation(b[i + 1])) {
          return false;
        }
        i += 2;
      } else if (lead < 0xf0) {
        if (end - i < 3) {
          return false;
        }
        int b1 = b[i + 1] & 0xff;
        if (!continuation(b[i + 1]) || !continuation(b[i + 2])
            || (lead == 0xe0 && b1 < 0xa0) // overlong
            || (lead == 0xed && b1 > 0x9f)) { // surrogates
          return false;
        }
        i += 3;
      } else {
        if (lead > 0xf4 || end - i < 4) {
          return false;
        }
        int b1 = b[i + 1] & 0xff;
        if (!continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])
            || (lead == 0xf0 && b1 < 0x90) // overlong
            || (lead == 0xf4 && b1 > 0x8f)) { // above U+10FFFF
          return false;
        }
        i += 4;
      }
    }
    return true;
  }

  private static boolean continuation(byte b) {
    return (b & 0xc0) == 0x80;
  }
}
