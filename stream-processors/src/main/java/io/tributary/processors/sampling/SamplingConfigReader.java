package io.tributary.processors.sampling;

import static io.tributary.processors.internal.ConfigValues.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.processors.internal.ConfigValues;
import io.tributary.processors.sampling.SamplingCondition.AttributeMatch;
import io.tributary.processors.sampling.SamplingCondition.AttributeScope;
import io.tributary.processors.sampling.SamplingCondition.LatencyScope;
import io.tributary.processors.sampling.SamplingCondition.RateUnit;
import io.tributary.schemas.config.ByteSizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Reads the {@code sampling:} section into a {@link SamplingConfig}, reporting problems through
 * {@link ConfigValues} with the path of each key. Values are checked by the config types
 * themselves (their messages start with the YAML key), so the file and the builders say the same.
 */
public final class SamplingConfigReader {

  static final String ENABLED = "enabled";
  static final String DECISION_WAIT = "decision-wait";
  static final String DECISION_WAIT_FROM = "decision-wait-from";
  static final String DECIDE_ON_ROOT = "decide-on-root";
  static final String ROOT_GRACE = "root-grace";
  static final String DECISION_CACHE_TTL = "decision-cache-ttl";
  static final String CHECK_INTERVAL = "check-interval";
  static final String MAX_SPANS_PER_TRACE = "max-spans-per-trace";
  static final String MAX_BYTES_PER_TRACE = "max-bytes-per-trace";
  static final String COST_ATTRIBUTE = "cost-attribute";
  static final String DROP = "drop";
  static final String POLICIES = "policies";
  static final List<String> SAMPLING_KEYS = List.of(ENABLED, DECISION_WAIT, DECISION_WAIT_FROM, DECIDE_ON_ROOT,
      ROOT_GRACE, DECISION_CACHE_TTL, CHECK_INTERVAL, MAX_SPANS_PER_TRACE, MAX_BYTES_PER_TRACE, COST_ATTRIBUTE, DROP,
      POLICIES);

  static final String NAME = "name";
  static final String ALWAYS = "always";
  static final String ERROR = "error";
  static final String LATENCY = "latency";
  static final String COST = "cost";
  static final String ATTRIBUTE = "attribute";
  static final String SPAN_COUNT = "span-count";
  static final String PROBABILISTIC = "probabilistic";
  static final String RATE_LIMIT = "rate-limit";
  static final String AND = "and";
  static final String OR = "or";
  static final String NOT = "not";
  static final List<String> CONDITION_KEYS =
      List.of(ALWAYS, ERROR, LATENCY, COST, ATTRIBUTE, SPAN_COUNT, PROBABILISTIC, RATE_LIMIT, AND, OR, NOT);

  static final String THRESHOLD = "threshold";
  static final String SCOPE = "scope";
  static final String KEY = "key";
  static final String VALUES = "values";
  static final String REGEX = "regex";
  static final String MIN = "min";
  static final String MAX = "max";
  static final String BOOLEAN = "boolean";
  static final String PERCENTAGE = "percentage";
  static final String PER_SECOND = "per-second";
  static final String UNIT = "unit";

  static final String SIZE_EXPECTED = ByteSizes.EXPECTED;
  static final String NO_ARGUMENTS_EXPECTED = "{} (this condition takes no settings)";
  static final String POLICY_LIST_EXPECTED = "a list of mappings, each with a name and one condition";
  static final String POLICY_EXPECTED = "a mapping with a name and one condition";
  static final String CONDITION_EXPECTED = "a mapping with one of: " + String.join(", ", CONDITION_KEYS);
  static final String MATCH_EXPECTED = "exactly one of values, regex, min/max or boolean";


  private final ConfigValues values;

  public SamplingConfigReader(ConfigValues values) {
    this.values = values;
  }

