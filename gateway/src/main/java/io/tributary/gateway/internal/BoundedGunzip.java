package io.tributary.gateway.internal;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Decompresses gzip bodies up to a limit, so a small compressed bomb cannot take the heap. */
final class BoundedGunzip {

  /** The decompressed body would exceed the limit: 413 / RESOURCE_EXHAUSTED. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message, null, false, false);
    }
  }

  private BoundedGunzip() {}

  /** Decompresses {@code compressed} into a buffer whose first {@link Body#length} bytes are the result. */
  static Body gunzip(byte[] compressed, int maxBytes) throws MalformedRequestException, TooLargeException {
    int initial = (int) Math.min(maxBytes + 1L, Math.max(1024L, compressed.length * 4L));
    byte[] out = new byte[initial];
    int size = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 64 * 1024)) {
      while (true) {
        if (size == out.length) {
          if (size > maxBytes) {
            throw tooLarge(maxBytes);
          }
          out = Arrays.copyOf(out, (int) Math.min(maxBytes + 1L, size * 2L));
        }
        int n = in.read(out, size, out.length - size);
        if (n < 0) {
          break;
        }
        size += n;
        if (size > maxBytes) {
          throw tooLarge(maxBytes);
        }
      }
    } catch (ZipException | EOFException e) {
      throw new MalformedRequestException("invalid gzip body: " + e.getMessage());
    } catch (IOException e) {
      throw new MalformedRequestException("cannot decompress gzip body: " + e.getMessage());
    }
    return new Body(out, 0, size);
  }

  private static TooLargeException tooLarge(int maxBytes) {
    return new TooLargeException("decompressed request body exceeds " + maxBytes + " bytes");
  }
}
