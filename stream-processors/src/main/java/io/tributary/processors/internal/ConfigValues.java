package io.tributary.processors.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.schemas.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The problems of one pipeline file and the typed values every section reader takes from it. Each
 * problem is recorded with the path of its key, in the {@code <where>: <value> (expected: ...)}
 * shape, and reading goes on, so an operator fixes the file in one go. A getter returns null when
 * the key is absent or after a problem. Durations are spelled as everywhere in Tributary
 * ({@link Durations}: 500ms, 10s, 1m30s, 1h) in every section.
 */
public final class ConfigValues {

  public static final String BOOLEAN_EXPECTED = "true or false";
  public static final String INTEGER_EXPECTED = "an integer";
  public static final String NUMBER_EXPECTED = "a number";
  public static final String TEXT_EXPECTED = "a string";
  public static final String TEXT_LIST_EXPECTED = "a list of strings";

  public static final String DURATION_EXPECTED = Durations.EXPECTED;
  public static final String DURATION_LIST_EXPECTED = "a list of durations such as [5ms, 1s]";

  private final List<String> problems = new ArrayList<>();

  // ---------------------------------------------------------------- problems

  /** Records one problem, already in the {@code <where>: <value> (expected: ...)} shape. */
  public void problem(String problem) {
    problems.add(problem);
  }

  public void problem(String where, Object value, String expected) {
    problems.add(ConfigChecks.problem(where, value, expected));
  }

  /** Records {@code node} (as written in the file) as not what {@code where} expects. */
  public void unexpected(JsonNode node, String where, String expected) {
    problem(where, describe(node), expected);
  }

  public int problemCount() {
    return problems.size();
  }

  /** Every problem so far, in file order. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  // ---------------------------------------------------------------- mappings

  public static String mappingExpected(List<String> keys) {
    return "a mapping with keys: " + String.join(", ", keys);
  }

  public void checkKeys(JsonNode node, String where, List<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problem(path(where, key) + ": unknown key (expected: one of " + String.join(", ", allowed) + ")");
      }
    }
  }

  /**
   * Whether {@code node} is a mapping, reported when it is not; each key not in {@code keys} is
   * reported too, but does not stop the reading of the others.
   */
  public boolean mapping(JsonNode node, String where, List<String> keys) {
    if (node == null || !node.isObject()) {
      unexpected(node, where, mappingExpected(keys));
      return false;
    }
    checkKeys(node, where, keys);
    return true;
  }

  /** Whether {@code node} is a mapping with only {@code keys}; what is not is reported. */
  public boolean settings(JsonNode node, String where, List<String> keys) {
    int before = problemCount();
    return mapping(node, where, keys) && problemCount() == before;
  }

  /** Whether an optional {@code node} is there, and {@link #settings} with only {@code keys}. */
  public boolean present(JsonNode node, String where, List<String> keys) {
    return node != null && !node.isNull() && settings(node, where, keys);
  }

  /** Sets each key of a section on a new builder; gives back the builder's {@code build}. */
  public interface SectionKeys<C> {
    Supplier<C> readOnto();
  }

  /**
   * A section read by {@code keys}: {@code defaults} when absent; null when it is not a mapping of
   * {@code allowed} keys (then no key is read) or after any problem in it.
   */
  public <C> C section(JsonNode node, String where, List<String> allowed, C defaults, SectionKeys<C> keys) {
    if (node == null || node.isNull()) {
      return defaults;
    }
    int before = problemCount();
    if (!settings(node, where, allowed)) {
      return null;
    }
    Supplier<C> build = keys.readOnto();
    return problemCount() > before ? null : attempt(where, build);
  }

  /** The setting {@code key} of mapping {@code node} when given (empty is a problem), else {@code absent}. */
  public <T> T optional(JsonNode node, String where, String key, String expected, BiFunction<JsonNode, String, T> read,
      T absent) {
    return node.has(key) ? given(node.get(key), path(where, key), expected, read) : absent;
  }

  /** Whether {@code node} is there and a mapping; something else there is reported. */
  public boolean hasMapping(JsonNode node, String where, String expected) {
    return has(node, where, expected, JsonNode::isObject);
  }

  /** Whether {@code node} is there and a list; something else there is reported. */
  public boolean hasList(JsonNode node, String where, String expected) {
    return has(node, where, expected, JsonNode::isArray);
  }

