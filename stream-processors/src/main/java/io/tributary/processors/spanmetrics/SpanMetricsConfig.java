package io.tributary.processors.spanmetrics;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.internal.ConfigChecks;
import io.tributary.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Span metrics of the traces pipeline (the {@code span-metrics:} section of the pipeline YAML file):
 * calls, errors and a duration histogram per series, counted before tail sampling.
 *
 * <pre>{@code
 * SpanMetricsConfig spanMetrics = SpanMetricsConfig.builder()
 *     .flushInterval(Duration.ofSeconds(30))
 *     .attributeDimensions(List.of("http.request.method"))
 *     .build();
 * }</pre>
 *
 * @param enabled whether the step runs at all
 * @param topic where the metric points go (the metrics pipeline's output)
 * @param flushInterval how often (wall-clock time) each instance sends what it counted to the
 *     per-series aggregation, and how often that writes the changed series; a span shows in the
 *     output within two intervals
 * @param dimensions the span fields a series is split by (may be empty: the tenant always splits)
 * @param attributeDimensions attribute keys a series is also split by: the span's attribute, else
 *     its resource's; a span without the key has no such attribute on its series
 * @param histogramBounds the duration histogram's explicit bucket upper bounds, increasing; the
 *     histogram is in milliseconds
 * @param seriesExpiry a series that received no span for this long is forgotten; if it comes back it
 *     starts again from zero with a new start time, as a counter reset
 */
public record SpanMetricsConfig(
    boolean enabled,
    String topic,
    Duration flushInterval,
    List<SpanDimension> dimensions,
    List<String> attributeDimensions,
    List<Duration> histogramBounds,
    Duration seriesExpiry) {

  public static final boolean DEFAULT_ENABLED = true;
  public static final String DEFAULT_TOPIC = TopicCatalog.METRICS.name();
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(15);
  public static final List<SpanDimension> DEFAULT_DIMENSIONS = List.of(SpanDimension.values());
  /** The OpenTelemetry Collector spanmetrics connector's default buckets. */
  public static final List<Duration> DEFAULT_HISTOGRAM_BOUNDS = millis(2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000,
      1400, 2000, 5000, 10_000, 15_000);
  public static final Duration DEFAULT_SERIES_EXPIRY = Duration.ofHours(1);
  public static final int MAX_HISTOGRAM_BOUNDS = 100;

  public static final String BOUND_EXPECTED = ConfigChecks.BOUND_EXPECTED;
  public static final String BOUNDS_EXPECTED = ConfigChecks.boundsExpected(MAX_HISTOGRAM_BOUNDS);
  public static final String UNIQUE_EXPECTED = "a dimension listed once";
  public static final String ATTRIBUTE_DIMENSION_EXPECTED = "an attribute key listed once, not one of "
      + String.join(", ", DEFAULT_DIMENSIONS.stream().map(SpanDimension::key).toList());

  private static final SpanMetricsConfig DEFAULT = builder().build();

  public SpanMetricsConfig {
    ConfigChecks.topic("topic", topic);
    ConfigChecks.positive("flush-interval", flushInterval);
    ConfigChecks.positive("series-expiry", seriesExpiry);
    dimensions = List.copyOf(dimensions);
    checkDimensions(dimensions);
    attributeDimensions = List.copyOf(attributeDimensions);
    checkAttributeDimensions(attributeDimensions);
    histogramBounds = List.copyOf(histogramBounds);
    checkBounds(histogramBounds);
  }

  /** The shipped defaults: on, every 15 s, split by every {@link SpanDimension}, the connector's buckets. */
  public static SpanMetricsConfig getDefault() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.topic = topic;
    b.flushInterval = flushInterval;
    b.dimensions = dimensions;
    b.attributeDimensions = attributeDimensions;
    b.histogramBounds = histogramBounds;
    b.seriesExpiry = seriesExpiry;
    return b;
  }

  /** The bucket bounds in milliseconds, as the histogram points carry them. */
  public double[] histogramBoundsMillis() {
    return histogramBounds.stream().mapToDouble(bound -> bound.toNanos() / 1_000_000.0).toArray();
  }

  private static void checkDimensions(List<SpanDimension> dimensions) {
    Set<SpanDimension> seen = new HashSet<>();
    for (int i = 0; i < dimensions.size(); i++) {
      requireNonNull(dimensions.get(i), "dimensions[" + i + "]");
      if (!seen.add(dimensions.get(i))) {
        throw new IllegalArgumentException("dimensions[" + i + "]: '" + dimensions.get(i) + "' (expected: " + UNIQUE_EXPECTED + ")");
      }
    }
  }

  private static void checkAttributeDimensions(List<String> keys) {
    Set<String> seen = new HashSet<>();
    DEFAULT_DIMENSIONS.forEach(d -> seen.add(d.key()));
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String where = "attribute-dimensions[" + i + "]";
      ConfigChecks.attributeKey(where, key);
      if (!seen.add(key)) {
        throw new IllegalArgumentException(where + ": '" + key + "' (expected: " + ATTRIBUTE_DIMENSION_EXPECTED + ")");
      }
    }
  }

  private static void checkBounds(List<Duration> bounds) {
    ConfigChecks.histogramBounds("histogram-bounds", bounds, MAX_HISTOGRAM_BOUNDS);
  }

  private static List<Duration> millis(long... values) {
    List<Duration> durations = new ArrayList<>();
    for (long value : values) {
      durations.add(Duration.ofMillis(value));
    }
    return List.copyOf(durations);
  }

  /** Checks each value when it is set; {@link #build()} checks the lists. */
  public static final class Builder {

    private boolean enabled = DEFAULT_ENABLED;
    private String topic = DEFAULT_TOPIC;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    private List<SpanDimension> dimensions = DEFAULT_DIMENSIONS;
    private List<String> attributeDimensions = List.of();
    private List<Duration> histogramBounds = DEFAULT_HISTOGRAM_BOUNDS;
    private Duration seriesExpiry = DEFAULT_SERIES_EXPIRY;

    Builder() {}

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder topic(String topic) {
      this.topic = ConfigChecks.topic("topic", topic);
      return this;
    }

    public Builder flushInterval(Duration interval) {
      this.flushInterval = ConfigChecks.positive("flush-interval", interval);
      return this;
    }

    public Builder dimensions(List<SpanDimension> dimensions) {
      checkDimensions(requireNonNull(dimensions, "dimensions"));
      this.dimensions = List.copyOf(dimensions);
      return this;
    }

    public Builder attributeDimensions(List<String> keys) {
      checkAttributeDimensions(requireNonNull(keys, "attributeDimensions"));
      this.attributeDimensions = List.copyOf(keys);
      return this;
    }

    public Builder histogramBounds(List<Duration> bounds) {
      checkBounds(requireNonNull(bounds, "histogramBounds"));
      this.histogramBounds = List.copyOf(bounds);
      return this;
    }

    public Builder seriesExpiry(Duration expiry) {
      this.seriesExpiry = ConfigChecks.positive("series-expiry", expiry);
      return this;
    }

    public SpanMetricsConfig build() {
      return new SpanMetricsConfig(enabled, topic, flushInterval, dimensions, attributeDimensions, histogramBounds,
          seriesExpiry);
    }
  }
}
