package io.tributary.processors.spanmetrics.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@code SpanMetricsStats}. */
public final class SpanMetricsCounters {

  public final LongAdder spans = new LongAdder();
  public final LongAdder points = new LongAdder();
  public final LongAdder seriesExpired = new LongAdder();
  public final LongAdder unreadableDeltas = new LongAdder();
}
