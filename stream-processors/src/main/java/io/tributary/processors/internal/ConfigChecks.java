package io.tributary.processors.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks and spellings shared by the configuration types and the pipeline file reader: each check
 * throws an {@link IllegalArgumentException} whose message starts with the YAML key, in the one
 * {@code <key>: <value> (expected: ...)} shape ({@link #problem}), so the file reader and the builders
 * say the same.
 */
public final class ConfigChecks {

  public static final String TOPIC_EXPECTED = "a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -";
  public static final String POSITIVE_DURATION_EXPECTED = "a duration > 0, such as 500ms, 15s or 1h";
  public static final String ATTRIBUTE_KEY_EXPECTED = "an attribute key such as k8s.cluster.name";

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private ConfigChecks() {}

  /** The one shape of every config problem: {@code <key>: <value> (expected: <what is allowed>)}. */
  public static String problem(String key, Object value, String expected) {
    return key + ": " + quote(value) + " (expected: " + expected + ")";
  }

  /** {@code topic} when it is a legal Kafka topic name. */
  public static String topic(String key, String topic) {
    if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(problem(key, topic, TOPIC_EXPECTED));
    }
    return topic;
  }

  /** {@code duration} when it is > 0. */
  public static Duration positive(String key, Duration duration) {
    return positive(key, duration, POSITIVE_DURATION_EXPECTED);
  }

  /** {@code duration} when it is > 0, else a problem saying {@code expected}. */
  public static Duration positive(String key, Duration duration, String expected) {
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(key + ": " + (duration == null ? "nothing" : format(duration))
          + " (expected: " + expected + ")");
    }
    return duration;
  }

  public static final String BOUND_EXPECTED = "a duration > 0, greater than the bound before it";

  /** What a histogram's bounds may be: 1 to {@code max} increasing durations. */
  public static String boundsExpected(int max) {
    return "a list of 1 to " + max + " increasing durations";
  }

  /** {@code bounds} (a histogram's bucket upper bounds) when there are 1 to {@code max}, each > 0 and increasing. */
  public static List<Duration> histogramBounds(String key, List<Duration> bounds, int max) {
    if (bounds.isEmpty() || bounds.size() > max) {
      throw new IllegalArgumentException(key + ": " + bounds.size() + " bounds (expected: " + boundsExpected(max) + ")");
    }
    Duration previous = Duration.ZERO;
    for (int i = 0; i < bounds.size(); i++) {
      Duration bound = Objects.requireNonNull(bounds.get(i), key + "[" + i + "]");
      if (bound.compareTo(previous) <= 0) {
        throw new IllegalArgumentException(key + "[" + i + "]: " + format(bound) + " (expected: " + BOUND_EXPECTED + ")");
      }
      previous = bound;
    }
    return bounds;
  }

  /** {@code attributeKey} when it is not blank. */
  public static String attributeKey(String key, String attributeKey) {
    if (attributeKey == null || attributeKey.isBlank()) {
      throw new IllegalArgumentException(problem(key, attributeKey, ATTRIBUTE_KEY_EXPECTED));
    }
    return attributeKey;
  }

  /** A duration as the YAML file spells it: the largest whole unit of 500ms, 10s, 5m, 1h. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    return millis % 1_000 == 0 ? millis / 1_000 + "s" : millis + "ms";
  }

  /** Strings quoted so blanks show, as in the pipeline file's other messages; other values as they print. */
  public static String quote(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  /** {@code "one of a, b, c"}: the choices as the YAML file spells them. */
  public static <E> String oneOf(E[] choices, Function<? super E, String> spelling) {
    return "one of " + Arrays.stream(choices).map(spelling).collect(Collectors.joining(", "));
  }

  /**
   * The choice spelled {@code value} (ignoring case and surrounding blanks), else a problem naming
   * {@code key} with every choice.
   */
  public static <E> E choice(String key, String value, E[] choices, Function<? super E, String> spelling) {
    for (E choice : choices) {
      if (spelling.apply(choice).equalsIgnoreCase(value.trim())) {
        return choice;
      }
    }
    throw new IllegalArgumentException(problem(key, value, oneOf(choices, spelling)));
  }
}
