package io.tributary.processors.internal;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Checks shared by the step configurations (enrichment, span metrics, cardinality): each throws an
 * {@link IllegalArgumentException} whose message starts with the YAML key, in the
 * {@code <key>: <value> (expected: ...)} shape, so the file reader and the builders say the same.
 */
public final class ConfigChecks {

  public static final String TOPIC_EXPECTED = "a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -";
  public static final String POSITIVE_DURATION_EXPECTED = "a duration > 0, such as 500ms, 15s or 1h";
  public static final String ATTRIBUTE_KEY_EXPECTED = "an attribute key such as k8s.cluster.name";

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private ConfigChecks() {}

  /** {@code topic} when it is a legal Kafka topic name. */
  public static String topic(String key, String topic) {
    if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(key + ": " + quote(topic) + " (expected: " + TOPIC_EXPECTED + ")");
    }
    return topic;
  }

  /** {@code duration} when it is > 0. */
  public static Duration positive(String key, Duration duration) {
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(key + ": " + (duration == null ? "nothing" : format(duration))
          + " (expected: " + POSITIVE_DURATION_EXPECTED + ")");
    }
    return duration;
  }

  /** {@code attributeKey} when it is not blank. */
  public static String attributeKey(String key, String attributeKey) {
    if (attributeKey == null || attributeKey.isBlank()) {
      throw new IllegalArgumentException(key + ": " + quote(attributeKey) + " (expected: " + ATTRIBUTE_KEY_EXPECTED + ")");
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

  /** Strings quoted so blanks show, as in the pipeline file's other messages. */
  public static String quote(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }
}
