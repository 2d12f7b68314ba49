package io.tributary.processors.servicegraph;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.internal.ConfigChecks;
import io.tributary.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.util.List;

/**
 * The service graph of the traces pipeline (the {@code service-graph:} section of the pipeline YAML
 * file): requests between services, paired from client and server spans before tail sampling.
 *
 * <pre>{@code
 * ServiceGraphConfig serviceGraph = ServiceGraphConfig.builder().pairingWait(Duration.ofSeconds(30)).build();
 * }</pre>
 *
 * @param enabled whether the step runs at all
 * @param topic where the metric points go (the metrics pipeline's output)
 * @param pairingWait (the YAML key {@code wait}) how long (wall-clock time) a client or server span waits for the other side of its
 *     request; then it becomes a request to or from a virtual node, or is counted as unpaired
 * @param flushInterval as span metrics' (how often counts move on and changed series are written)
 * @param histogramBounds the latency histograms' bucket upper bounds, increasing (in seconds on the points)
 * @param seriesExpiry an edge with no request for this long is forgotten; if it comes back it starts
 *     again from zero, as a counter reset
 */
public record ServiceGraphConfig(
    boolean enabled,
    String topic,
    Duration pairingWait,
    Duration flushInterval,
    List<Duration> histogramBounds,
    Duration seriesExpiry) {

  public static final boolean DEFAULT_ENABLED = true;
  public static final String DEFAULT_TOPIC = TopicCatalog.METRICS.name();
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
  public static final Duration MAX_WAIT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(15);
  /** Tempo's metrics generator's default buckets: 0.1 s doubling to 12.8 s. */
  public static final List<Duration> DEFAULT_HISTOGRAM_BOUNDS = List.of(Duration.ofMillis(100),
      Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(1600),
      Duration.ofMillis(3200), Duration.ofMillis(6400), Duration.ofMillis(12_800));
  public static final Duration DEFAULT_SERIES_EXPIRY = Duration.ofHours(1);
  public static final int MAX_HISTOGRAM_BOUNDS = 100;

  public static final String WAIT_EXPECTED = "a duration > 0 and at most " + ConfigChecks.format(MAX_WAIT)
      + " (each waiting span is state until then)";

  private static final ServiceGraphConfig DEFAULT = builder().build();

  public ServiceGraphConfig {
    ConfigChecks.topic("topic", topic);
    checkWait(pairingWait);
    ConfigChecks.positive("flush-interval", flushInterval);
    ConfigChecks.positive("series-expiry", seriesExpiry);
    histogramBounds = List.copyOf(histogramBounds);
    checkBounds(histogramBounds);
  }

  /** The shipped defaults: on, a 10 s wait, flushed every 15 s, Tempo's buckets. */
  public static ServiceGraphConfig getDefault() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bucket bounds in seconds, as the histogram points carry them. */
  public double[] histogramBoundsSeconds() {
    return histogramBounds.stream().mapToDouble(bound -> bound.toNanos() / 1e9).toArray();
  }

  private static Duration checkWait(Duration wait) {
    ConfigChecks.positive("wait", wait, WAIT_EXPECTED);
    if (wait.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException("wait: " + ConfigChecks.format(wait) + " (expected: " + WAIT_EXPECTED + ")");
    }
    return wait;
  }

  private static void checkBounds(List<Duration> bounds) {
    ConfigChecks.histogramBounds("histogram-bounds", bounds, MAX_HISTOGRAM_BOUNDS);
  }

  /** Checks each value when it is set; {@link #build()} checks the whole. */
  public static final class Builder {

    private boolean enabled = DEFAULT_ENABLED;
    private String topic = DEFAULT_TOPIC;
    private Duration wait = DEFAULT_WAIT;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
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

    public Builder pairingWait(Duration wait) {
      this.wait = checkWait(wait);
      return this;
    }

    public Builder flushInterval(Duration interval) {
      this.flushInterval = ConfigChecks.positive("flush-interval", interval);
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

    public ServiceGraphConfig build() {
      return new ServiceGraphConfig(enabled, topic, wait, flushInterval, histogramBounds, seriesExpiry);
    }
  }
}
