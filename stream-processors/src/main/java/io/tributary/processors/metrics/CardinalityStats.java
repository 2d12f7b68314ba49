package io.tributary.processors.metrics;

import io.tributary.processors.metrics.internal.CardinalityCounters;
import java.util.Map;

/** What the cardinality guard did in one application instance, for metrics and tests. Thread-safe; counts only grow. */
public final class CardinalityStats {

  private final CardinalityCounters counters = new CardinalityCounters();

  public CardinalityStats() {}

  /** Points dropped because their metric had reached its series cap. */
  public long droppedPoints() {
    return counters.droppedPoints();
  }

  /** {@link #droppedPoints()} by metric name (the first 1,000 names; the rest only in the total). */
  public Map<String, Long> droppedPointsByMetric() {
    return counters.droppedPointsByMetric();
  }

  /** Series freed after {@link CardinalityConfig#seriesExpiry()} without a point. */
  public long seriesExpired() {
    return counters.seriesExpired.sum();
  }

  CardinalityCounters counters() {
    return counters;
  }

  @Override
  public String toString() {
    return "CardinalityStats[droppedPoints=" + droppedPoints() + ", seriesExpired=" + seriesExpired() + "]";
  }
}
