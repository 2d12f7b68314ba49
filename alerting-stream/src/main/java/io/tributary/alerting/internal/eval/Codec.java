package io.tributary.alerting.internal.eval;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The small binary encodings of the state stores and the repartition topic. */
final class Codec {

  private Codec() {}

  /** Writes values; {@link #bytes()} at the end. */
  static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    private final DataOutputStream out = new DataOutputStream(bytes);

    Writer writeByte(int v) {
      try {
        out.writeByte(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer writeInt(int v) {
      try {
        out.writeInt(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer writeLong(long v) {
      try {
        out.writeLong(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer writeDouble(double v) {
      try {
        out.writeDouble(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer writeBytes(byte[] v) {
      writeInt(v.length);
      try {
        out.write(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer writeString(String v) {
      return writeBytes(v.getBytes(StandardCharsets.UTF_8));
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }

  /** Reads what a {@link Writer} wrote, in the same order. */
  static final class Reader {
    private final ByteBuffer in;

    Reader(byte[] bytes) {
      this.in = ByteBuffer.wrap(bytes);
    }

    int readByte() {
      return in.get();
    }

    int readInt() {
      return in.getInt();
    }

    long readLong() {
      return in.getLong();
    }

    double readDouble() {
      return in.getDouble();
    }

    byte[] readBytes() {
      byte[] v = new byte[in.getInt()];
      in.get(v);
      return v;
    }

    String readString() {
      return new String(readBytes(), StandardCharsets.UTF_8);
    }

    boolean hasMore() {
      return in.hasRemaining();
    }
  }
}
