package io.tributary.schemas.topics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every topic Tributary reads or writes. {@code tributary topics create}, the tests and the
 * Kubernetes manifests all take names, partitions and configs from here, so they never drift.
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

  /** Alert state changes, one Avro Alert per record. */
  public static final TopicSpec ALERTS = new TopicSpec("telemetry.alerts", 3, PROCESSED_RETENTION, false,
      "alert fingerprint", "Alert (Avro)");

  /** The raw topics the gateway writes. */
  public static final List<TopicSpec> RAW = List.of(OTLP_SPANS, OTLP_LOGS, OTLP_METRICS);

  /** Every topic, in creation order. */
  public static final List<TopicSpec> ALL = List.of(OTLP_SPANS, OTLP_LOGS, OTLP_METRICS, SPANS, LOGS, METRICS, ALERTS);

  private TopicCatalog() {}

  /** The catalog entry with this name, if any. */
  public static Optional<TopicSpec> byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
