package io.tributary.processors.sampling;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.internal.ConfigChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tail sampling of the traces pipeline (the {@code sampling:} section of the pipeline YAML file).
 * Spans wait in persistent stores until their trace is decided; then drop rules are evaluated
 * first (a match drops the trace), then the policies in order: the first that matches keeps the
 * trace and is recorded on each of its spans. A trace no policy matches is dropped.
 *
 * <pre>{@code
 * SamplingConfig sampling = SamplingConfig.builder()
 *     .decisionWait(Duration.ofSeconds(5))
 *     .addDropRule(SamplingPolicy.of("health", new SamplingCondition.Attribute("http.route",
 *         AttributeScope.SPAN, new AttributeMatch.Values(Set.of("/health")))))
 *     .build();
 * }</pre>
 *
 * <p>The shipped defaults ({@link #getDefault()}): keep every trace with an error, every trace of 5 s
 * or more, every trace whose LLM cost is $1 or more, and 10% of the rest; decide 10 s after a trace's
 * first span. Leaving a policy out of {@code policies} is how one is turned off.
 *
 * @param enabled whether the step runs at all; off, every span passes straight through, unsampled
 * @param decisionWait how long after the first (or last) span a trace is decided
 * @param decisionWaitFrom which span starts the wait
 * @param decideOnRoot whether the arrival of the root span (which is exported once it ended)
 *     brings the decision forward to {@code rootGrace} after it
 * @param rootGrace with {@code decideOnRoot}, the time left for the root's stragglers
 * @param decisionCacheTtl how long a decision is remembered for late spans; a span arriving later
 *     starts its trace anew (consistent policies such as probabilistic decide the same again)
 * @param checkInterval how often expired traces are looked for (wall-clock time); a decision comes
 *     at most this much after its deadline
 * @param maxSpansPerTrace spans buffered per trace; the trace is decided as soon as one more
 *     arrives, and that and later spans follow the decision
 * @param maxBytesPerTrace bytes (serialized spans) buffered per trace, with the same effect; a
 *     trace's first span is buffered whatever its size
 * @param costAttribute the span attribute holding a span's LLM cost in US dollars (a number), summed
 *     per trace for {@link SamplingCondition.Cost}; the enrichment step writes it
 * @param dropRules evaluated first; the first match drops the trace
 * @param policies evaluated in order after the drop rules; the first match keeps the trace
 */
public record SamplingConfig(
    boolean enabled,
    Duration decisionWait,
    DecisionWaitFrom decisionWaitFrom,
    boolean decideOnRoot,
    Duration rootGrace,
    Duration decisionCacheTtl,
    Duration checkInterval,
    int maxSpansPerTrace,
    long maxBytesPerTrace,
    String costAttribute,
    List<SamplingPolicy> dropRules,
    List<SamplingPolicy> policies) {

  private static final Logger log = LoggerFactory.getLogger(SamplingConfig.class);

  public static final boolean DEFAULT_ENABLED = true;
  public static final Duration DEFAULT_DECISION_WAIT = Duration.ofSeconds(10);
  public static final DecisionWaitFrom DEFAULT_DECISION_WAIT_FROM = DecisionWaitFrom.FIRST;
  public static final boolean DEFAULT_DECIDE_ON_ROOT = false;
  public static final Duration DEFAULT_ROOT_GRACE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_DECISION_CACHE_TTL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_SPANS_PER_TRACE = 10_000;
  public static final long DEFAULT_MAX_BYTES_PER_TRACE = 8L * 1024 * 1024;
  /** Written by the enrichment step from token counts and a price table. */
  public static final String DEFAULT_COST_ATTRIBUTE = "tributary.llm.cost_usd";
  /** The shipped policies (issue 3 of the project): errors, slow traces, costly LLM traces, 10% of the rest. */
  public static final List<SamplingPolicy> DEFAULT_POLICIES = List.of(
      SamplingPolicy.of("errors", SamplingCondition.hasError()),
      SamplingPolicy.of("slow", SamplingCondition.latencyAtLeast(Duration.ofSeconds(5))),
      SamplingPolicy.of("llm-cost", SamplingCondition.costAtLeast(1.0)),
      SamplingPolicy.of("probabilistic", SamplingCondition.probabilistic(10)));

  public static final String POSITIVE_DURATION_EXPECTED = "a duration > 0, such as 500ms, 10s or 5m";
  public static final String DURATION_EXPECTED = "a duration >= 0, such as 0s, 500ms or 2s";
  public static final String MAX_SPANS_EXPECTED = "an integer >= 1";
  public static final String MAX_BYTES_EXPECTED = "a size >= 1 such as 8MiB, 512KiB or 1048576";
  public static final String ATTRIBUTE_EXPECTED = "an attribute key such as " + DEFAULT_COST_ATTRIBUTE;
  public static final String UNIQUE_NAME_EXPECTED = "a name used by no other policy or drop rule";

  private static final SamplingConfig DEFAULT = builder().build();

  public SamplingConfig {
    requireNonNull(decisionWait, "decisionWait");
    requireNonNull(decisionWaitFrom, "decisionWaitFrom");
    requireNonNull(rootGrace, "rootGrace");
    requireNonNull(decisionCacheTtl, "decisionCacheTtl");
    requireNonNull(checkInterval, "checkInterval");
    requireNonNull(costAttribute, "costAttribute");
    checkPositive("decision-wait", decisionWait);
    checkNotNegative("root-grace", rootGrace);
    checkPositive("decision-cache-ttl", decisionCacheTtl);
    checkPositive("check-interval", checkInterval);
    if (maxSpansPerTrace < 1) {
      throw new IllegalArgumentException("max-spans-per-trace: " + maxSpansPerTrace + " (expected: " + MAX_SPANS_EXPECTED + ")");
    }
    if (maxBytesPerTrace < 1) {
      throw new IllegalArgumentException("max-bytes-per-trace: " + maxBytesPerTrace + " (expected: " + MAX_BYTES_EXPECTED + ")");
    }
    if (costAttribute.isBlank()) {
      throw new IllegalArgumentException("cost-attribute: '" + costAttribute + "' (expected: " + ATTRIBUTE_EXPECTED + ")");
    }
    dropRules = List.copyOf(dropRules);
    policies = List.copyOf(policies);
    Map<String, String> names = new HashMap<>();
    checkUnique("drop", dropRules, names);
    checkUnique("policies", policies, names);
  }

  /** The shipped defaults (see the class comment). */
  public static SamplingConfig getDefault() {
    return DEFAULT;
  }

  /** Starts from the defaults, {@link #DEFAULT_POLICIES} included. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.decisionWait = decisionWait;
    b.decisionWaitFrom = decisionWaitFrom;
    b.decideOnRoot = decideOnRoot;
    b.rootGrace = rootGrace;
    b.decisionCacheTtl = decisionCacheTtl;
    b.checkInterval = checkInterval;
    b.maxSpansPerTrace = maxSpansPerTrace;
    b.maxBytesPerTrace = maxBytesPerTrace;
    b.costAttribute = costAttribute;
    b.dropRules = new ArrayList<>(dropRules);
    b.policies = new ArrayList<>(policies);
    return b;
  }

  private static void checkPositive(String name, Duration value) {
    ConfigChecks.positive(name, value, POSITIVE_DURATION_EXPECTED);
  }

  private static void checkNotNegative(String name, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + ": " + ConfigChecks.format(value) + " (expected: " + DURATION_EXPECTED + ")");
    }
  }

  private static void checkUnique(String list, List<SamplingPolicy> items, Map<String, String> seen) {
    for (int i = 0; i < items.size(); i++) {
      String where = list + "[" + i + "]";
      String earlier = seen.putIfAbsent(items.get(i).name(), where);
      if (earlier != null) {
        throw new IllegalArgumentException(where + ".name: '" + items.get(i).name() + "' (expected: "
            + UNIQUE_NAME_EXPECTED + "; " + earlier + " has it)");
      }
    }
  }

  /** Builds a {@link SamplingConfig}; setters check their value, {@link #build()} the combination. */
  public static final class Builder {
    private boolean enabled = DEFAULT_ENABLED;
    private Duration decisionWait = DEFAULT_DECISION_WAIT;
    private DecisionWaitFrom decisionWaitFrom = DEFAULT_DECISION_WAIT_FROM;
    private boolean decideOnRoot = DEFAULT_DECIDE_ON_ROOT;
    private Duration rootGrace = DEFAULT_ROOT_GRACE;
    private Duration decisionCacheTtl = DEFAULT_DECISION_CACHE_TTL;
    private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
    private int maxSpansPerTrace = DEFAULT_MAX_SPANS_PER_TRACE;
    private long maxBytesPerTrace = DEFAULT_MAX_BYTES_PER_TRACE;
    private String costAttribute = DEFAULT_COST_ATTRIBUTE;
    private List<SamplingPolicy> dropRules = new ArrayList<>();
    private List<SamplingPolicy> policies = new ArrayList<>(DEFAULT_POLICIES);

    Builder() {}

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder decisionWait(Duration wait) {
      requireNonNull(wait, "decisionWait");
      checkPositive("decision-wait", wait);
      this.decisionWait = wait;
      return this;
    }

    public Builder decisionWaitFrom(DecisionWaitFrom from) {
      this.decisionWaitFrom = requireNonNull(from, "decisionWaitFrom");
      return this;
    }

    public Builder decideOnRoot(boolean decideOnRoot) {
      this.decideOnRoot = decideOnRoot;
      return this;
    }

    public Builder rootGrace(Duration grace) {
      requireNonNull(grace, "rootGrace");
      checkNotNegative("root-grace", grace);
      this.rootGrace = grace;
      return this;
    }

    public Builder decisionCacheTtl(Duration ttl) {
      requireNonNull(ttl, "decisionCacheTtl");
      checkPositive("decision-cache-ttl", ttl);
      this.decisionCacheTtl = ttl;
      return this;
    }

    public Builder checkInterval(Duration interval) {
      requireNonNull(interval, "checkInterval");
      checkPositive("check-interval", interval);
      this.checkInterval = interval;
      return this;
    }

    public Builder maxSpansPerTrace(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("max-spans-per-trace: " + max + " (expected: " + MAX_SPANS_EXPECTED + ")");
      }
      this.maxSpansPerTrace = max;
      return this;
    }

    public Builder maxBytesPerTrace(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("max-bytes-per-trace: " + max + " (expected: " + MAX_BYTES_EXPECTED + ")");
      }
      this.maxBytesPerTrace = max;
      return this;
    }

    public Builder costAttribute(String key) {
      requireNonNull(key, "costAttribute");
      if (key.isBlank()) {
        throw new IllegalArgumentException("cost-attribute: '" + key + "' (expected: " + ATTRIBUTE_EXPECTED + ")");
      }
      this.costAttribute = key;
      return this;
    }

    /** Replaces the drop rules (none by default). */
    public Builder dropRules(List<SamplingPolicy> rules) {
      this.dropRules = new ArrayList<>(requireNonNull(rules, "dropRules"));
      return this;
    }

    public Builder addDropRule(SamplingPolicy rule) {
      dropRules.add(requireNonNull(rule, "rule"));
      return this;
    }

    /** Replaces the policies, the defaults included: a default left out is turned off. */
    public Builder policies(List<SamplingPolicy> policies) {
      this.policies = new ArrayList<>(requireNonNull(policies, "policies"));
      return this;
    }

    /** Replaces the policies, the defaults included: a default left out is turned off. */
    public Builder policies(SamplingPolicy... policies) {
      return policies(List.of(policies));
    }

    /** Adds a policy after the current ones (the defaults, unless replaced). */
    public Builder addPolicy(SamplingPolicy policy) {
      policies.add(requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * @throws IllegalArgumentException when two policies or drop rules share a name
     */
    public SamplingConfig build() {
      SamplingConfig config = new SamplingConfig(enabled, decisionWait, decisionWaitFrom, decideOnRoot, rootGrace,
          decisionCacheTtl, checkInterval, maxSpansPerTrace, maxBytesPerTrace, costAttribute, dropRules, policies);
      if (enabled && policies.isEmpty()) {
        log.warn("Tail sampling has no policy: every trace will be dropped. Add a policy (e.g. always) or set "
            + "sampling.enabled: false to keep every span.");
      }
      return config;
    }
  }
}
