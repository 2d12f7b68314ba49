package io.tributary.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of the console's API, checked: a bad value is a 400 naming the parameter,
 * the value and what is expected.
 */
final class QueryParams {

  static final Duration DEFAULT_LOOKBACK = Duration.ofHours(1);
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** A parameter with a value the console cannot use. */
  static final class BadParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadParameter(String name, String value, String expected) {
      super(name + ": " + value + " (expected: " + expected + ")");
    }
  }

  private final Map<String, String> values;

  QueryParams(Map<String, String> values) {
    this.values = values;
  }

  Optional<String> string(String name) {
    return Optional.ofNullable(values.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  Optional<Double> number(String name) {
    return string(name).map(v -> {
      try {
        double d = Double.parseDouble(v);
        if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new BadParameter(name, v, "a number >= 0");
      }
    });
  }

  int limit(String name, int defaultValue, int max) {
    return number(name).map(d -> {
      if (d < 1 || d > max || d != Math.floor(d)) {
        throw new BadParameter(name, string(name).orElseThrow(), "a whole number from 1 to " + max);
      }
      return d.intValue();
    }).orElse(defaultValue);
  }

  /** {@code from}/{@code to} (epoch milliseconds), else {@code lookback} before now (default 1h). */
  Instant[] timeRange(Instant now) {
    Instant to = number("to").map(ms -> Instant.ofEpochMilli(ms.longValue())).orElse(now);
    Instant from = number("from").map(ms -> Instant.ofEpochMilli(ms.longValue()))
        .orElseGet(() -> to.minus(lookback()));
    if (!from.isBefore(to)) {
      throw new BadParameter("from", string("from").orElse(from.toString()), "before to (" + to + ")");
    }
    return new Instant[] {from, to};
  }

  Duration lookback() {
    return string("lookback").map(v -> {
      Matcher m = DURATION.matcher(v);
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new BadParameter("lookback", v, "a duration such as 15m, 1h, 24h or 7d");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }).orElse(DEFAULT_LOOKBACK);
  }
}
