package io.tributary.processors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.metrics.CardinalityConfig;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the pipeline YAML into typed config, collecting every problem with the path of its key
 * before failing, so an operator fixes the file in one go. Checks shared with the builders
 * ({@link RedactionRules#keyProblem} and friends) give the same expectation in both places.
 */
final class PipelineConfigReader {

  static final String REDACTION = "redaction";
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

  static final String SAMPLING = "sampling";
  static final String ENRICHMENT = "enrichment";
  static final String SPAN_METRICS = "span-metrics";
  static final String CARDINALITY = "cardinality";

  static final List<String> TOP_LEVEL_KEYS = List.of(REDACTION, SAMPLING, ENRICHMENT, SPAN_METRICS, CARDINALITY);
  static final List<String> REDACTION_KEYS =
      List.of(MODE, DEFAULT_DROP_KEYS, DROP_KEYS, HASH_KEYS, ALLOW_KEYS, PATTERNS, CUSTOM, HMAC_SALT_ENV);
  static final List<String> CUSTOM_KEYS = List.of(NAME, REGEX);

  static final String BOOLEAN_EXPECTED = "true or false";
  static final String KEY_LIST_EXPECTED = "a list of attribute keys";
  static final String PATTERNS_EXPECTED = "a mapping of built-in pattern names to true or false";
  static final String CUSTOM_LIST_EXPECTED = "a list of mappings with keys name and regex";
  static final String CUSTOM_ITEM_EXPECTED = "a mapping with keys name and regex";
  static final String REGEX_EXPECTED = "a Java regular expression";
  static final String ENV_NAME_EXPECTED = "the name of an environment variable, such as " + PipelineConfig.DEFAULT_HMAC_SALT_ENV;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final String source;
  private final Function<String, String> environment;
  private final List<String> problems = new ArrayList<>();

  PipelineConfigReader(String source, Function<String, String> environment) {
    this.source = source;
    this.environment = environment;
  }

  PipelineConfig read(String yaml) {
    JsonNode root;
    try {
      root = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new PipelineConfigException(source, List.of(where + firstLines(e.getOriginalMessage()) + " (expected: valid YAML)"));
    }
    RedactionRules redaction = RedactionRules.getDefault();
    SamplingConfig sampling = SamplingConfig.getDefault();
    EnrichmentConfig enrichment = EnrichmentConfig.getDefault();
    SpanMetricsConfig spanMetrics = SpanMetricsConfig.getDefault();
    CardinalityConfig cardinality = CardinalityConfig.getDefault();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        problems.add(Problems.format("(top level)", describe(root), "a mapping with keys: " + String.join(", ", TOP_LEVEL_KEYS)));
      } else {
        checkKeys(root, "", TOP_LEVEL_KEYS);
        redaction = redaction(root.get(REDACTION));
        sampling = new SamplingConfigReader(this).read(root.get(SAMPLING), SAMPLING);
        ConfigValues values = new ConfigValues(this);
        enrichment = new EnrichmentConfigReader(values).read(root.get(ENRICHMENT), ENRICHMENT);
        spanMetrics = new SpanMetricsConfigReader(values).read(root.get(SPAN_METRICS), SPAN_METRICS);
        cardinality = new CardinalityConfigReader(values).read(root.get(CARDINALITY), CARDINALITY);
      }
    }
    if (!problems.isEmpty()) {
      throw new PipelineConfigException(source, problems);
    }
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, cardinality);
  }

  /**
   * The YAML parser's message without the source excerpts it quotes (indented lines): one line that
   * says what is wrong, as every other problem does.
   */
  private static String firstLines(String message) {
    StringBuilder out = new StringBuilder();
    for (String line : message.split("\\R")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        out.append(out.isEmpty() ? "" : ": ").append(line.trim());
      }
    }
    return out.toString();
  }

  private RedactionRules redaction(JsonNode node) {
    if (node == null || node.isNull()) {
      return RedactionRules.getDefault();
    }
    if (!node.isObject()) {
      problems.add(Problems.format(REDACTION, describe(node), "a mapping with keys: " + String.join(", ", REDACTION_KEYS)));
      return null;
    }
    int problemsBefore = problems.size();
    checkKeys(node, REDACTION, REDACTION_KEYS);
    RedactionRules.Builder builder = RedactionRules.builder();

    RedactionMode mode = RedactionRules.DEFAULT_MODE;
    JsonNode modeNode = node.get(MODE);
    if (modeNode != null) {
      String where = path(REDACTION, MODE);
      if (!modeNode.isTextual()) {
        problems.add(Problems.format(where, describe(modeNode), RedactionMode.allowedValues()));
      } else {
        try {
          mode = RedactionMode.forValue(modeNode.asText());
        } catch (IllegalArgumentException e) {
          problems.add(Problems.format(where, modeNode.asText(), RedactionMode.allowedValues()));
        }
      }
    }
    builder.mode(mode);

    Boolean defaultDropKeys = bool(node.get(DEFAULT_DROP_KEYS), path(REDACTION, DEFAULT_DROP_KEYS));
    if (defaultDropKeys != null) {
      builder.defaultDropKeys(defaultDropKeys);
    }
    List<String> dropKeys = keys(node.get(DROP_KEYS), path(REDACTION, DROP_KEYS));
    List<String> hashKeys = keys(node.get(HASH_KEYS), path(REDACTION, HASH_KEYS));
    List<String> allowKeys = keys(node.get(ALLOW_KEYS), path(REDACTION, ALLOW_KEYS));
    patterns(node.get(PATTERNS), builder);
    List<RedactionRules.CustomPattern> custom = customPatterns(node.get(CUSTOM));

    String saltEnv = PipelineConfig.DEFAULT_HMAC_SALT_ENV;
    JsonNode saltEnvNode = node.get(HMAC_SALT_ENV);
    if (saltEnvNode != null) {
      if (saltEnvNode.isTextual() && ENV_NAME.matcher(saltEnvNode.asText()).matches()) {
        saltEnv = saltEnvNode.asText();
      } else {
        problems.add(Problems.format(path(REDACTION, HMAC_SALT_ENV), describe(saltEnvNode), ENV_NAME_EXPECTED));
        saltEnv = null;
      }
    }

    // Combinations, each checked only when its parts are valid.
    if (!hashKeys.isEmpty() && saltEnv != null) {
      String salt = environment.apply(saltEnv);
      String where = path(REDACTION, HMAC_SALT_ENV);
      if (salt == null || salt.isEmpty()) {
        problems.add(where + ": environment variable '" + saltEnv + "' is not set (expected: "
            + RedactionRules.SALT_EXPECTED + " in it, because " + path(REDACTION, HASH_KEYS) + " is not empty)");
      } else if (RedactionRules.saltProblem(salt) != null) {
        problems.add(where + ": environment variable '" + saltEnv + "' holds " + salt.length() + " characters (expected: "
            + RedactionRules.SALT_EXPECTED + ")");
      } else {
        builder.hmacSalt(salt);
      }
    }
    if (mode == RedactionMode.ALLOW_LIST && allowKeys.isEmpty()) {
      problems.add(Problems.format(path(REDACTION, ALLOW_KEYS), allowKeys, RedactionRules.ALLOW_KEYS_REQUIRED));
    }
    if (mode == RedactionMode.MASK && !allowKeys.isEmpty()) {
      problems.add(Problems.format(path(REDACTION, ALLOW_KEYS), allowKeys, RedactionRules.ALLOW_KEYS_ONLY_IN_ALLOW_LIST));
    }
    if (problems.size() > problemsBefore) {
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
    if (node == null || node.isNull()) {
      return keys;
    }
    if (!node.isArray()) {
      problems.add(Problems.format(where, describe(node), KEY_LIST_EXPECTED));
      return keys;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String problem = item.isTextual() ? RedactionRules.keyProblem(item.asText()) : RedactionRules.KEY_EXPECTED;
      if (problem != null) {
        problems.add(Problems.format(where + "[" + i + "]", describe(item), problem));
      } else {
        keys.add(item.asText());
      }
    }
    return keys;
  }

  private void patterns(JsonNode node, RedactionRules.Builder builder) {
    String where = path(REDACTION, PATTERNS);
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      problems.add(Problems.format(where, describe(node), PATTERNS_EXPECTED));
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      BuiltInPattern pattern = BuiltInPattern.byConfigName(field.getKey());
      if (pattern == null) {
        problems.add(path(where, field.getKey()) + ": unknown pattern (expected: " + BuiltInPattern.allowedNames()
            + "; custom patterns go under " + path(REDACTION, CUSTOM) + ")");
        continue;
      }
      Boolean enabled = bool(field.getValue(), path(where, field.getKey()));
      if (enabled != null) {
        builder.pattern(pattern, enabled);
      }
    }
  }

  private List<RedactionRules.CustomPattern> customPatterns(JsonNode node) {
    String where = path(REDACTION, CUSTOM);
    List<RedactionRules.CustomPattern> patterns = new ArrayList<>();
    if (node == null || node.isNull()) {
      return patterns;
    }
    if (!node.isArray()) {
      problems.add(Problems.format(where, describe(node), CUSTOM_LIST_EXPECTED));
      return patterns;
    }
    Map<String, Integer> names = new LinkedHashMap<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String itemPath = where + "[" + i + "]";
      if (!item.isObject()) {
        problems.add(Problems.format(itemPath, describe(item), CUSTOM_ITEM_EXPECTED));
        continue;
      }
      checkKeys(item, itemPath, CUSTOM_KEYS);
      String name = requiredText(item, itemPath, NAME, RedactionRules.CUSTOM_NAME_EXPECTED);
      String regex = requiredText(item, itemPath, REGEX, REGEX_EXPECTED);
      boolean valid = true;
      if (name != null) {
        String problem = RedactionRules.customNameProblem(name);
        if (problem == null && names.containsKey(name)) {
          problem = "a name not used by another custom pattern (" + where + "[" + names.get(name) + "] has it)";
        }
        if (problem != null) {
          problems.add(Problems.format(path(itemPath, NAME), name, problem));
          valid = false;
        } else {
          names.put(name, i);
        }
      }
      if (regex != null) {
        String problem = RedactionRules.regexProblem(regex);
        if (problem != null) {
          problems.add(Problems.format(path(itemPath, REGEX), regex, problem));
          valid = false;
        }
      }
      if (valid && name != null && regex != null) {
        patterns.add(new RedactionRules.CustomPattern(name, regex));
      }
    }
    return patterns;
  }

  private String requiredText(JsonNode item, String itemPath, String key, String expected) {
    JsonNode value = item.get(key);
    if (value == null || value.isNull()) {
      problems.add(path(itemPath, key) + ": missing (expected: " + expected + ")");
      return null;
    }
    if (!value.isTextual()) {
      problems.add(Problems.format(path(itemPath, key), describe(value), expected));
      return null;
    }
    return value.asText();
  }

  /** Records one problem, already in the {@code <where>: <value> (expected: ...)} shape. */
  void problem(String problem) {
    problems.add(problem);
  }

  int problemCount() {
    return problems.size();
  }

  Boolean bool(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      problems.add(Problems.format(where, describe(node), BOOLEAN_EXPECTED));
      return null;
    }
    return node.booleanValue();
  }

  void checkKeys(JsonNode node, String where, List<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problems.add(path(where, key) + ": unknown key (expected: one of " + String.join(", ", allowed) + ")");
      }
    }
  }

  static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** A YAML value as an operator would recognise it in the file (strings quoted, others not). */
  static Object describe(JsonNode node) {
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
