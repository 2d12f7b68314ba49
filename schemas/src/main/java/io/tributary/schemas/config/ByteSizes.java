package io.tributary.schemas.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as Tributary's configuration spells them, on the command line and in the pipeline file:
 * a whole number of bytes ({@code 1048576}), or with a unit, any case, blanks allowed around and
 * before the unit. {@code B}; {@code KiB}, {@code MiB}, {@code GiB} are powers of 1024
 * ({@code 16MiB} = 16 777 216); {@code KB}, {@code MB}, {@code GB} are powers of 1000
 * ({@code 16MB} = 16 000 000), as the SI prefixes and the command line always meant them.
 */
public final class ByteSizes {

  /** What {@link #parse} accepts, for error messages. */
  public static final String EXPECTED =
      "a size in bytes, or with a unit such as 512KiB, 8MiB, 1GiB (powers of 1024) or 16MB (powers of 1000)";

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib|kb|mb|gb)?");

  private static final long[] BINARY_UNITS = {1L << 30, 1L << 20, 1L << 10};
  private static final String[] BINARY_NAMES = {"GiB", "MiB", "KiB"};

  private ByteSizes() {}

  /**
   * The number of bytes {@code text} spells.
   *
   * @throws IllegalArgumentException saying what was wrong and {@link #EXPECTED}
   */
  public static long parse(String text) {
    Matcher m = text == null ? null : SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          (text == null ? "nothing" : "'" + text + "'") + " is not a size (expected: " + EXPECTED + ")");
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit(m.group(2)));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large (expected: " + EXPECTED + ", at most "
          + Long.MAX_VALUE + " bytes)");
    }
  }

  /**
   * {@code bytes} the way a configuration file writes it, which {@link #parse} reads back: in the
   * largest power-of-1024 unit that divides it ({@code 16MiB}, {@code 512KiB}), else in bytes.
   */
  public static String format(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    for (int i = 0; i < BINARY_UNITS.length; i++) {
      if (bytes != 0 && bytes % BINARY_UNITS[i] == 0) {
        return bytes / BINARY_UNITS[i] + BINARY_NAMES[i];
      }
    }
    return Long.toString(bytes);
  }

  private static long unit(String unit) {
    if (unit == null) {
      return 1;
    }
    return switch (unit) {
      case "kib" -> 1L << 10;
      case "mib" -> 1L << 20;
      case "gib" -> 1L << 30;
      case "kb" -> 1_000L;
      case "mb" -> 1_000_000L;
      case "gb" -> 1_000_000_000L;
      default -> 1L; // b
    };
  }
}
