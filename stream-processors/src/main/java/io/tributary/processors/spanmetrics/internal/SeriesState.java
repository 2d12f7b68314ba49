package io.tributary.processors.spanmetrics.internal;

/**
 * One series in the per-series aggregation: its cumulative counts, when it started (the points'
 * start time), when a delta last came (for expiry), the time of its last point (points of a series
 * get strictly increasing times, whichever instance writes them), and whether it changed since.
 */
public final class SeriesState {

  final SpanCounts counts;
  final long startMs;
  long lastUpdateMs;
  long lastEmitMs;
  boolean dirty;

  SeriesState(SpanCounts counts, long startMs, long lastUpdateMs, long lastEmitMs, boolean dirty) {
    this.counts = counts;
    this.startMs = startMs;
    this.lastUpdateMs = lastUpdateMs;
    this.lastEmitMs = lastEmitMs;
    this.dirty = dirty;
  }

  public SpanCounts counts() {
    return counts;
  }

  /** When the series (re)started: the start time of its cumulative points. */
  public long startMs() {
    return startMs;
  }
}
