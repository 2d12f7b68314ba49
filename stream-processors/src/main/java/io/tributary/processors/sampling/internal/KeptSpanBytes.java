package io.tributary.processors.sampling.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Spans of kept traces as output bytes, made from their buffered encoding (Avro single-object
 * encoding of the Span schema {@link SpanEncoder} writes) without decoding them: the deciding
 * policy is written into the bytes, and the tenant read from them. Decoding a span with Avro and
 * encoding it again cost more than everything else done to a kept span.
 *
 * <p>This relies on the layout of that one schema (checked by its fingerprint in the header):
 * {@code tenant} is its first field and {@code samplingPolicy}, a {@code ["null", "string"]} union,
 * its last, so a span without a policy ends with the null branch, the single byte 0. Spans are
 * buffered without a policy. Bytes of any other schema get null, and the caller decodes them.
 */
final class KeptSpanBytes {

  private static final byte[] KNOWN_HEADER = SpanEncoder.header(SpanEncoder.SCHEMA_FINGERPRINT);
  private static final byte NULL_BRANCH = 0;
  /** Union branch 1 (string), zig-zag encoded. */
  private static final byte STRING_BRANCH = 2;

  private KeptSpanBytes() {}

  /** The span with {@code samplingPolicy} = {@code policy}, or null when these bytes are not of the known layout. */
  static byte[] withPolicy(byte[] span, String policy) {
    return withPolicy(span, policyField(policy));
  }

  /**
   * The span with its policy field replaced by {@code policyField} (see {@link #policyField}), or
   * null when these bytes are not of the known layout.
   */
  static byte[] withPolicy(byte[] span, byte[] policyField) {
    if (!hasKnownLayout(span) || span[span.length - 1] != NULL_BRANCH) {
      return null;
    }
    byte[] kept = Arrays.copyOf(span, span.length - 1 + policyField.length);
    System.arraycopy(policyField, 0, kept, span.length - 1, policyField.length);
    return kept;
  }

  /**
   * The encoded {@code samplingPolicy} field holding {@code policy}: the string branch, the length,
   * the UTF-8 bytes. The spans of a kept trace share one.
   */
  static byte[] policyField(String policy) {
    byte[] name = policy.getBytes(StandardCharsets.UTF_8);
    byte[] field = new byte[1 + 10 + name.length];
    int at = 0;
    field[at++] = STRING_BRANCH;
    long length = (long) name.length << 1; // zig-zag of a non-negative int
    while ((length & ~0x7FL) != 0) {
      field[at++] = (byte) ((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    field[at++] = (byte) length;
    System.arraycopy(name, 0, field, at, name.length);
    return Arrays.copyOf(field, at + name.length);
  }

  /** The UTF-8 bytes of the span's tenant, or null when these bytes are not of the known layout. */
  static byte[] tenant(byte[] span) {
    if (!hasKnownLayout(span)) {
      return null;
    }
    int at = KNOWN_HEADER.length;
    long zigZag = 0;
    for (int shift = 0; at < span.length && shift < 64; shift += 7) {
      byte b = span[at++];
      zigZag |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        long length = (zigZag >>> 1) ^ -(zigZag & 1);
        return length < 0 || length > span.length - at ? null : Arrays.copyOfRange(span, at, at + (int) length);
      }
    }
    return null;
  }

  private static boolean hasKnownLayout(byte[] span) {
    return SpanEncoder.SCHEMA_MATCHES && span.length > KNOWN_HEADER.length
        && Arrays.equals(span, 0, KNOWN_HEADER.length, KNOWN_HEADER, 0, KNOWN_HEADER.length);
  }
}
