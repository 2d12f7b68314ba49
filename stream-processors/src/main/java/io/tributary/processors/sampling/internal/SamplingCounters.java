package io.tributary.processors.sampling.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@code SamplingStats}; shared by every task's processor of one application instance. */
public final class SamplingCounters {

  /** Outcome prefixes of {@link #decisions()} keys. */
  public static final String KEEP = "keep:";
  public static final String DROP = "drop:";
  /** The "policy" of a trace no policy kept. */
  public static final String NO_POLICY = "no-policy-matched";

  private final ConcurrentMap<String, LongAdder> decisions = new ConcurrentHashMap<>();
  final LongAdder tracesInFlight = new LongAdder();
  final LongAdder lateSpansKept = new LongAdder();
  final LongAdder lateSpansDropped = new LongAdder();
  final LongAdder overflowSpans = new LongAdder();
  final LongAdder tracesCapped = new LongAdder();
  final LongAdder rootDecisions = new LongAdder();
  final LongAdder unsampledSpans = new LongAdder();
  final LongAdder decisionLatencyCount = new LongAdder();
  final LongAdder decisionLatencySumMillis = new LongAdder();
  final LongAccumulator decisionLatencyMaxMillis = new LongAccumulator(Math::max, 0);

  LongAdder decision(boolean keep, String name) {
    return decisions.computeIfAbsent((keep ? KEEP : DROP) + name, k -> new LongAdder());
  }

  /** {@code keep:<policy>}, {@code drop:<drop rule>} or {@code drop:no-policy-matched}, sorted. */
  public Map<String, Long> decisions() {
    Map<String, Long> snapshot = new TreeMap<>();
    decisions.forEach((key, count) -> snapshot.put(key, count.sum()));
    return snapshot;
  }

  public long tracesInFlight() {
    return tracesInFlight.sum();
  }

  public long lateSpansKept() {
    return lateSpansKept.sum();
  }

  public long lateSpansDropped() {
    return lateSpansDropped.sum();
  }

  public long overflowSpans() {
    return overflowSpans.sum();
  }

  public long tracesCapped() {
    return tracesCapped.sum();
  }

  public long rootDecisions() {
    return rootDecisions.sum();
  }

  public long unsampledSpans() {
    return unsampledSpans.sum();
  }

  public long decisionLatencyCount() {
    return decisionLatencyCount.sum();
  }

  public long decisionLatencySumMillis() {
    return decisionLatencySumMillis.sum();
  }

  public long decisionLatencyMaxMillis() {
    return decisionLatencyMaxMillis.get();
  }
}
