package io.tributary.processors.sampling;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.internal.ConfigChecks;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a sampling policy or drop rule asks of a whole trace. Each kind is one key in the YAML file
 * ({@code error: {}}, {@code latency: {threshold: 5s}}, {@code and: [...]}, ...); invalid values
 * fail in the constructor with {@code <yaml key>: <value> (expected: ...)}.
 *
 * <p>Span-level conditions (status, durations, attributes) hold when <em>any</em> buffered span of
 * the trace satisfies them. Spans beyond a trace's cap are not seen by the conditions.
 */
public sealed interface SamplingCondition {

  /** Every trace. */
  static SamplingCondition always() {
    return Always.INSTANCE;
  }

  /** Traces with a span whose status is ERROR. */
  static SamplingCondition hasError() {
    return HasError.INSTANCE;
  }

  /** Traces whose duration (latest span end minus earliest span start) is at least {@code threshold}. */
  static SamplingCondition latencyAtLeast(Duration threshold) {
    return new Latency(threshold, LatencyScope.TRACE);
  }

  /** Traces whose spans' LLM cost (the cost attribute, summed) is at least {@code usd}. */
  static SamplingCondition costAtLeast(double usd) {
    return new Cost(usd);
  }

  /** {@code percentage} of traces, chosen from the trace id so every instance agrees. */
  static SamplingCondition probabilistic(double percentage) {
    return new Probabilistic(percentage);
  }

  /** Matches every trace. YAML: {@code always: {}}. */
  record Always() implements SamplingCondition {
    static final Always INSTANCE = new Always();
  }

  /** A span has status ERROR. YAML: {@code error: {}}. */
  record HasError() implements SamplingCondition {
    static final HasError INSTANCE = new HasError();
  }

  /**
   * The trace (or, with {@link LatencyScope#SPAN}, one of its spans) lasted at least
   * {@code threshold}. YAML: {@code latency: {threshold: 5s, scope: trace}}.
   */
  record Latency(Duration threshold, LatencyScope scope) implements SamplingCondition {
    public static final String THRESHOLD_EXPECTED = "a duration > 0, such as 500ms, 5s or 1m";

    public Latency {
      requireNonNull(threshold, "threshold");
      requireNonNull(scope, "scope");
      ConfigChecks.positive("threshold", threshold, THRESHOLD_EXPECTED);
    }

    @Override
    public String toString() {
      return "latency>=" + ConfigChecks.format(threshold) + (scope == LatencyScope.SPAN ? " (any span)" : "");
    }
  }

  /**
   * The sum of the trace's span cost attribute ({@link SamplingConfig#costAttribute()}) is at least
   * {@code thresholdUsd}; a trace with no cost attribute never matches. YAML: {@code cost: {threshold: 1.0}}.
   */
  record Cost(double thresholdUsd) implements SamplingCondition {
    public static final String THRESHOLD_EXPECTED = "a number of US dollars >= 0";

    public Cost {
      if (!(thresholdUsd >= 0) || Double.isInfinite(thresholdUsd)) {
        throw new IllegalArgumentException("threshold: " + thresholdUsd + " (expected: " + THRESHOLD_EXPECTED + ")");
      }
    }

    @Override
    public String toString() {
      return "cost>=" + thresholdUsd;
    }
  }

  /**
   * A span (or its resource, per {@code scope}) has attribute {@code key} with a value that
   * {@code match} accepts. YAML: {@code attribute: {key: http.route, scope: any, values: [/checkout]}}
   * with exactly one of {@code values}, {@code regex}, {@code min}/{@code max} or {@code boolean}.
   */
  record Attribute(String key, AttributeScope scope, AttributeMatch match) implements SamplingCondition {
    public static final String KEY_EXPECTED = "an attribute key such as http.route";

    public Attribute {
      requireNonNull(key, "key");
      requireNonNull(scope, "scope");
      requireNonNull(match, "match");
      if (key.isBlank()) {
        throw new IllegalArgumentException("key: '" + key + "' (expected: " + KEY_EXPECTED + ")");
      }
    }

    @Override
    public String toString() {
      return "attribute[" + scope.configValue() + "]" + key + " " + match;
    }
  }

  /**
   * The trace has between {@code min} and {@code max} spans, both inclusive. YAML:
   * {@code span-count: {min: 2, max: 500}}; either bound may be left out.
   */
  record SpanCount(int min, int max) implements SamplingCondition {
    public static final String BOUNDS_EXPECTED = "0 <= min <= max, and at least one of min and max";

    public SpanCount {
      if (min < 0 || max < min || (min == 0 && max == Integer.MAX_VALUE)) {
        throw new IllegalArgumentException("min: " + min + ", max: " + (max == Integer.MAX_VALUE ? "none" : max)
            + " (expected: " + BOUNDS_EXPECTED + ")");
      }
    }

    @Override
    public String toString() {
      return "span-count[" + min + ".." + (max == Integer.MAX_VALUE ? "" : max) + "]";
    }
  }

  /**
   * Consistent probabilistic sampling: keeps a trace when the randomness of its trace id (its low 56
   * bits, as W3C Trace Context level 2 defines it) is at least the rejection threshold
   * {@code (1 - percentage / 100) * 2^56}, the comparison OpenTelemetry's consistent probability
   * samplers make. Every instance, every restart and every late span reaches the same answer, and
   * a head sampler at the same or a lower percentage keeps a subset of these traces. YAML:
   * {@code probabilistic: {percentage: 10}}.
   */
  record Probabilistic(double percentage) implements SamplingCondition {
    public static final String PERCENTAGE_EXPECTED = "a number from 0 to 100";

