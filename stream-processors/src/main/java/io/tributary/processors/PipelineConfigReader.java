package io.tributary.processors;

import static io.tributary.processors.ConfigValues.path;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.metrics.CardinalityConfig;
import io.tributary.processors.otlp.OtlpOutputConfig;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the pipeline YAML into typed config, collecting every problem with the path of its key
 * ({@link ConfigValues}) before failing, so an operator fixes the file in one go; the other sections
 * have readers of their own. Checks shared with the builders ({@link RedactionRules#keyProblem} and
 * friends) give the same expectation in both places.
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
  static final String OTLP_OUTPUT = "otlp-output";

  static final List<String> TOP_LEVEL_KEYS =
      List.of(REDACTION, SAMPLING, ENRICHMENT, SPAN_METRICS, CARDINALITY, OTLP_OUTPUT);
  static final List<String> REDACTION_KEYS =
      List.of(MODE, DEFAULT_DROP_KEYS, DROP_KEYS, HASH_KEYS, ALLOW_KEYS, PATTERNS, CUSTOM, HMAC_SALT_ENV);
  static final List<String> CUSTOM_KEYS = List.of(NAME, REGEX);

  static final String KEY_LIST_EXPECTED = "a list of attribute keys";
  static final String PATTERNS_EXPECTED = "a mapping of built-in pattern names to true or false";
  static final String CUSTOM_LIST_EXPECTED = "a list of mappings with keys name and regex";
  static final String CUSTOM_ITEM_EXPECTED = "a mapping with keys name and regex";
  static final String REGEX_EXPECTED = "a Java regular expression";
  static final String REDACTION_FILE_EXPECTED =
      "one top-level key, redaction, holding the rules as in the pipeline file (mode, drop-keys, hash-keys, ...)";
  static final String ENV_NAME_EXPECTED = "the name of an environment variable, such as " + PipelineConfig.DEFAULT_HMAC_SALT_ENV;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final String source;
  private final Function<String, String> environment;
  private final ConfigValues values = new ConfigValues();

  PipelineConfigReader(String source, Function<String, String> environment) {
    this.source = source;
    this.environment = environment;
  }

  PipelineConfig read(String yaml) {
    JsonNode root = tree(yaml);
    RedactionRules redaction = RedactionRules.getDefault();
    SamplingConfig sampling = SamplingConfig.getDefault();
    EnrichmentConfig enrichment = EnrichmentConfig.getDefault();
    SpanMetricsConfig spanMetrics = SpanMetricsConfig.getDefault();
    CardinalityConfig cardinality = CardinalityConfig.getDefault();
    OtlpOutputConfig otlpOutput = OtlpOutputConfig.getDefault();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        values.unexpected(root, "(top level)", ConfigValues.mappingExpected(TOP_LEVEL_KEYS));
      } else {
        values.checkKeys(root, "", TOP_LEVEL_KEYS);
        redaction = redaction(root.get(REDACTION));
        sampling = new SamplingConfigReader(values).read(root.get(SAMPLING), SAMPLING);
        enrichment = new EnrichmentConfigReader(values).read(root.get(ENRICHMENT), ENRICHMENT);
        spanMetrics = new SpanMetricsConfigReader(values).read(root.get(SPAN_METRICS), SPAN_METRICS);
        cardinality = new CardinalityConfigReader(values).read(root.get(CARDINALITY), CARDINALITY);
        otlpOutput = new OtlpOutputConfigReader(values).read(root.get(OTLP_OUTPUT), OTLP_OUTPUT);
      }
    }
    if (values.problemCount() > 0) {
      throw new PipelineConfigException(source, values.problems());
    }
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, cardinality, otlpOutput);
  }

  /**
   * Reads a redaction rules file: the {@code redaction:} section alone, checked as in the pipeline
   * file (same key paths), required to be there so an empty or misnamed file is not taken for the defaults.
   */
  RedactionRules readRedaction(String yaml) {
    JsonNode root = tree(yaml);
    RedactionRules redaction = null;
    if (root == null || root.isMissingNode() || root.isNull() || !root.isObject()) {
      values.problem("(top level): " + (root == null || root.isMissingNode() || root.isNull() ? "empty" : "not a mapping")
          + " (expected: " + REDACTION_FILE_EXPECTED + ")");
    } else if (root.get(REDACTION) == null) {
      values.checkKeys(root, "", List.of(REDACTION));
      values.problem(REDACTION + ": missing (expected: " + REDACTION_FILE_EXPECTED + ")");
    } else {
      values.checkKeys(root, "", List.of(REDACTION));
      redaction = redaction(root.get(REDACTION));
    }
    if (values.problemCount() > 0) {
      throw new PipelineConfigException(source, values.problems());
    }
    return redaction;
  }

  private JsonNode tree(String yaml) {
    try {
      return MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new PipelineConfigException(source, List.of(where + firstLines(e.getOriginalMessage()) + " (expected: valid YAML)"));
    }
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

    String saltEnv = PipelineConfig.DEFAULT_HMAC_SALT_ENV;
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
