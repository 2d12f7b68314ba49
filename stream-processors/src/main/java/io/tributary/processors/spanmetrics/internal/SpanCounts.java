package io.tributary.processors.spanmetrics.internal;

import java.util.Arrays;

/**
 * Calls, errors and a duration histogram of one series: a delta while an instance counts, the
 * cumulative total in the per-series aggregation. Buckets follow OpenTelemetry's explicit-bucket
 * histogram: bucket i counts durations in (bounds[i-1], bounds[i]], the last one above every bound.
 */
public final class SpanCounts {

  long calls;
  long errors;
  double sum;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;
  final long[] buckets;

  /** Empty counts for a histogram of {@code bucketCount} buckets (bounds + 1). */
  public SpanCounts(int bucketCount) {
    this.buckets = new long[bucketCount];
  }

  /** Counts one span of {@code durationMs}. */
  public void add(double durationMs, boolean error, double[] bounds) {
    calls++;
    if (error) {
      errors++;
    }
    sum += durationMs;
    min = Math.min(min, durationMs);
    max = Math.max(max, durationMs);
    int at = Arrays.binarySearch(bounds, durationMs);
    buckets[at >= 0 ? at : -at - 1]++; // on a bound: that bucket (upper bounds are inclusive)
  }

  /** Adds {@code delta} (same bucket count, checked by the caller). */
  public void merge(SpanCounts delta) {
    calls += delta.calls;
    errors += delta.errors;
    sum += delta.sum;
    min = Math.min(min, delta.min);
    max = Math.max(max, delta.max);
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] += delta.buckets[i];
    }
  }

  public long calls() {
    return calls;
  }

  public long errors() {
    return errors;
  }

  /** The sum of the values counted (durations; token counts or costs for the LLM series). */
  public double sum() {
    return sum;
  }

  public int bucketCount() {
    return buckets.length;
  }

  @Override
  public String toString() {
    return "SpanCounts[calls=" + calls + ", errors=" + errors + ", sum=" + sum + ", min=" + min + ", max=" + max
        + ", buckets=" + Arrays.toString(buckets) + "]";
  }
}
