package io.tributary.processors.servicegraph.internal;

import io.tributary.processors.spanmetrics.internal.SpanMetricsCounters;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@code ServiceGraphStats}. */
public final class ServiceGraphCounters {

  public final LongAdder paired = new LongAdder();
  public final LongAdder virtual = new LongAdder();
  public final LongAdder unpairedClients = new LongAdder();
  public final LongAdder unpairedServers = new LongAdder();
  public final LongAdder unreadableSpans = new LongAdder();
  /** Of the two aggregation stages (their {@code spans} counts observations). */
  public final SpanMetricsCounters aggregation = new SpanMetricsCounters();
}
