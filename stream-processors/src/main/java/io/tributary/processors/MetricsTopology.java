package io.tributary.processors;

import io.tributary.processors.enrich.Enrichment;
import io.tributary.processors.internal.normalize.MetricNormalizer;
import io.tributary.processors.metrics.CardinalityGuard;
import io.tributary.processors.otlp.OtlpOutput;
import io.tributary.schemas.Signal;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.serde.SerdeConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The metrics pipeline: {@code otlp_metrics} -> normalize -> redact labels -> enrich
 * ({@link Enrichment}) -> cardinality guard ({@link CardinalityGuard}) -> {@code telemetry.metrics}
 * (one Avro {@link MetricPoint} per record, key: its series id, computed after redaction and
 * enrichment, so every point of a series reaches one partition in order) and, with
 * {@code otlp-output.metrics}, to {@code telemetry.otlp.metrics} ({@link OtlpOutput#metricPoints}).
 */
public final class MetricsTopology {

  /** The Kafka Streams application id. */
  public static final String APPLICATION_ID = "tributary-metrics";
  static final String PIPELINE = Signal.METRICS.id();

  private MetricsTopology() {}

  /** With the embedded serde format (no schema registry) and counts nobody reads. */
  public static Topology build(PipelineConfig config, Topics topics) {
    return build(config, topics, SerdeConfig.getDefault(), new PipelineStats());
  }

  public static Topology build(PipelineConfig config, Topics topics, SerdeConfig serde, PipelineStats stats) {
    SignalPipeline pipeline = new SignalPipeline(PIPELINE, config, topics, serde, stats);
    KStream<String, MetricPoint> points = pipeline.normalize(new MetricNormalizer());
    points = pipeline.redact(points, redactor -> redactor::redact);
    points = pipeline.enrich(points, Enrichment::metricPoints);
    KStream<String, MetricPoint> limited =
        CardinalityGuard.limit(points, PIPELINE, config.cardinality(), stats.cardinality());
    pipeline.write(limited, MetricPoint::getSeriesId, MetricPoint.class);
    pipeline.otlpOutput(config.otlpOutput().metrics(), topic -> OtlpOutput.metricPoints(limited, PIPELINE, topic));
    return pipeline.topology();
  }
}
