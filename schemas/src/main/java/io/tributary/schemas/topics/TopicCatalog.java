package io.tributary.schemas.topics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every topic Tributary reads or writes. {@code tributary topics create}, the tests and the
 * Kubernetes manifests all take names, partitions and configs from here, so they never drift.
 * {@link io.tributary.schemas.Signal} says which of them each signal flows through.
 */
public final class TopicCatalog {

  /** Largest record the gateway writes and the topics accept (broker default is 1 MiB). */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  private static final Duration RAW_RETENTION = Duration.ofDays(3);
  private static final Duration PROCESSED_RETENTION = Duration.ofDays(7);
  private static final int RAW_PARTITIONS = 6;
  private static final int PROCESSED_PARTITIONS = 6;

  /** OTLP traces as written by the gateway or a Collector's kafka exporter (encoding otlp_proto). */
  public static final TopicSpec OTLP_SPANS = new TopicSpec("otlp_spans", RAW_PARTITIONS, RAW_RETENTION, false,
      "trace id, 32 lowercase hex chars (the Collector's partition_traces_by_id key)",
      "ExportTraceServiceRequest (protobuf) holding spans of that one trace");

  /** OTLP logs, encoding otlp_proto. */
  public static final TopicSpec OTLP_LOGS = new TopicSpec("otlp_logs", RAW_PARTITIONS, RAW_RETENTION, false,
      "trace id (hex) when the log records carry one, else a hash of the resource",
      "ExportLogsServiceRequest (protobuf)");

  /** OTLP metrics, encoding otlp_proto. */
  public static final TopicSpec OTLP_METRICS = new TopicSpec("otlp_metrics", RAW_PARTITIONS, RAW_RETENTION, false,
      "hash of resource and metric name",
      "ExportMetricsServiceRequest (protobuf)");

  /** Processed spans, one Avro Span per record. */
  public static final TopicSpec SPANS = new TopicSpec("telemetry.spans", PROCESSED_PARTITIONS, PROCESSED_RETENTION,
      false, "trace id (hex)", "Span (Avro)");

  /** Processed log records, one Avro LogRecord per record. */
  public static final TopicSpec LOGS = new TopicSpec("telemetry.logs", PROCESSED_PARTITIONS, PROCESSED_RETENTION,
      false, "trace id (hex) or resource hash", "LogRecord (Avro)");

  /** Processed metric points, one Avro MetricPoint per record. */
  public static final TopicSpec METRICS = new TopicSpec("telemetry.metrics", PROCESSED_PARTITIONS,
      PROCESSED_RETENTION, false, "series id", "MetricPoint (Avro)");

  /**
   * Processed spans as OTLP (encoding otlp_proto), written by the traces pipeline when its OTLP output is
   * on, for a Collector's or Jaeger's kafka receiver: the spans of kept traces, keyed as {@link #OTLP_SPANS}.
   */
  public static final TopicSpec OTLP_OUTPUT_SPANS = new TopicSpec("telemetry.otlp.spans", PROCESSED_PARTITIONS,
      PROCESSED_RETENTION, false, "trace id, 32 lowercase hex chars",
      "ExportTraceServiceRequest (protobuf): spans of that one trace, after redaction, enrichment and tail "
          + "sampling (attribute tributary.sampling.policy)");

  /** Processed log records as OTLP (encoding otlp_proto), keyed as {@link #OTLP_LOGS}. */
  public static final TopicSpec OTLP_OUTPUT_LOGS = new TopicSpec("telemetry.otlp.logs", PROCESSED_PARTITIONS,
      PROCESSED_RETENTION, false, "trace id (hex) when the log record carries one, else a hash of the resource",
      "ExportLogsServiceRequest (protobuf): one log record, after redaction and enrichment");

  /** Processed metric points as OTLP (encoding otlp_proto), keyed as {@link #OTLP_METRICS}. */
  public static final TopicSpec OTLP_OUTPUT_METRICS = new TopicSpec("telemetry.otlp.metrics", PROCESSED_PARTITIONS,
      PROCESSED_RETENTION, false, "hash of resource and metric name",
      "ExportMetricsServiceRequest (protobuf): one data point, after redaction, enrichment and the cardinality guard");

  /** Alert state changes, one Avro Alert per record. */
  public static final TopicSpec ALERTS = new TopicSpec("telemetry.alerts", 3, PROCESSED_RETENTION, false,
      "alert fingerprint", "Alert (Avro)");