    public Probabilistic {
      if (!(percentage >= 0 && percentage <= 100)) {
        throw new IllegalArgumentException("percentage: " + percentage + " (expected: " + PERCENTAGE_EXPECTED + ")");
      }
    }

    @Override
    public String toString() {
      return "probabilistic " + percentage + "%";
    }
  }

  /**
   * At most {@code perSecond} traces (or spans) per second per {@code service.name} (the root span's
   * service, else the first span's), from a token bucket holding one second's worth. The bucket is
   * per application instance: every stream thread and task of one instance shares it, and N instances
   * together keep up to N times the rate. Tokens are taken only when the condition is evaluated, so
   * put it last in an {@code and}. YAML: {@code rate-limit: {per-second: 100, unit: traces}}.
   */
  record RateLimit(double perSecond, RateUnit unit) implements SamplingCondition {
    public static final String PER_SECOND_EXPECTED = "a number > 0";

    public RateLimit {
      requireNonNull(unit, "unit");
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("per-second: " + perSecond + " (expected: " + PER_SECOND_EXPECTED + ")");
      }
    }

    @Override
    public String toString() {
      return "rate-limit " + perSecond + " " + unit.configValue() + "/s per service";
    }
  }

  /** Every condition holds (evaluated in order, stopping at the first that does not). YAML: {@code and: [...]}. */
  record And(List<SamplingCondition> conditions) implements SamplingCondition {
    public And {
      conditions = checkedList("and", conditions);
    }
  }

  /** At least one condition holds (evaluated in order, stopping at the first that does). YAML: {@code or: [...]}. */
  record Or(List<SamplingCondition> conditions) implements SamplingCondition {
    public Or {
      conditions = checkedList("or", conditions);
    }
  }

  /** The condition does not hold. YAML: {@code not: {...}}. */
  record Not(SamplingCondition condition) implements SamplingCondition {
    public Not {
      requireNonNull(condition, "condition");
    }
  }

  String CONDITIONS_EXPECTED = "a non-empty list of conditions";

  private static List<SamplingCondition> checkedList(String name, List<SamplingCondition> conditions) {
    requireNonNull(conditions, name);
    if (conditions.isEmpty()) {
      throw new IllegalArgumentException(name + ": [] (expected: " + CONDITIONS_EXPECTED + ")");
    }
    return List.copyOf(conditions);
  }

  /** What an {@link Attribute} condition accepts. */
  sealed interface AttributeMatch {

    /** A string value equal to one of {@code values}. YAML: {@code values: [a, b]}. */
    record Values(Set<String> values) implements AttributeMatch {
      public static final String VALUES_EXPECTED = "a non-empty list of strings";

      public Values {
        requireNonNull(values, "values");
        if (values.isEmpty()) {
          throw new IllegalArgumentException("values: [] (expected: " + VALUES_EXPECTED + ")");
        }
        values = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(values));
      }

      @Override
      public String toString() {
        return "in " + values;
      }
    }

    /**
     * A number (long or double attribute) in {@code [min, max]}; an infinite bound is open. YAML:
     * {@code min: 500} and/or {@code max: 599}.
     */
    record Range(double min, double max) implements AttributeMatch {
      public static final String RANGE_EXPECTED = "numbers with min <= max, at least one of them";

      public Range {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max
            || (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException("min: " + min + ", max: " + max + " (expected: " + RANGE_EXPECTED + ")");
        }
      }

      @Override
      public String toString() {
        return "in [" + min + ", " + max + "]";
      }
    }

    /** A boolean value equal to {@code value}. YAML: {@code boolean: true}. */
    record Bool(boolean value) implements AttributeMatch {
      @Override
      public String toString() {
        return "== " + value;
      }
    }

    /**
     * A string value in which {@code regex} finds a match (anchor it with {@code ^...$} to match the
     * whole value). YAML: {@code regex: '^/api/'}.
     */
    record Regex(String regex) implements AttributeMatch {
      public Regex {
        requireNonNull(regex, "regex");
        try {
          Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("regex: '" + regex + "' (expected: a valid Java regular expression; "
              + e.getDescription() + " near index " + e.getIndex() + ")");
        }
      }

      @Override
      public String toString() {
        return "~ /" + regex + "/";
      }
    }
  }

  /** Whose duration a {@link Latency} condition measures. */
  enum LatencyScope {
    /** The trace: latest end minus earliest start over its spans. */
    TRACE,
    /** The longest single span. */
    SPAN;

    public String configValue() {
      return ConfigNames.configValue(this);
    }

    public static LatencyScope forValue(String value) {
      return ConfigNames.forValue(LatencyScope.class, "scope", value);
    }

    public static String allowedValues() {
      return ConfigNames.allowedValues(LatencyScope.class);
    }
  }

  /** Which attributes an {@link Attribute} condition looks at. */
  enum AttributeScope {
    /** The span's own attributes. */
    SPAN,
    /** The attributes of the span's resource (service.name, host.name, ...). */
    RESOURCE,
    /** Both. */
    ANY;

    public String configValue() {
      return ConfigNames.configValue(this);
    }

    public static AttributeScope forValue(String value) {
      return ConfigNames.forValue(AttributeScope.class, "scope", value);
    }

    public static String allowedValues() {
      return ConfigNames.allowedValues(AttributeScope.class);
    }
  }

  /** What a {@link RateLimit} counts. */
  enum RateUnit {
    /** One token per trace. */
    TRACES,
    /** One token per span of the trace (a trace with more spans than one second's worth is never kept). */
    SPANS;

    public String configValue() {
      return ConfigNames.configValue(this);
    }

    public static RateUnit forValue(String value) {
      return ConfigNames.forValue(RateUnit.class, "unit", value);
    }

    public static String allowedValues() {
      return ConfigNames.allowedValues(RateUnit.class);
    }
  }
}
