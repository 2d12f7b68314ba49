package io.tributary.processors.metrics.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@code CardinalityStats}. */
public final class CardinalityCounters {

  private static final int MAX_METRIC_NAMES = 1_000;

  private final LongAdder droppedPoints = new LongAdder();
  private final ConcurrentMap<String, LongAdder> droppedByMetric = new ConcurrentHashMap<>();
  public final LongAdder seriesExpired = new LongAdder();

  void dropped(String metric) {
    droppedPoints.increment();
    LongAdder byMetric = droppedByMetric.get(metric);
    if (byMetric == null && droppedByMetric.size() < MAX_METRIC_NAMES) {
      byMetric = droppedByMetric.computeIfAbsent(metric, m -> new LongAdder());
    }
    if (byMetric != null) {
      byMetric.increment();
    }
  }

  public long droppedPoints() {
    return droppedPoints.sum();
  }

  public Map<String, Long> droppedPointsByMetric() {
    Map<String, Long> snapshot = new TreeMap<>();
    droppedByMetric.forEach((metric, count) -> snapshot.put(metric, count.sum()));
    return snapshot;
  }
}
