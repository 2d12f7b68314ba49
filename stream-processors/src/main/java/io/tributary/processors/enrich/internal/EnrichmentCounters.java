package io.tributary.processors.enrich.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@code EnrichmentStats}, incremented by the enrich processors and reference readers. */
public final class EnrichmentCounters {

  public final LongAdder serviceMatches = new LongAdder();
  public final LongAdder podMatches = new LongAdder();
  public final LongAdder llmCosts = new LongAdder();
  public final LongAdder llmUnknownModels = new LongAdder();
  public final LongAdder invalidReferenceRecords = new LongAdder();
}
