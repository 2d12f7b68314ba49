package io.tributary.alerting;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.Signal;
import io.tributary.schemas.topics.TopicCatalog;

/**
 * The topics the alerting application reads and writes. The defaults are the processed topics of each
 * {@link Signal}, from the {@link TopicCatalog}; tests and staged deployments may use other names.
 *
 * @param spans Avro {@code Span} records
 * @param logs Avro {@code LogRecord} records
 * @param metrics Avro {@code MetricPoint} records
 * @param alerts Avro {@code Alert} records, one per state change, key: fingerprint
 */
public record AlertingTopics(String spans, String logs, String metrics, String alerts) {

  public AlertingTopics {
    check("spans", spans);
    check("logs", logs);
    check("metrics", metrics);
    check("alerts", alerts);
  }

  /** {@code telemetry.spans}, {@code telemetry.logs}, {@code telemetry.metrics} to {@code telemetry.alerts}. */
  public static AlertingTopics defaults() {
    return new AlertingTopics(Signal.TRACES.processedTopic().name(), Signal.LOGS.processedTopic().name(),
        Signal.METRICS.processedTopic().name(), Signal.ALERTS.processedTopic().name());
  }

  /** The input topic of {@code source}. */
  public String input(RuleSource source) {
    return switch (source) {
      case SPANS -> spans;
      case LOGS -> logs;
      case METRICS -> metrics;
    };
  }

  private static void check(String name, String topic) {
    requireNonNull(topic, name);
    if (topic.isBlank()) {
      throw new IllegalArgumentException(name + ": '" + topic + "' (expected: a topic name)");
    }
  }
}
