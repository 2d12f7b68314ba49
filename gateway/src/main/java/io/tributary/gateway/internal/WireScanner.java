package io.tributary.gateway.internal;

/**
 * Reads the protobuf wire format straight from one byte array, allocating nothing. Every read is
 * checked against an end offset, so a length that points past its enclosing message is reported
 * as malformed instead of reading a neighbour's bytes.
 */
final class WireScanner {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  final byte[] buf;
  int pos;

  WireScanner(byte[] buf, int pos) {
    this.buf = buf;
    this.pos = pos;
  }

  /** Reads a field tag: field number in the high bits, wire type in the low three. */
  int readTag(int end) throws MalformedRequestException {
    long tag = readVarint(end);
    if ((tag >>> 32) != 0 || (tag >>> 3) == 0) {
      throw new MalformedRequestException("invalid protobuf field tag at offset " + pos);
    }
    return (int) tag;
  }

  long readVarint(int end) throws MalformedRequestException {
    int p = pos;
    if (p >= end) {
      throw truncated();
    }
    byte b = buf[p++];
    if (b >= 0) {
      pos = p;
      return b;
    }
    long result = b & 0x7f;
    int shift = 7;
    while (true) {
      if (p >= end) {
        throw truncated();
      }
      b = buf[p++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        pos = p;
        return result;
      }
      shift += 7;
      if (shift >= 70) {
        throw new MalformedRequestException("malformed protobuf varint at offset " + p);
      }
    }
  }

  /** Reads the length of a length-delimited value and checks that the value fits before {@code end}. */
  int readLength(int end) throws MalformedRequestException {
    long length = readVarint(end);
    if (length < 0 || length > end - pos) {
      throw truncated();
    }
    return (int) length;
  }

  /** Skips one value of the given wire type. Groups (deprecated, never used by OTLP) are malformed here. */
  void skip(int wireType, int end) throws MalformedRequestException {
    switch (wireType) {
      case VARINT -> readVarint(end);
      case FIXED64 -> skipBytes(8, end);
      case LENGTH_DELIMITED -> {
        int length = readLength(end); // before reading pos: readLength moves it
        pos += length;
      }
      case FIXED32 -> skipBytes(4, end);
      default -> throw new MalformedRequestException(
          "unsupported protobuf wire type " + wireType + " at offset " + pos);
    }
  }

  void skipBytes(int count, int end) throws MalformedRequestException {
    if (count > end - pos) {
      throw truncated();
    }
    pos += count;
  }

  private MalformedRequestException truncated() {
    return new MalformedRequestException("truncated protobuf message at offset " + pos);
  }

  /** Bytes a varint of this value takes. */
  static int varintSize(int value) {
    if ((value & (~0 << 7)) == 0) {
      return 1;
    }
    if ((value & (~0 << 14)) == 0) {
      return 2;
    }
    if ((value & (~0 << 21)) == 0) {
      return 3;
    }
    if ((value & (~0 << 28)) == 0) {
      return 4;
    }
    return 5;
  }

  /** Writes a non-negative int as a varint at {@code p}; returns the position after it. */
  static int writeVarint(byte[] out, int p, int value) {
    while ((value & ~0x7f) != 0) {
      out[p++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[p++] = (byte) value;
    return p;
  }
}
