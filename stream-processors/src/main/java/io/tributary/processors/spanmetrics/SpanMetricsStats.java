package io.tributary.processors.spanmetrics;

import io.tributary.processors.spanmetrics.internal.SpanMetricsCounters;

/** What span metrics did in one application instance, for metrics and tests. Thread-safe; counts only grow. */
public final class SpanMetricsStats {

  private final SpanMetricsCounters counters = new SpanMetricsCounters();
  private final SpanMetricsCounters llmCounters = new SpanMetricsCounters();

  public SpanMetricsStats() {}

  /** Spans counted (stage one, this instance's input tasks). */
  public long spans() {
    return counters.spans.sum();
  }

  /** Metric points written (stage two, the series this instance owns). */
  public long points() {
    return counters.points.sum();
  }

  /** Series forgotten after {@link SpanMetricsConfig#seriesExpiry()} without a span. */
  public long seriesExpired() {
    return counters.seriesExpired.sum();
  }

  /** Deltas on the repartition topic this version could not read (skipped). */
  public long unreadableDeltas() {
    return counters.unreadableDeltas.sum();
  }

  SpanMetricsCounters counters() {
    return counters;
  }

  /** The LLM series' counters: apart, so {@link #spans()} stays the spans counted. */
  SpanMetricsCounters llmCounters() {
    return llmCounters;
  }

  @Override
  public String toString() {
    return "SpanMetricsStats[spans=" + spans() + ", points=" + points() + ", seriesExpired=" + seriesExpired()
        + ", unreadableDeltas=" + unreadableDeltas() + "]";
  }
}
