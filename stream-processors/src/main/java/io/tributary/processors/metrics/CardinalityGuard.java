package io.tributary.processors.metrics;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.metrics.internal.CardinalityGuardProcessor;
import io.tributary.schemas.avro.MetricPoint;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The cardinality guard of the metrics pipeline, after redaction and enrichment (so it counts the
 * series as they will be stored): at most {@link CardinalityConfig#maxSeriesPerMetric()} series per
 * metric name and tenant pass each input partition; points of further new series are dropped and
 * counted, series unseen for {@link CardinalityConfig#seriesExpiry()} free their slot.
 *
 * <p>The cap holds per partition, with no repartition (which would send every point of a metric
 * through one task): the raw topic is keyed by resource and metric, so an explosion of labels from
 * one source lands on one partition and meets the cap there, while a metric sent by many resources
 * may have up to the cap on each partition.
 *
 * <p>Drops are reported every check interval as the cumulative SUM {@value #DROPPED_METRIC}
 * (Prometheus: {@code tributary_metrics_series_dropped_total}) with attributes
 * {@value #METRIC_NAME_ATTRIBUTE} and {@value #PARTITION_ATTRIBUTE}, resource
 * {@code service.name=tributary-<pipeline>}, in the capped metric's tenant; with a WARN log line,
 * and in {@link CardinalityStats}.
 */
public final class CardinalityGuard {

  /** (tenant, metric name, series id) -> when the series was last seen (wall-clock millis). */
  public static final String SERIES_STORE = "cardinality-series";
  /** (tenant, metric name) -> points dropped, for the report. */
  public static final String DROPS_STORE = "cardinality-drops";
  public static final String DROPPED_METRIC = "tributary.metrics.series_dropped";
  public static final String METRIC_NAME_ATTRIBUTE = "metric.name";
  public static final String PARTITION_ATTRIBUTE = "tributary.partition";
  public static final String SCOPE_NAME = "tributary.cardinality";

  private CardinalityGuard() {}

  /** Adds the guard as processor {@code <pipeline>-cardinality}; {@code points} unchanged when disabled. */
  public static KStream<String, MetricPoint> limit(KStream<String, MetricPoint> points, String pipeline,
      CardinalityConfig config, CardinalityStats stats) {
    requireNonNull(points, "points");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(config, "config");
    requireNonNull(stats, "stats");
    if (!config.enabled()) {
      return points;
    }
    return points.process(CardinalityGuardProcessor.supplier(config, stats.counters(), pipeline),
        Named.as(pipeline + "-cardinality"));
  }
}
