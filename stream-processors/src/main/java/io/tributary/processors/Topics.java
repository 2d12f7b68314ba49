package io.tributary.processors;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.util.List;

/**
 * The topics one pipeline reads and writes: raw OTLP in, Avro out, and its dead-letter topic for
 * records it cannot process. The defaults come from the {@link TopicCatalog}; tests and staged
 * deployments may use other names.
 *
 * @param input raw OTLP records ({@code Export*ServiceRequest} protobuf)
 * @param output processed Avro records
 * @param deadLetter raw records that could not be processed, unchanged, with {@link DeadLetterHeaders}
 */
public record Topics(String input, String output, String deadLetter) {

  /** Dead letters of the traces pipeline. */
  public static final TopicSpec DEAD_LETTER_TRACES = TopicCatalog.DLQ_TRACES;
  /** Dead letters of the logs pipeline. */
  public static final TopicSpec DEAD_LETTER_LOGS = TopicCatalog.DLQ_LOGS;
  /** Dead letters of the metrics pipeline. */
  public static final TopicSpec DEAD_LETTER_METRICS = TopicCatalog.DLQ_METRICS;
  /** The dead-letter topics of the three pipelines (all in the {@link TopicCatalog}). */
  public static final List<TopicSpec> DEAD_LETTER_TOPICS = List.of(DEAD_LETTER_TRACES, DEAD_LETTER_LOGS, DEAD_LETTER_METRICS);

  public Topics {
    requireNonNull(input, "input");
    requireNonNull(output, "output");
    requireNonNull(deadLetter, "deadLetter");
    checkName("input", input);
    checkName("output", output);
    checkName("deadLetter", deadLetter);
  }

  /** {@code otlp_spans} to {@code telemetry.spans}, dead letters to {@code tributary.dlq.traces}. */
  public static Topics traces() {
    return new Topics(TopicCatalog.OTLP_SPANS.name(), TopicCatalog.SPANS.name(), DEAD_LETTER_TRACES.name());
  }

  /** {@code otlp_logs} to {@code telemetry.logs}, dead letters to {@code tributary.dlq.logs}. */
  public static Topics logs() {
    return new Topics(TopicCatalog.OTLP_LOGS.name(), TopicCatalog.LOGS.name(), DEAD_LETTER_LOGS.name());
  }

  /** {@code otlp_metrics} to {@code telemetry.metrics}, dead letters to {@code tributary.dlq.metrics}. */
  public static Topics metrics() {
    return new Topics(TopicCatalog.OTLP_METRICS.name(), TopicCatalog.METRICS.name(), DEAD_LETTER_METRICS.name());
  }

  private static void checkName(String name, String topic) {
    if (topic.isBlank()) {
      throw new IllegalArgumentException(name + ": '" + topic + "' (expected: a topic name)");
    }
  }
}
