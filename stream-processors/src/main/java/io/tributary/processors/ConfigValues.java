package io.tributary.processors;

import static io.tributary.processors.PipelineConfigReader.describe;
import static io.tributary.processors.PipelineConfigReader.path;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed values of the step sections (enrichment, span metrics, cardinality), each problem reported
 * through the {@link PipelineConfigReader} with the path of its key; durations are spelled as in the
 * {@code sampling:} section. A getter returns null when the key is absent or after a problem.
 */
final class ConfigValues {

  static final String DURATION_EXPECTED = SamplingConfigReader.DURATION_EXPECTED;
  static final String INTEGER_EXPECTED = "an integer";
  static final String NUMBER_EXPECTED = "a number";
  static final String TEXT_EXPECTED = "a string";
  static final String TEXT_LIST_EXPECTED = "a list of strings";
  static final String DURATION_LIST_EXPECTED = "a list of durations such as [5ms, 1s]";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

  private final PipelineConfigReader reader;

  ConfigValues(PipelineConfigReader reader) {
    this.reader = reader;
  }

  /** Whether {@code node} is a mapping with only {@code keys}; absent counts as an empty mapping. */
  boolean section(JsonNode node, String where, List<String> keys) {
    if (node == null || node.isNull()) {
      return true;
    }
    if (!node.isObject()) {
      reader.problem(Problems.format(where, describe(node), "a mapping with keys: " + String.join(", ", keys)));
      return false;
    }
    int before = reader.problemCount();
    reader.checkKeys(node, where, keys);
    return reader.problemCount() == before;
  }

  int problemCount() {
    return reader.problemCount();
  }

  void problem(String problem) {
    reader.problem(problem);
  }

  Boolean bool(JsonNode node, String where) {
    return reader.bool(node, where);
  }

  Duration duration(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    Matcher m = node.isTextual() ? DURATION.matcher(node.asText().trim()) : null;
    if (m == null || !m.matches()) {
      reader.problem(Problems.format(where, describe(node), DURATION_EXPECTED));
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  Integer integer(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      reader.problem(Problems.format(where, describe(node), INTEGER_EXPECTED));
      return null;
    }
    return node.intValue();
  }

  Double number(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      reader.problem(Problems.format(where, describe(node), NUMBER_EXPECTED));
      return null;
    }
    return node.doubleValue();
  }

  String text(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      reader.problem(Problems.format(where, describe(node), TEXT_EXPECTED));
      return null;
    }
    return node.asText();
  }

  /** A list of strings; null when absent or when any item is not a string. */
  List<String> texts(JsonNode node, String where) {
    return list(node, where, TEXT_LIST_EXPECTED, this::text);
  }

  /** A list of durations; null when absent or when any item is not a duration. */
  List<Duration> durations(JsonNode node, String where) {
    return list(node, where, DURATION_LIST_EXPECTED, this::duration);
  }

  private interface ItemReader<T> {
    T read(JsonNode item, String where);
  }

  private <T> List<T> list(JsonNode node, String where, String expected, ItemReader<T> item) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      reader.problem(Problems.format(where, describe(node), expected));
      return null;
    }
    List<T> items = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < node.size(); i++) {
      T value = node.get(i).isNull() ? null : item.read(node.get(i), where + "[" + i + "]");
      if (value == null) {
        if (node.get(i).isNull()) {
          reader.problem(Problems.format(where + "[" + i + "]", describe(node.get(i)), expected));
        }
        valid = false;
      }
      items.add(value);
    }
    return valid ? items : null;
  }

  /** Applies a checked setter; its message names the YAML key, so {@code parent.} goes in front. */
  <T> void set(String parent, Consumer<T> setter, T value) {
    if (value != null) {
      attempt(parent, () -> {
        setter.accept(value);
        return value;
      });
    }
  }

  /** The value built, or null after recording the builder's message under {@code parent}. */
  <T> T attempt(String parent, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      reader.problem(path(parent, e.getMessage()));
      return null;
    }
  }
}
