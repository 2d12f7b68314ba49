package io.tributary.processors;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.enrich.Enrichment;
import io.tributary.processors.internal.PipelineSteps;
import io.tributary.processors.internal.normalize.MetricNormalizer;
import io.tributary.processors.internal.redact.Redactor;
import io.tributary.processors.metrics.CardinalityGuard;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The metrics pipeline: {@code otlp_metrics} -> normalize -> redact labels -> enrich
 * ({@link Enrichment}) -> cardinality guard ({@link CardinalityGuard}) -> {@code telemetry.metrics}
 * (one Avro {@link MetricPoint} per record, key: its series id, computed after redaction and
 * enrichment, so every point of a series reaches one partition in order).
 */
public final class MetricsTopology {

  /** The Kafka Streams application id. */
  public static final String APPLICATION_ID = "tributary-metrics";
  static final String PIPELINE = "metrics";

  private MetricsTopology() {}

  /** With the embedded serde format (no schema registry) and counts nobody reads. */
  public static Topology build(PipelineConfig config, Topics topics) {
    return build(config, topics, SerdeConfig.getDefault(), new PipelineStats());
  }

  public static Topology build(PipelineConfig config, Topics topics, SerdeConfig serde, PipelineStats stats) {
    requireNonNull(config, "config");
    requireNonNull(topics, "topics");
    requireNonNull(serde, "serde");
    requireNonNull(stats, "stats");
    StreamsBuilder builder = new StreamsBuilder();
    Redactor redactor = new Redactor(config.redaction(), stats.counters());

    KStream<String, MetricPoint> points = PipelineSteps.normalize(builder, PIPELINE, topics.input(),
        topics.deadLetter(), new MetricNormalizer(), stats.counters());
    points = PipelineSteps.redact(points, PIPELINE, redactor::redact);
    points = Enrichment.metricPoints(builder, points, PIPELINE, config.enrichment(), stats.enrichment());
    points = CardinalityGuard.limit(points, PIPELINE, config.cardinality(), stats.cardinality());
    PipelineSteps.write(points, PIPELINE, topics.output(), MetricPoint::getSeriesId,
        AvroSerde.forType(MetricPoint.class, serde));
    return builder.build();
  }
}
