package io.tributary.processors.metrics;

import io.tributary.processors.internal.ConfigChecks;
import java.time.Duration;

/**
 * The metrics pipeline's cardinality guard (the {@code cardinality:} section of the pipeline YAML
 * file): a cap on the series of each metric, per tenant and per input partition.
 *
 * @param enabled whether the guard runs at all
 * @param maxSeriesPerMetric series of one metric name (per tenant) a partition lets through; points
 *     of further new series are dropped and counted until old series expire
 * @param seriesExpiry a series with no point for this long frees its slot
 * @param checkInterval how often (wall-clock time) expired series are freed and drops reported
 */
public record CardinalityConfig(boolean enabled, int maxSeriesPerMetric, Duration seriesExpiry, Duration checkInterval) {

  public static final boolean DEFAULT_ENABLED = true;
  public static final int DEFAULT_MAX_SERIES_PER_METRIC = 10_000;
  public static final Duration DEFAULT_SERIES_EXPIRY = Duration.ofHours(1);
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);
  public static final String MAX_SERIES_EXPECTED = "an integer >= 1";

  private static final CardinalityConfig DEFAULT = builder().build();

  public CardinalityConfig {
    checkMaxSeries(maxSeriesPerMetric);
    ConfigChecks.positive("series-expiry", seriesExpiry);
    ConfigChecks.positive("check-interval", checkInterval);
  }

  /** The shipped defaults: on, 10,000 series per metric, series expire after an hour, checked every minute. */
  public static CardinalityConfig getDefault() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().enabled(enabled).maxSeriesPerMetric(maxSeriesPerMetric).seriesExpiry(seriesExpiry)
        .checkInterval(checkInterval);
  }

  private static int checkMaxSeries(int maxSeries) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("max-series-per-metric: " + maxSeries + " (expected: " + MAX_SERIES_EXPECTED + ")");
    }
    return maxSeries;
  }

  /** Checks each value when it is set. */
  public static final class Builder {

    private boolean enabled = DEFAULT_ENABLED;
    private int maxSeriesPerMetric = DEFAULT_MAX_SERIES_PER_METRIC;
    private Duration seriesExpiry = DEFAULT_SERIES_EXPIRY;
    private Duration checkInterval = DEFAULT_CHECK_INTERVAL;

    Builder() {}

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder maxSeriesPerMetric(int maxSeries) {
      this.maxSeriesPerMetric = checkMaxSeries(maxSeries);
      return this;
    }

    public Builder seriesExpiry(Duration expiry) {
      this.seriesExpiry = ConfigChecks.positive("series-expiry", expiry);
      return this;
    }

    public Builder checkInterval(Duration interval) {
      this.checkInterval = ConfigChecks.positive("check-interval", interval);
      return this;
    }

    public CardinalityConfig build() {
      return new CardinalityConfig(enabled, maxSeriesPerMetric, seriesExpiry, checkInterval);
    }
  }
}
