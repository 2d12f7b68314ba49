package io.tributary.processors.sampling.internal;

import io.tributary.processors.sampling.SamplingCondition;
import io.tributary.processors.sampling.SamplingCondition.AttributeMatch;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.SamplingPolicy;
import io.tributary.schemas.avro.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The drop rules and policies of a {@link SamplingConfig}, compiled once per topology into
 * predicates over a {@link TraceSummary}. Span-level attribute conditions become bits of the
 * summary, set as spans arrive ({@link #aggregate}); everything else reads the summary's
 * aggregates or the trace id, so deciding never reads a span. Thread-safe (the rate limiters are
 * the only state, and they are).
 */
final class CompiledPolicies {

  /** 2^56: trace ids carry 56 bits of randomness in their low 7 bytes (W3C Trace Context level 2). */
  static final double RANDOMNESS_RANGE = 0x1p56;
  private static final long RANDOMNESS_MASK = (1L << 56) - 1;

  @FunctionalInterface
  private interface Node {
    boolean test(TraceSummary trace, byte[] traceId, long nowMs);
  }

  private record Compiled(String name, Node node) {}

  /** A decision before it is stored: keep or drop, and the policy or drop rule that made it. */
  record Verdict(boolean keep, String name) {}

  private final String costAttribute;
  private final List<Predicate<Span>> spanConditions = new ArrayList<>();
  private final List<String> spanConditionNames = new ArrayList<>();
  private final RateLimiters rateLimiters = new RateLimiters();
  private final List<Compiled> dropRules = new ArrayList<>();
  private final List<Compiled> policies = new ArrayList<>();
  private final int fingerprint;

  CompiledPolicies(SamplingConfig config) {
    this.costAttribute = config.costAttribute();
    for (SamplingPolicy rule : config.dropRules()) {
      dropRules.add(new Compiled(rule.name(), compile(rule.condition())));
    }
    for (SamplingPolicy policy : config.policies()) {
      policies.add(new Compiled(policy.name(), compile(policy.condition())));
    }
    // What the summaries' aggregates depend on; stable across JVMs (strings only).
    this.fingerprint = (costAttribute + "|" + spanConditionNames).hashCode();
  }

  int fingerprint() {
    return fingerprint;
  }

  /** Drop rules first (the first match drops), then policies in order (the first match keeps). */
  Verdict evaluate(TraceSummary trace, byte[] traceId, long nowMs) {
    for (Compiled rule : dropRules) {
      if (rule.node().test(trace, traceId, nowMs)) {
        return new Verdict(false, rule.name());
      }
    }
    for (Compiled policy : policies) {
      if (policy.node().test(trace, traceId, nowMs)) {
        return new Verdict(true, policy.name());
      }
    }
    return new Verdict(false, SamplingCounters.NO_POLICY);
  }

  /** Adds one span to the trace's aggregates (not to its count or bytes, which the caller keeps). */
  void aggregate(TraceSummary trace, Span span) {
    if (SpanFacts.isError(span)) {
      trace.hasError = true;
    }
    long start = span.getStartTimeUnixNano();
    long end = span.getEndTimeUnixNano();
    if (start > 0) {
      trace.minStartNanos = Math.min(trace.minStartNanos, start);
    }
    if (end > 0) {
      trace.maxEndNanos = Math.max(trace.maxEndNanos, end);
    }
    if (start > 0 && end >= start) {
      trace.maxSpanDurationNanos = Math.max(trace.maxSpanDurationNanos, end - start);
    }
    Object cost = SpanFacts.value(span.getAttributes(), costAttribute);
    if (cost != null) {
      double usd = SpanFacts.number(cost);
      if (Double.isFinite(usd)) {
        trace.hasCost = true;
        trace.costUsd += usd;
      }
    }
    String service = SpanFacts.service(span);
    if (service != null && (trace.service == null || SpanFacts.isRoot(span))) {
      trace.service = service;
    }
    for (int i = 0; i < spanConditions.size(); i++) {
      if (!trace.matched.get(i) && spanConditions.get(i).test(span)) {
        trace.matched.set(i);
      }
    }
  }

  /** The randomness of a trace id: its low 56 bits. */
  static long randomness(byte[] traceId) {
    long value = 0;
    for (int i = traceId.length - 8; i < traceId.length; i++) {
      value = (value << 8) | (traceId[i] & 0xff);
    }
    return value & RANDOMNESS_MASK;
  }

  /** Traces whose randomness is at least this are kept: {@code (1 - percentage / 100) * 2^56}, rounded. */
  static long rejectionThreshold(double percentage) {
    return Math.round((1 - percentage / 100) * RANDOMNESS_RANGE);
  }

  private Node compile(SamplingCondition condition) {
    return switch (condition) {
      case SamplingCondition.Always always -> (trace, id, now) -> true;
      case SamplingCondition.HasError error -> (trace, id, now) -> trace.hasError;
      case SamplingCondition.Latency latency -> {
        long nanos = latency.threshold().toNanos();
        yield latency.scope() == SamplingCondition.LatencyScope.TRACE
            ? (trace, id, now) -> trace.durationNanos() >= nanos
            : (trace, id, now) -> trace.maxSpanDurationNanos >= nanos;
      }
      case SamplingCondition.Cost cost -> {
        double threshold = cost.thresholdUsd();
        yield (trace, id, now) -> trace.hasCost && trace.costUsd >= threshold;
      }
      case SamplingCondition.Attribute attribute -> {
        int index = spanConditions.size();
        spanConditions.add(matcher(attribute));
        spanConditionNames.add(attribute.toString());
        yield (trace, id, now) -> trace.matched.get(index);
      }
      case SamplingCondition.SpanCount count ->
          (trace, id, now) -> trace.spanCount >= count.min() && trace.spanCount <= count.max();
      case SamplingCondition.Probabilistic probabilistic -> {
        long threshold = rejectionThreshold(probabilistic.percentage());
        yield (trace, id, now) -> randomness(id) >= threshold;
      }
      case SamplingCondition.RateLimit limit -> {
        int index = rateLimiters.add();
        boolean perSpan = limit.unit() == SamplingCondition.RateUnit.SPANS;
        yield (trace, id, now) ->
            rateLimiters.tryAcquire(index, trace.service, limit.perSecond(), perSpan ? trace.spanCount : 1, now);
      }
      case SamplingCondition.And and -> {
        List<Node> nodes = and.conditions().stream().map(this::compile).toList();
        yield (trace, id, now) -> {
          for (Node node : nodes) {
            if (!node.test(trace, id, now)) {
              return false;
            }
          }
          return true;
        };
      }
      case SamplingCondition.Or or -> {
        List<Node> nodes = or.conditions().stream().map(this::compile).toList();
        yield (trace, id, now) -> {
          for (Node node : nodes) {
            if (node.test(trace, id, now)) {
              return true;
            }
          }
          return false;
        };
      }
      case SamplingCondition.Not not -> {
        Node node = compile(not.condition());
        yield (trace, id, now) -> !node.test(trace, id, now);
      }
    };
  }

  private static Predicate<Span> matcher(SamplingCondition.Attribute attribute) {
    Predicate<Object> accepts = switch (attribute.match()) {
      case AttributeMatch.Values values -> value -> value instanceof CharSequence s && values.values().contains(s.toString());
      case AttributeMatch.Range range -> value -> value instanceof Number n
          && n.doubleValue() >= range.min() && n.doubleValue() <= range.max();
      case AttributeMatch.Bool bool -> value -> value instanceof Boolean b && b == bool.value();
      case AttributeMatch.Regex regex -> {
        Pattern pattern = Pattern.compile(regex.regex());
        yield value -> value instanceof CharSequence s && pattern.matcher(s).find();
      }
    };
    String key = attribute.key();
    Predicate<Span> onSpan = span -> accepts.test(SpanFacts.value(span.getAttributes(), key));
    Predicate<Span> onResource = span -> span.getResource() != null
        && accepts.test(SpanFacts.value(span.getResource().getAttributes(), key));
    return switch (attribute.scope()) {
      case SPAN -> onSpan;
      case RESOURCE -> onResource;
      case ANY -> onSpan.or(onResource);
    };
  }
}
