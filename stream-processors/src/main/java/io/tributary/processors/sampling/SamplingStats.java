package io.tributary.processors.sampling;

import io.tributary.processors.sampling.internal.SamplingCounters;
import java.time.Duration;
import java.util.Map;

/**
 * What tail sampling did in one application instance, for metrics and tests. Thread-safe; every
 * count only grows except {@link #tracesInFlight()}.
 */
public final class SamplingStats {

  private final SamplingCounters counters = new SamplingCounters();

  public SamplingStats() {}

  /**
   * Traces decided, by outcome and the policy or drop rule that decided: {@code keep:<policy>},
   * {@code drop:<drop rule>}, or {@code drop:no-policy-matched}.
   */
  public Map<String, Long> decisions() {
    return counters.decisions();
  }

  /** Traces buffered and waiting for a decision, over the tasks this instance runs now. */
  public long tracesInFlight() {
    return counters.tracesInFlight();
  }

  /** Spans that arrived after their trace was decided to be kept, and were written at once. */
  public long lateSpansKept() {
    return counters.lateSpansKept();
  }

  /** Spans that arrived after their trace was decided to be dropped, and were dropped. */
  public long lateSpansDropped() {
    return counters.lateSpansDropped();
  }

  /**
   * Spans that found their trace at its span or byte cap: not buffered; each made its trace decided
   * at once, or followed that decision.
   */
  public long overflowSpans() {
    return counters.overflowSpans();
  }

  /** Traces decided early because they reached a cap. */
  public long tracesCapped() {
    return counters.tracesCapped();
  }

  /** Traces decided early because their root span arrived ({@code decide-on-root}). */
  public long rootDecisions() {
    return counters.rootDecisions();
  }

  /** Spans passed through without sampling because their trace id could not be read (none, after normalize). */
  public long unsampledSpans() {
    return counters.unsampledSpans();
  }

  /** How long traces waited, from their first span to their decision. */
  public DecisionLatency decisionLatency() {
    return new DecisionLatency(counters.decisionLatencyCount(), Duration.ofMillis(counters.decisionLatencySumMillis()),
        Duration.ofMillis(counters.decisionLatencyMaxMillis()));
  }

  SamplingCounters counters() {
    return counters;
  }

  /**
   * Decision latency so far.
   *
   * @param count traces decided
   * @param total their waits added up
   * @param max the longest wait
   */
  public record DecisionLatency(long count, Duration total, Duration max) {
    /** The mean wait, zero before the first decision. */
    public Duration mean() {
      return count == 0 ? Duration.ZERO : total.dividedBy(count);
    }
  }

  @Override
  public String toString() {
    return "SamplingStats[decisions=" + decisions() + ", tracesInFlight=" + tracesInFlight() + ", lateSpansKept="
        + lateSpansKept() + ", lateSpansDropped=" + lateSpansDropped() + ", overflowSpans=" + overflowSpans()
        + ", tracesCapped=" + tracesCapped() + ", rootDecisions=" + rootDecisions() + ", decisionLatency="
        + decisionLatency() + "]";
  }
}