  /**
   * Reference data for enrichment, read by the pipelines as a GlobalKTable and applied live:
   * service -> attributes, added to resources as {@code tributary.service.<key>}. Plain JSON so
   * operators can write it with kcat.
   */
  public static final TopicSpec REF_SERVICES = new TopicSpec("tributary.ref.services", 1, null, true,
      "service.name, or <tenant>/<service.name> for one tenant's service (taken first)",
      "JSON object of attributes, e.g. {\"team\":\"payments\",\"owner\":\"ana\",\"tier\":1}; a null value removes the service");

  /** LLM prices overriding the configured table live (GlobalKTable), in US dollars per million tokens. */
  public static final TopicSpec REF_LLM_PRICES = new TopicSpec("tributary.ref.llm-prices", 1, null, true,
      "model name as in gen_ai.response.model / gen_ai.request.model (a dated name also matches its prefix)",
      "JSON {\"input\": <USD per million input tokens>, \"output\": <USD per million output tokens>}; a null value removes the override");

  /**
   * Kubernetes pods, written by {@code tributary k8s-metadata} and joined by the pipelines as a
   * GlobalKTable: each pod under two keys of one topic ({@link PodReference}), so one table and one
   * restore serve both lookups. A pod that goes away leaves tombstones under both.
   */
  public static final TopicSpec REF_K8S_PODS = new TopicSpec("tributary.ref.k8s-pods", 1, null, true,
      "uid/<pod uid>, and ip/<pod IP> for a pod with its own IP (not hostNetwork)",
      "JSON object of resource attributes, e.g. {\"k8s.pod.name\":\"checkout-5f7c9-x2x4q\",\"k8s.namespace.name\":\"shop\","
          + "\"k8s.deployment.name\":\"checkout\",\"k8s.node.name\":\"node-1\"}; null when the pod is gone");

  /** The raw topics the gateway writes. */
  public static final List<TopicSpec> RAW = List.of(OTLP_SPANS, OTLP_LOGS, OTLP_METRICS);

  /** Dead-letter topics are named {@code tributary.dlq.<pipeline>} and {@code tributary.dlq.sink-<sink>}. */
  public static final String DEAD_LETTER_PREFIX = "tributary.dlq.";
  // Two weeks: time for an operator to look, fix and replay. Declared before the topics that use it.
  private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

  /** Raw records the traces pipeline could not process, unchanged, with headers saying why. */
  public static final TopicSpec DLQ_TRACES = deadLetter("traces");
  /** Raw records the logs pipeline could not process. */
  public static final TopicSpec DLQ_LOGS = deadLetter("logs");
  /** Raw records the metrics pipeline could not process. */
  public static final TopicSpec DLQ_METRICS = deadLetter("metrics");

  /** Records the Elasticsearch sink could not write (Connect's dead-letter queue of that connector). */
  public static final TopicSpec DLQ_SINK_ELASTICSEARCH = sinkDeadLetter("elasticsearch");
  /** Spans the OTLP/Tempo sink could not write. */
  public static final TopicSpec DLQ_SINK_TEMPO = sinkDeadLetter("tempo");
  /** Metric points the remote_write sink could not write. */
  public static final TopicSpec DLQ_SINK_REMOTE_WRITE = sinkDeadLetter("remote-write");
  /** Alerts the Alertmanager sink could not deliver. */
  public static final TopicSpec DLQ_SINK_ALERTMANAGER = sinkDeadLetter("alertmanager");

  /** Every topic, in creation order. */
  public static final List<TopicSpec> ALL = List.of(OTLP_SPANS, OTLP_LOGS, OTLP_METRICS, SPANS, LOGS, METRICS,
      OTLP_OUTPUT_SPANS, OTLP_OUTPUT_LOGS, OTLP_OUTPUT_METRICS, ALERTS, REF_SERVICES, REF_LLM_PRICES, REF_K8S_PODS, DLQ_TRACES, DLQ_LOGS, DLQ_METRICS, DLQ_SINK_ELASTICSEARCH, DLQ_SINK_TEMPO,
      DLQ_SINK_REMOTE_WRITE, DLQ_SINK_ALERTMANAGER);

  private TopicCatalog() {}

  private static TopicSpec deadLetter(String pipeline) {
    return new TopicSpec(DEAD_LETTER_PREFIX + pipeline, 3, DEAD_LETTER_RETENTION, false, "the raw record's key",
        "the raw record's bytes, unchanged; tributary.dlq.* headers say why, and where it came from");
  }

  private static TopicSpec sinkDeadLetter(String sink) {
    return new TopicSpec(DEAD_LETTER_PREFIX + "sink-" + sink, 3, DEAD_LETTER_RETENTION, false, "the record's key",
        "the record the sink could not write, unchanged; Connect's __connect.errors.* headers say why");
  }

  /** The catalog entry with this name, if any. */
  public static Optional<TopicSpec> byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
