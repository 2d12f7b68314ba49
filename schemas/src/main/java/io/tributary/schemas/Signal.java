package io.tributary.schemas;

import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * The kinds of telemetry Tributary carries and the topics each flows through: traces, logs and metrics
 * arrive as OTLP on a raw topic and leave their pipeline as Avro records on a processed topic; alerts are
 * made by the alerting stream and have only a processed topic. The topics are the {@link TopicCatalog}'s.
 *
 * <p>Two names: the {@link #id()} names the signal and its pipeline ({@code traces}; {@code --pipelines},
 * {@code otlp-output:}, the dead-letter topic {@code tributary.dlq.traces}, metric tags), the
 * {@link #recordsName()} names its processed records ({@code spans}; {@code telemetry.spans}, an alert
 * rule's {@code source}, the Elasticsearch sink's {@code topic.signals}).
 */
public enum Signal {
  TRACES("traces", "spans", Span.class, TopicCatalog.OTLP_SPANS, TopicCatalog.SPANS, TopicCatalog.OTLP_OUTPUT_SPANS,
      TopicCatalog.DLQ_TRACES),
  LOGS("logs", "logs", LogRecord.class, TopicCatalog.OTLP_LOGS, TopicCatalog.LOGS, TopicCatalog.OTLP_OUTPUT_LOGS,
      TopicCatalog.DLQ_LOGS),
  METRICS("metrics", "metrics", MetricPoint.class, TopicCatalog.OTLP_METRICS, TopicCatalog.METRICS,
      TopicCatalog.OTLP_OUTPUT_METRICS, TopicCatalog.DLQ_METRICS),
  ALERTS("alerts", "alerts", Alert.class, null, TopicCatalog.ALERTS, null, null);

  private static final List<Signal> PIPELINES = List.of(TRACES, LOGS, METRICS);

  private final String id;
  private final String recordsName;
  private final Class<? extends SpecificRecord> avroClass;
  private final TopicSpec rawTopic;
  private final TopicSpec processedTopic;
  private final TopicSpec otlpOutputTopic;
  private final TopicSpec deadLetterTopic;

  Signal(String id, String recordsName, Class<? extends SpecificRecord> avroClass, TopicSpec rawTopic,
      TopicSpec processedTopic, TopicSpec otlpOutputTopic, TopicSpec deadLetterTopic) {
    this.id = id;
    this.recordsName = recordsName;
    this.avroClass = avroClass;
    this.rawTopic = rawTopic;
    this.processedTopic = processedTopic;
    this.otlpOutputTopic = otlpOutputTopic;
    this.deadLetterTopic = deadLetterTopic;
  }

  /** The signals that have a pipeline (a raw topic, a dead-letter topic and an OTLP output): traces, logs, metrics. */
  public static List<Signal> pipelines() {
    return PIPELINES;
  }

  /** The name of the signal and of its pipeline: {@code traces}, {@code logs}, {@code metrics}, {@code alerts}. */
  public String id() {
    return id;
  }

  /**
   * The name of its processed records, as in the processed topic's name and in configuration that picks
   * processed records: {@code spans}, {@code logs}, {@code metrics}, {@code alerts}.
   */
  public String recordsName() {
    return recordsName;
  }

  /** The Avro class of a processed record. */
  public Class<? extends SpecificRecord> avroClass() {
    return avroClass;
  }

  /** Whether a pipeline turns raw OTLP of this signal into processed records (all but alerts). */
  public boolean hasPipeline() {
    return rawTopic != null;
  }

  /** The raw OTLP topic the gateway writes and the pipeline reads; empty for alerts. */
  public Optional<TopicSpec> rawTopic() {
    return Optional.ofNullable(rawTopic);
  }

  /** The topic of processed Avro records, one per span, log record, metric point or alert state change. */
  public TopicSpec processedTopic() {
    return processedTopic;
  }

  /** The topic the pipeline writes its processed records to as OTLP when asked; empty for alerts. */
  public Optional<TopicSpec> otlpOutputTopic() {
    return Optional.ofNullable(otlpOutputTopic);
  }

  /** The pipeline's dead-letter topic for raw records it cannot process; empty for alerts. */
  public Optional<TopicSpec> deadLetterTopic() {
    return Optional.ofNullable(deadLetterTopic);
  }

  /** The signal with this {@link #id()}, case-insensitive and trimmed. */
  public static Optional<Signal> forId(String id) {
    return find(Signal::id, id);
  }

  /** The signal with this {@link #recordsName()}, case-insensitive and trimmed. */
  public static Optional<Signal> forRecordsName(String recordsName) {
    return find(Signal::recordsName, recordsName);
  }

  private static Optional<Signal> find(Function<Signal, String> nameOf, String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> nameOf.apply(s).equals(wanted)).findFirst();
  }
}
