package io.tributary.processors.redact;

import static io.tributary.processors.internal.ConfigValues.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.processors.internal.ConfigValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the {@code redaction} section of the pipeline file (or of a redaction rules file) into
 * {@link RedactionRules}, recording each problem with the path of its key. Checks shared with the
 * builder ({@link RedactionRules#keyProblem} and friends) give the same expectation in both places.
 */
public final class RedactionConfigReader {

  /** The section of the pipeline file (and the one key of a redaction rules file) this reader reads. */
  public static final String REDACTION = "redaction";
  static final String MODE = "mode";
  static final String DEFAULT_DROP_KEYS = "default-drop-keys";
  static final String DROP_KEYS = "drop-keys";
  static final String HASH_KEYS = "hash-keys";
  static final String ALLOW_KEYS = "allow-keys";
  static final String PATTERNS = "patterns";
  static final String CUSTOM = "custom";
  static final String HMAC_SALT_ENV = "hmac-salt-env";
  static final String NAME = "name";
  static final String REGEX = "regex";
  static final List<String> REDACTION_KEYS =
      List.of(MODE, DEFAULT_DROP_KEYS, DROP_KEYS, HASH_KEYS, ALLOW_KEYS, PATTERNS, CUSTOM, HMAC_SALT_ENV);
  static final List<String> CUSTOM_KEYS = List.of(NAME, REGEX);
  static final String KEY_LIST_EXPECTED = "a list of attribute keys";
  static final String PATTERNS_EXPECTED = "a mapping of built-in pattern names to true or false";
  static final String CUSTOM_LIST_EXPECTED = "a list of mappings with keys name and regex";
  static final String CUSTOM_ITEM_EXPECTED = "a mapping with keys name and regex";
  static final String REGEX_EXPECTED = "a Java regular expression";
  static final String ENV_NAME_EXPECTED = "the name of an environment variable, such as " + RedactionRules.DEFAULT_HMAC_SALT_ENV;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final ConfigValues values;
  private final Function<String, String> environment;

  /** A reader recording its problems in {@code values}, taking the HMAC salt from {@code environment}. */
  public RedactionConfigReader(ConfigValues values, Function<String, String> environment) {
    this.values = values;
    this.environment = environment;
  }

  /**
   * The rules of the {@code redaction} section {@code node}: the defaults when absent, null after
   * any problem in it (each recorded in the {@link ConfigValues} this reader was given).
   */
  public RedactionRules read(JsonNode node) {
    if (node == null || node.isNull()) {
      return RedactionRules.getDefault();
    }
    int problemsBefore = values.problemCount();
    if (!values.mapping(node, REDACTION, REDACTION_KEYS)) {
      return null;
    }
    RedactionRules.Builder builder = RedactionRules.builder();

    RedactionMode mode = RedactionRules.DEFAULT_MODE;
    if (node.get(MODE) != null) { // an invalid mode is reported; the default's checks below still run
      RedactionMode given = values.given(node.get(MODE), path(REDACTION, MODE), RedactionMode.allowedValues(),
          (value, where) -> values.choice(value, where, RedactionMode::forValue, RedactionMode.allowedValues()));
      mode = given == null ? mode : given;
    }
    builder.mode(mode);

    values.set(REDACTION, builder::defaultDropKeys, values.bool(node.get(DEFAULT_DROP_KEYS),
        path(REDACTION, DEFAULT_DROP_KEYS)));
    List<String> dropKeys = keys(node.get(DROP_KEYS), path(REDACTION, DROP_KEYS));
    List<String> hashKeys = keys(node.get(HASH_KEYS), path(REDACTION, HASH_KEYS));
    List<String> allowKeys = keys(node.get(ALLOW_KEYS), path(REDACTION, ALLOW_KEYS));
    patterns(node.get(PATTERNS), builder);
    List<RedactionRules.CustomPattern> custom = customPatterns(node.get(CUSTOM));

    String saltEnv = RedactionRules.DEFAULT_HMAC_SALT_ENV;
    JsonNode saltEnvNode = node.get(HMAC_SALT_ENV);
    if (saltEnvNode != null) {
      if (saltEnvNode.isTextual() && ENV_NAME.matcher(saltEnvNode.asText()).matches()) {
        saltEnv = saltEnvNode.asText();
      } else {
        values.unexpected(saltEnvNode, path(REDACTION, HMAC_SALT_ENV), ENV_NAME_EXPECTED);
        saltEnv = null;
      }
    }

    // Combinations, each checked only when its parts are valid.
    if (!hashKeys.isEmpty() && saltEnv != null) {
      String salt = environment.apply(saltEnv);
      String where = path(REDACTION, HMAC_SALT_ENV);
      if (salt == null || salt.isEmpty()) {
        values.problem(where + ": environment variable '" + saltEnv + "' is not set (expected: "
            + RedactionRules.SALT_EXPECTED + " in it, because " + path(REDACTION, HASH_KEYS) + " is not empty)");
      } else if (RedactionRules.saltProblem(salt) != null) {
        values.problem(where + ": environment variable '" + saltEnv + "' holds " + salt.length() + " characters (expected: "
            + RedactionRules.SALT_EXPECTED + ")");
      } else {
        builder.hmacSalt(salt);
      }
    }
    if (mode == RedactionMode.ALLOW_LIST && allowKeys.isEmpty()) {
      values.problem(path(REDACTION, ALLOW_KEYS), allowKeys, RedactionRules.ALLOW_KEYS_REQUIRED);
    }
    if (mode == RedactionMode.MASK && !allowKeys.isEmpty()) {
      values.problem(path(REDACTION, ALLOW_KEYS), allowKeys, RedactionRules.ALLOW_KEYS_ONLY_IN_ALLOW_LIST);
    }
    if (values.problemCount() > problemsBefore) {
      return null;
    }
    builder.addDropKeys(dropKeys.toArray(String[]::new))
        .addHashKeys(hashKeys.toArray(String[]::new))
        .addAllowKeys(allowKeys.toArray(String[]::new));
    custom.forEach(c -> builder.addCustomPattern(c.name(), c.regex()));
    return builder.build();
  }

  private List<String> keys(JsonNode node, String where) {
    List<String> keys = new ArrayList<>();
    if (!values.hasList(node, where, KEY_LIST_EXPECTED)) {
      return keys;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String problem = item.isTextual() ? RedactionRules.keyProblem(item.asText()) : RedactionRules.KEY_EXPECTED;
      if (problem != null) {
        values.unexpected(item, where + "[" + i + "]", problem);
      } else {
        keys.add(item.asText());
      }
    }
    return keys;
  }

  private void patterns(JsonNode node, RedactionRules.Builder builder) {
    String where = path(REDACTION, PATTERNS);
    if (!values.hasMapping(node, where, PATTERNS_EXPECTED)) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      BuiltInPattern pattern = BuiltInPattern.byConfigName(field.getKey());
      if (pattern == null) {
        values.problem(path(where, field.getKey()) + ": unknown pattern (expected: " + BuiltInPattern.allowedNames()
            + "; custom patterns go under " + path(REDACTION, CUSTOM) + ")");
        continue;
      }
      Boolean enabled = values.bool(field.getValue(), path(where, field.getKey()));
      if (enabled != null) {
        builder.pattern(pattern, enabled);
      }
    }
  }

  private List<RedactionRules.CustomPattern> customPatterns(JsonNode node) {
    String where = path(REDACTION, CUSTOM);
    List<RedactionRules.CustomPattern> patterns = new ArrayList<>();
    if (!values.hasList(node, where, CUSTOM_LIST_EXPECTED)) {
      return patterns;
    }
    Map<String, Integer> names = new LinkedHashMap<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String itemPath = where + "[" + i + "]";
      if (!item.isObject()) {
        values.unexpected(item, itemPath, CUSTOM_ITEM_EXPECTED);
        continue;
      }
      values.checkKeys(item, itemPath, CUSTOM_KEYS);
      String name = values.requiredText(item, itemPath, NAME, RedactionRules.CUSTOM_NAME_EXPECTED);
      String regex = values.requiredText(item, itemPath, REGEX, REGEX_EXPECTED);
      boolean valid = true;
      if (name != null) {
        String problem = RedactionRules.customNameProblem(name);
        if (problem == null && names.containsKey(name)) {
          problem = "a name not used by another custom pattern (" + where + "[" + names.get(name) + "] has it)";
        }
        if (problem != null) {
          values.problem(path(itemPath, NAME), name, problem);
          valid = false;
        } else {
          names.put(name, i);
        }
      }
      if (regex != null) {
        String problem = RedactionRules.regexProblem(regex);
        if (problem != null) {
          values.problem(path(itemPath, REGEX), regex, problem);
          valid = false;
        }
      }
      if (valid && name != null && regex != null) {
        patterns.add(new RedactionRules.CustomPattern(name, regex));
      }
    }
    return patterns;
  }
}