  /** The section at {@code where}; the defaults when absent; null after a problem. */
  public SamplingConfig read(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return SamplingConfig.getDefault();
    }
    int problemsBefore = values.problemCount();
    if (!values.mapping(node, where, SAMPLING_KEYS)) {
      return null;
    }
    SamplingConfig.Builder builder = SamplingConfig.builder();

    values.set(where, builder::enabled, values.bool(node.get(ENABLED), path(where, ENABLED)));
    values.set(where, builder::decisionWait, values.duration(node.get(DECISION_WAIT), path(where, DECISION_WAIT)));
    values.set(where, builder::decisionWaitFrom, values.choice(node.get(DECISION_WAIT_FROM),
        path(where, DECISION_WAIT_FROM), DecisionWaitFrom::forValue, DecisionWaitFrom.allowedValues()));
    values.set(where, builder::decideOnRoot, values.bool(node.get(DECIDE_ON_ROOT), path(where, DECIDE_ON_ROOT)));
    values.set(where, builder::rootGrace, values.duration(node.get(ROOT_GRACE), path(where, ROOT_GRACE)));
    values.set(where, builder::decisionCacheTtl,
        values.duration(node.get(DECISION_CACHE_TTL), path(where, DECISION_CACHE_TTL)));
    values.set(where, builder::checkInterval, values.duration(node.get(CHECK_INTERVAL), path(where, CHECK_INTERVAL)));
    values.set(where, builder::maxSpansPerTrace,
        values.integer(node.get(MAX_SPANS_PER_TRACE), path(where, MAX_SPANS_PER_TRACE)));
    values.set(where, builder::maxBytesPerTrace, size(node.get(MAX_BYTES_PER_TRACE), path(where, MAX_BYTES_PER_TRACE)));
    values.set(where, builder::costAttribute, values.text(node.get(COST_ATTRIBUTE), path(where, COST_ATTRIBUTE)));
    values.set(where, builder::dropRules, policies(node.get(DROP), path(where, DROP)));
    values.set(where, builder::policies, policies(node.get(POLICIES), path(where, POLICIES)));
    if (values.problemCount() > problemsBefore) {
      return null;
    }
    return values.attempt(where, builder::build); // names unique across drop rules and policies
  }

  /** A list of named conditions; null when absent (keep the builder's) or invalid. */
  private List<SamplingPolicy> policies(JsonNode node, String where) {
    if (!values.hasList(node, where, POLICY_LIST_EXPECTED)) {
      return null;
    }
    List<SamplingPolicy> policies = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < node.size(); i++) {
      String itemPath = where + "[" + i + "]";
      JsonNode item = node.get(i);
      if (!item.isObject()) {
        values.unexpected(item, itemPath, POLICY_EXPECTED);
        valid = false;
        continue;
      }
      String name = values.requiredText(item, itemPath, NAME, SamplingPolicy.NAME_EXPECTED);
      SamplingCondition condition = condition(item, itemPath, true);
      if (name == null || condition == null) {
        valid = false;
        continue;
      }
      SamplingPolicy policy = values.attempt(itemPath, () -> SamplingPolicy.of(name, condition));
      if (policy == null) {
        valid = false;
      } else {
        policies.add(policy);
      }
    }
    return valid ? policies : null;
  }

  /** The one condition key of mapping {@code item} (which may also hold the policy's name). */
  private SamplingCondition condition(JsonNode item, String where, boolean named) {
    if (!item.isObject()) {
      values.unexpected(item, where, CONDITION_EXPECTED);
      return null;
    }
    List<String> allowed = new ArrayList<>(CONDITION_KEYS);
    if (named) {
      allowed.addFirst(NAME);
    }
    values.checkKeys(item, where, allowed);
    List<String> kinds = CONDITION_KEYS.stream().filter(item::has).toList();
    if (kinds.isEmpty()) {
      values.problem(where + ": no condition (expected: one of " + String.join(", ", CONDITION_KEYS) + ")");
      return null;
    }
    if (kinds.size() > 1) {
      values.problem(where + ": " + String.join(" and ", kinds) + " together (expected: exactly one condition; "
          + "combine conditions with and, or, not)");
      return null;
    }
    String kind = kinds.getFirst();
    return conditionOfKind(kind, item.get(kind), path(where, kind));
  }

  private SamplingCondition conditionOfKind(String kind, JsonNode value, String where) {
    return switch (kind) {
      case ALWAYS -> noArguments(value, where) ? SamplingCondition.always() : null;
      case ERROR -> noArguments(value, where) ? SamplingCondition.hasError() : null;
      case LATENCY -> {
        if (!values.settings(value, where, List.of(THRESHOLD, SCOPE))) {
          yield null;
        }
        Duration threshold = values.required(value, where, THRESHOLD, ConfigValues.DURATION_EXPECTED)
            ? values.duration(value.get(THRESHOLD), path(where, THRESHOLD)) : null;
        LatencyScope scope = value.has(SCOPE) ? values.choice(value.get(SCOPE), path(where, SCOPE),
            LatencyScope::forValue, LatencyScope.allowedValues()) : LatencyScope.TRACE;
        yield threshold == null || scope == null ? null
            : values.attempt(where, () -> new SamplingCondition.Latency(threshold, scope));
      }
      case COST -> numberCondition(value, where, THRESHOLD, SamplingCondition.Cost::new);
      case ATTRIBUTE -> attribute(value, where);
      case SPAN_COUNT -> {
        if (!values.settings(value, where, List.of(MIN, MAX))) {
          yield null;
        }
        Integer min = values.optional(value, where, MIN, ConfigValues.INTEGER_EXPECTED, values::integer, 0);
        Integer max = values.optional(value, where, MAX, ConfigValues.INTEGER_EXPECTED, values::integer,
            Integer.MAX_VALUE);
        yield min == null || max == null ? null
            : values.attempt(where, () -> new SamplingCondition.SpanCount(min, max));
      }
      case PROBABILISTIC -> numberCondition(value, where, PERCENTAGE, SamplingCondition.Probabilistic::new);
      case RATE_LIMIT -> {
        if (!values.settings(value, where, List.of(PER_SECOND, UNIT))
            || !values.required(value, where, PER_SECOND, ConfigValues.NUMBER_EXPECTED)) {
          yield null;
        }
        Double perSecond = values.number(value.get(PER_SECOND), path(where, PER_SECOND));
        RateUnit unit = value.has(UNIT) ? values.choice(value.get(UNIT), path(where, UNIT), RateUnit::forValue,
            RateUnit.allowedValues()) : RateUnit.TRACES;
        yield perSecond == null || unit == null ? null
            : values.attempt(where, () -> new SamplingCondition.RateLimit(perSecond, unit));
      }
      case AND, OR -> {
        List<SamplingCondition> conditions = conditionList(value, where);
        yield conditions == null ? null
            : kind.equals(AND) ? new SamplingCondition.And(conditions) : new SamplingCondition.Or(conditions);
      }
      case NOT -> {
        SamplingCondition inner = condition(value, where, false);
        yield inner == null ? null : new SamplingCondition.Not(inner);
      }
      default -> throw new IllegalStateException("condition " + kind);
    };
  }

  /** A condition with one setting, {@code key}: a number it is made of. */
  private SamplingCondition numberCondition(JsonNode value, String where, String key,
      DoubleFunction<SamplingCondition> condition) {
    if (!values.settings(value, where, List.of(key)) || !values.required(value, where, key, ConfigValues.NUMBER_EXPECTED)) {
      return null;
    }
    Double number = values.number(value.get(key), path(where, key));
    return number == null ? null : values.attempt(where, () -> condition.apply(number));
  }

  private SamplingCondition attribute(JsonNode value, String where) {
    if (!values.settings(value, where, List.of(KEY, SCOPE, VALUES, REGEX, MIN, MAX, BOOLEAN))
        || !values.required(value, where, KEY, SamplingCondition.Attribute.KEY_EXPECTED)) {
      return null;
    }
    String key = values.text(value.get(KEY), path(where, KEY));
    AttributeScope scope = value.has(SCOPE) ? values.choice(value.get(SCOPE), path(where, SCOPE),
        AttributeScope::forValue, AttributeScope.allowedValues()) : AttributeScope.ANY;
    List<String> matches = new ArrayList<>();
    for (String match : List.of(VALUES, REGEX, BOOLEAN)) {
      if (value.has(match)) {
        matches.add(match);
      }
    }
    if (value.has(MIN) || value.has(MAX)) {
      matches.add(MIN + "/" + MAX);
    }
    if (matches.size() != 1) {
      values.problem(where + ": " + (matches.isEmpty() ? "no match" : String.join(" and ", matches) + " together")
          + " (expected: " + MATCH_EXPECTED + ")");
      return null;
    }
    AttributeMatch match = switch (matches.getFirst()) {
      case VALUES -> {
        Set<String> strings = strings(value.get(VALUES), path(where, VALUES));
        yield strings == null ? null : values.attempt(where, () -> new AttributeMatch.Values(strings));
      }
      case REGEX -> {
        String regex = values.given(value.get(REGEX), path(where, REGEX), ConfigValues.TEXT_EXPECTED, values::text);
        yield regex == null ? null : values.attempt(where, () -> new AttributeMatch.Regex(regex));
      }
      case BOOLEAN -> {
        Boolean expected = values.bool(value.get(BOOLEAN), path(where, BOOLEAN));
        yield expected == null ? null : new AttributeMatch.Bool(expected);
      }
      default -> {
        Double min = values.optional(value, where, MIN, ConfigValues.NUMBER_EXPECTED, values::number,
            Double.NEGATIVE_INFINITY);
        Double max = values.optional(value, where, MAX, ConfigValues.NUMBER_EXPECTED, values::number,
            Double.POSITIVE_INFINITY);
        yield min == null || max == null ? null : values.attempt(where, () -> new AttributeMatch.Range(min, max));
      }
    };
    return key == null || scope == null || match == null ? null
        : values.attempt(where, () -> new SamplingCondition.Attribute(key, scope, match));
  }

  private List<SamplingCondition> conditionList(JsonNode value, String where) {
    if (value == null || !value.isArray() || value.isEmpty()) {
      values.unexpected(value, where, SamplingCondition.CONDITIONS_EXPECTED);
      return null;
    }
    List<SamplingCondition> conditions = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < value.size(); i++) {
      SamplingCondition condition = condition(value.get(i), where + "[" + i + "]", false);
      valid &= condition != null;
      conditions.add(condition);
    }
    return valid ? conditions : null;
  }

  // ---------------------------------------------------------------- values

  private boolean noArguments(JsonNode value, String where) {
    if (value == null || value.isNull() || (value.isObject() && value.isEmpty())) {
      return true;
    }
    values.unexpected(value, where, NO_ARGUMENTS_EXPECTED);
    return false;
  }

  /** A size in bytes: a whole number, or text as {@link ByteSizes#parse} reads it (8MiB, 512KiB, 16MB). */
  private Long size(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isTextual()) {
      try {
        return ByteSizes.parse(node.asText());
      } catch (IllegalArgumentException e) {
        // reported below, with the path
      }
    }
    values.unexpected(node, where, SIZE_EXPECTED);
    return null;
  }

  /** A list of strings; one string alone counts as a list of one. */
  private Set<String> strings(JsonNode node, String where) {
    if (node.isTextual()) {
      return Set.of(node.asText());
    }
    if (!node.isArray()) {
      values.unexpected(node, where, AttributeMatch.Values.VALUES_EXPECTED);
      return null;
    }
    Set<String> strings = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) { // numbers would never equal a string attribute: say so now
        values.unexpected(item, where + "[" + i + "]", ConfigValues.TEXT_EXPECTED
            + " (for numbers use min/max, for booleans boolean)");
        return null;
      }
      strings.add(item.asText());
    }
    return strings;
  }
}
