package io.tributary.schemas.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Tributary's configuration spells them: one or more {@code <digits><unit>} parts with
 * the units {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} (24h) and {@code w} (7d), added up:
 * {@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 2h}, {@code 1d}.
 *
 * <p>{@link #parse} is what the command line and the pipeline file accept: in addition, units in any
 * case ({@code 2H}), blanks around the text and between a number and its unit ({@code 10 s}), and an
 * ISO-8601 duration ({@code PT1M30S}, case ignored). {@link #parsePrometheus} is what alert rule files
 * accept, the way Prometheus writes rule durations: the parts only, lower-case units, no blanks.
 * Neither takes a bare number: {@code 15} could be seconds or milliseconds.
 */
public final class Durations {

  /** What {@link #parse} accepts, for error messages. */
  public static final String EXPECTED = "a duration such as 500ms, 10s, 1m30s, 2h or 1d (units: ms, s, m, h, d, w)";

  /** What {@link #parsePrometheus} accepts, for error messages. */
  public static final String PROMETHEUS_EXPECTED = "a duration such as 30s, 5m, 1h30m (units: ms, s, m, h, d, w)";

  private static final String UNIT = "(ms|s|m|h|d|w)";
  private static final Pattern STRICT = Pattern.compile("(?:\\d+" + UNIT + ")+");
  private static final Pattern STRICT_PART = Pattern.compile("(\\d+)" + UNIT);
  private static final Pattern LENIENT = Pattern.compile("(?:\\d+\\s*" + UNIT + "\\s*)+");
  private static final Pattern LENIENT_PART = Pattern.compile("(\\d+)\\s*" + UNIT);

  private static final long[] UNIT_MILLIS = {86_400_000, 3_600_000, 60_000, 1_000, 1};
  private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

  private Durations() {}

  /**
   * The duration {@code text} spells, as the command line and the pipeline file accept it.
   *
   * @throws IllegalArgumentException saying what was wrong and {@link #EXPECTED}
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw notADuration(null, EXPECTED);
    }
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (LENIENT.matcher(trimmed).matches()) {
      return sum(text, LENIENT_PART.matcher(trimmed), EXPECTED);
    }
    if (trimmed.startsWith("p") || trimmed.startsWith("-p") || trimmed.startsWith("+p")) {
      try {
        return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw notADuration(text, EXPECTED);
  }

  /**
   * The duration {@code text} spells the Prometheus way, as alert rule files accept it.
   *
   * @throws IllegalArgumentException saying what was wrong and {@link #PROMETHEUS_EXPECTED}
   */
  public static Duration parsePrometheus(String text) {
    if (text == null || !STRICT.matcher(text).matches()) {
      throw notADuration(text, PROMETHEUS_EXPECTED);
    }
    return sum(text, STRICT_PART.matcher(text), PROMETHEUS_EXPECTED);
  }

  /**
   * {@code duration} the way a configuration file writes it, which both parsers read back: whole
   * units from days down to milliseconds ({@code 1h30m}, {@code 1s500ms}, {@code 0s}). A negative
   * duration or one with a fraction of a millisecond comes out in ISO-8601, which only {@link #parse}
   * reads.
   */
  public static String format(Duration duration) {
    if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
      return duration.toString();
    }
    if (duration.isZero()) {
      return "0s";
    }
    long millis = duration.toMillis();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      if (millis >= UNIT_MILLIS[i]) {
        out.append(millis / UNIT_MILLIS[i]).append(UNIT_NAMES[i]);
        millis %= UNIT_MILLIS[i];
      }
    }
    return out.toString();
  }

  private static Duration sum(String text, Matcher part, String expected) {
    long millis = 0;
    try {
      while (part.find()) {
        millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(part.group(1)), unitMillis(part.group(2))));
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large (expected: " + expected
          + ", at most " + Long.MAX_VALUE / UNIT_MILLIS[0] + "d)");
    }
    return Duration.ofMillis(millis);
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      case "d" -> 86_400_000;
      default -> 604_800_000; // w
    };
  }

  private static IllegalArgumentException notADuration(String text, String expected) {
    return new IllegalArgumentException(
        (text == null ? "nothing" : "'" + text + "'") + " is not a duration (expected: " + expected + ")");
  }
}
