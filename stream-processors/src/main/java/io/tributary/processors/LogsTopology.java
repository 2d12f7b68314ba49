package io.tributary.processors;

import io.tributary.processors.enrich.Enrichment;
import io.tributary.processors.internal.normalize.LogNormalizer;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.otlp.OtlpOutput;
import io.tributary.schemas.Signal;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.serde.SerdeConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The logs pipeline: {@code otlp_logs} -> normalize -> redact -> enrich ({@link Enrichment}) ->
 * {@code telemetry.logs} (one Avro {@link LogRecord} per record, key: the trace id when the record
 * has one, else a hash of its tenant and redacted resource) and, with {@code otlp-output.logs}, to
 * {@code telemetry.otlp.logs} ({@link OtlpOutput#logs}).
 */
public final class LogsTopology {

  /** The Kafka Streams application id. */
  public static final String APPLICATION_ID = "tributary-logs";
  static final String PIPELINE = Signal.LOGS.id();

  private LogsTopology() {}

  /** With the embedded serde format (no schema registry) and counts nobody reads. */
  public static Topology build(PipelineConfig config, Topics topics) {
    return build(config, topics, SerdeConfig.getDefault(), new PipelineStats());
  }

  public static Topology build(PipelineConfig config, Topics topics, SerdeConfig serde, PipelineStats stats) {
    SignalPipeline pipeline = new SignalPipeline(PIPELINE, config, topics, serde, stats);
    KStream<String, LogRecord> logs = pipeline.normalize(new LogNormalizer());
    logs = pipeline.redact(logs, redactor -> redactor::redact);
    KStream<String, LogRecord> enriched = pipeline.enrich(logs, Enrichment::logs);
    pipeline.write(enriched, LogsTopology::key, LogRecord.class);
    pipeline.otlpOutput(config.otlpOutput().logs(), topic -> OtlpOutput.logs(enriched, PIPELINE, topic));
    return pipeline.topology();
  }

  static String key(LogRecord log) {
    return log.getTraceId() != null ? log.getTraceId() : StableIds.resourceId(log.getTenant(), log.getResource());
  }
}
