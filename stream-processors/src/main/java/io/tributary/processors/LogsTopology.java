package io.tributary.processors;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.enrich.Enrichment;
import io.tributary.processors.internal.PipelineSteps;
import io.tributary.processors.internal.normalize.LogNormalizer;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.internal.redact.Redactor;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The logs pipeline: {@code otlp_logs} -> normalize -> redact -> enrich ({@link Enrichment}) ->
 * {@code telemetry.logs} (one Avro {@link LogRecord} per record, key: the trace id when the record
 * has one, else a hash of its tenant and redacted resource).
 */
public final class LogsTopology {

  /** The Kafka Streams application id. */
  public static final String APPLICATION_ID = "tributary-logs";
  static final String PIPELINE = "logs";

  private LogsTopology() {}

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

    KStream<String, LogRecord> logs = PipelineSteps.normalize(builder, PIPELINE, topics.input(), topics.deadLetter(),
        new LogNormalizer(), stats.counters());
    logs = PipelineSteps.redact(logs, PIPELINE, redactor::redact);
    logs = Enrichment.logs(builder, logs, PIPELINE, config.enrichment(), stats.enrichment());
    PipelineSteps.write(logs, PIPELINE, topics.output(), LogsTopology::key, AvroSerde.forType(LogRecord.class, serde));
    return builder.build();
  }

  static String key(LogRecord log) {
    return log.getTraceId() != null ? log.getTraceId() : StableIds.resourceId(log.getTenant(), log.getResource());
  }
}
