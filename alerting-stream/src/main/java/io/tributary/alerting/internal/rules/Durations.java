package io.tributary.alerting.internal.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written the Prometheus way: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 1d}, {@code 1w}. */
public final class Durations {

  /** What a duration may look like, for error messages. */
  public static final String EXPECTED = "a duration such as 30s, 5m, 1h30m (units: ms, s, m, h, d, w)";

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

  private Durations() {}

  /** The duration, or null when {@code text} is not one. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return null;
    }
    long millis = 0;
    Matcher part = PART.matcher(text);
    try {
      while (part.find()) {
        long n = Long.parseLong(part.group(1));
        long unit = switch (part.group(2)) {
          case "ms" -> 1;
          case "s" -> 1_000;
          case "m" -> 60_000;
          case "h" -> 3_600_000;
          case "d" -> 86_400_000;
          default -> 604_800_000; // w
        };
        millis = Math.addExact(millis, Math.multiplyExact(n, unit));
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return Duration.ofMillis(millis);
  }

  /** {@code d} the way a rule file writes it: {@code 1h30m}, {@code 45s}, {@code 250ms}, {@code 0s}. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long[] units = {86_400_000, 3_600_000, 60_000, 1_000, 1};
    String[] names = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (millis >= units[i]) {
        out.append(millis / units[i]).append(names[i]);
        millis %= units[i];
      }
    }
    return out.toString();
  }
}
