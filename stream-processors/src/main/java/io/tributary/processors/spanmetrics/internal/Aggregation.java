package io.tributary.processors.spanmetrics.internal;

import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The two-stage aggregation of metrics counted from spans, shared by span metrics and the service
 * graph: each input task counts observations into per-series deltas ({@link LocalAggregator}) and
 * sends them every flush interval, keyed by series, through the repartition topic
 * {@code <application.id>-<step>-deltas-repartition}; the one task that owns a series adds them up
 * ({@link SeriesAggregator}) and writes the changed series as cumulative points every flush interval.
 *
 * @param step the processor name prefix ({@code <pipeline>-span-metrics}), stable across releases
 *     because the internal topics derive from it
 * @param localStore stage one's store of deltas
 * @param seriesStore stage two's store of cumulative counts
 * @param bounds the histogram's bucket upper bounds, in the unit observations are in
 * @param points the metric points of one series at one time
 */
public record Aggregation(String step, String localStore, String seriesStore, Duration flushInterval,
    Duration seriesExpiry, double[] bounds, SpanMetricsCounters counters, Points points) {

  /** What a value adds to which series. */
  @FunctionalInterface
  public interface Observations<V> {
    void observe(V value, Observer out);
  }

  /** Receives one observation: a duration (in the bounds' unit) and whether it failed, in a series. */
  @FunctionalInterface
  public interface Observer {
    void add(String series, double duration, boolean error);
  }

  /** The points of one series ({@link SeriesKey#decode decoded}) at {@code timeMs}. */
  @FunctionalInterface
  public interface Points {
    List<MetricPoint> of(SeriesKey series, SeriesState state, long timeMs, double[] bounds);
  }

  /** Adds both stages to {@code values}, writing the points to {@code topic}. */
  public <V> void apply(KStream<String, V> values, Observations<V> observations, String topic, SerdeConfig serde) {
    values.process(LocalAggregator.supplier(this, observations), Named.as(step + "-local"))
        .repartition(Repartitioned.with(Serdes.String(), SpanMetricsSerdes.counts()).withName(step + "-deltas"))
        .process(SeriesAggregator.supplier(this), Named.as(step))
        .to(topic, Produced.with(Serdes.String(), AvroSerde.forType(MetricPoint.class, serde))
            .withName(step + "-sink"));
  }
}