  private boolean has(JsonNode node, String where, String expected, Predicate<JsonNode> kind) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!kind.test(node)) {
      unexpected(node, where, expected);
      return false;
    }
    return true;
  }

  /** Whether {@code key} of mapping {@code node} has a value; reported missing when not. */
  public boolean required(JsonNode node, String where, String key, String expected) {
    if (node.get(key) == null || node.get(key).isNull()) {
      problem(path(where, key) + ": missing (expected: " + expected + ")");
      return false;
    }
    return true;
  }

  /** A value whose key is given: an empty one is a problem here, not "left out". */
  public <T> T given(JsonNode node, String where, String expected, BiFunction<JsonNode, String, T> read) {
    if (node == null || node.isNull()) {
      unexpected(node, where, expected);
      return null;
    }
    return read.apply(node, where);
  }

  // ---------------------------------------------------------------- values

  public Boolean bool(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      unexpected(node, where, BOOLEAN_EXPECTED);
      return null;
    }
    return node.booleanValue();
  }

  /** A duration as {@link Durations#parse} reads it, e.g. 500ms, 10s, 1m30s or 1h. */
  public Duration duration(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      try {
        return Durations.parse(node.asText());
      } catch (IllegalArgumentException e) {
        // reported below, with the path
      }
    }
    unexpected(node, where, DURATION_EXPECTED);
    return null;
  }

  public Integer integer(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      unexpected(node, where, INTEGER_EXPECTED);
      return null;
    }
    return node.intValue();
  }

  public Double number(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      unexpected(node, where, NUMBER_EXPECTED);
      return null;
    }
    return node.doubleValue();
  }

  public String text(JsonNode node, String where) {
    return text(node, where, TEXT_EXPECTED);
  }

  /** A string, where anything else is a problem saying {@code expected}. */
  public String text(JsonNode node, String where, String expected) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      unexpected(node, where, expected);
      return null;
    }
    return node.asText();
  }

  /** The string at {@code key} of mapping {@code node}, which must be there. */
  public String requiredText(JsonNode node, String where, String key, String expected) {
    return required(node, where, key, expected) ? text(node.get(key), path(where, key), expected) : null;
  }

  /** One of the choices {@code forValue} knows (null when absent); {@code allowed} lists them. */
  public <T> T choice(JsonNode node, String where, Function<String, T> forValue, String allowed) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      try {
        return forValue.apply(node.asText());
      } catch (IllegalArgumentException e) {
        // reported below, with the path
      }
    }
    unexpected(node, where, allowed);
    return null;
  }

  /** A list of strings; null when absent or when any item is not a string. */
  public List<String> texts(JsonNode node, String where) {
    return list(node, where, TEXT_LIST_EXPECTED, this::text);
  }

  /** A list of durations; null when absent or when any item is not a duration. */
  public List<Duration> durations(JsonNode node, String where) {
    return list(node, where, DURATION_LIST_EXPECTED, this::duration);
  }

  private <T> List<T> list(JsonNode node, String where, String expected, BiFunction<JsonNode, String, T> item) {
    if (!hasList(node, where, expected)) {
      return null;
    }
    List<T> items = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < node.size(); i++) {
      T value = node.get(i).isNull() ? null : item.apply(node.get(i), where + "[" + i + "]");
      if (value == null) {
        if (node.get(i).isNull()) {
          unexpected(node.get(i), where + "[" + i + "]", expected);
        }
        valid = false;
      }
      items.add(value);
    }
    return valid ? items : null;
  }

  // ---------------------------------------------------------------- builders

  /** Applies a checked setter; its message names the YAML key, so {@code parent.} goes in front. */
  public <T> void set(String parent, Consumer<T> setter, T value) {
    if (value != null) {
      attempt(parent, () -> {
        setter.accept(value);
        return value;
      });
    }
  }

  /** The value built, or null after recording the builder's message under {@code parent}. */
  public <T> T attempt(String parent, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      problem(path(parent, e.getMessage()));
      return null;
    }
  }

  // ---------------------------------------------------------------- paths

  public static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** A YAML value as an operator would recognise it in the file (strings quoted, others not). */
  public static Object describe(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Unquoted.NOTHING;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) {
      return Unquoted.LIST;
    }
    if (node.isObject()) {
      return Unquoted.MAPPING;
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }

  private enum Unquoted {
    LIST("a list"), MAPPING("a mapping"), NOTHING("nothing");

    private final String text;

    Unquoted(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
