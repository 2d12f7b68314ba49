package io.tributary.processors;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.util.List;

/**
 * The topics one pipeline reads and writes: raw OTLP in, Avro out, its dead-letter topic for
 * records it cannot process, and the topic of its OTLP output (written when the pipeline file turns
 * it on). The defaults come from the {@link TopicCatalog}; tests and staged deployments may use other names.
 *
 * @param input raw OTLP records ({@code Export*ServiceRequest} protobuf)
 * @param output processed Avro records
 * @param deadLetter raw records that could not be processed, unchanged, with {@link DeadLetterHeaders}
 * @param otlpOutput processed records as OTLP protobuf ({@code otlp-output:} in the pipeline file);
 *     null when there is none, and then the output cannot be turned on
 */
public record Topics(String input, String output, String deadLetter, String otlpOutput) {

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
    if (otlpOutput != null) {
      checkName("otlpOutput", otlpOutput);
    }
  }

  /** Without an OTLP output topic. */
  public Topics(String input, String output, String deadLetter) {
    this(input, output, deadLetter, null);
  }

  /** These topics with {@code otlpOutput} as the OTLP output topic. */
  public Topics withOtlpOutput(String otlpOutput) {
    return new Topics(input, output, deadLetter, requireNonNull(otlpOutput, "otlpOutput"));
  }

  /** The OTLP output topic, checked to exist because {@code what} turns the output on. */
  String requireOtlpOutput(String what) {
    if (otlpOutput == null) {
      throw new IllegalArgumentException(what + " is on, but the topics name no OTLP output topic (expected: "
          + "Topics with an otlpOutput, as Topics.traces(), Topics.logs() and Topics.metrics() have)");
    }
    return otlpOutput;
  }

  /**
   * {@code otlp_spans} to {@code telemetry.spans} (and {@code telemetry.otlp.spans}), dead letters to
   * {@code tributary.dlq.traces}.
   */
  public static Topics traces() {
    return new Topics(TopicCatalog.OTLP_SPANS.name(), TopicCatalog.SPANS.name(), DEAD_LETTER_TRACES.name(),
        TopicCatalog.OTLP_OUTPUT_SPANS.name());
  }

  /**
   * {@code otlp_logs} to {@code telemetry.logs} (and {@code telemetry.otlp.logs}), dead letters to
   * {@code tributary.dlq.logs}.
   */
  public static Topics logs() {
    return new Topics(TopicCatalog.OTLP_LOGS.name(), TopicCatalog.LOGS.name(), DEAD_LETTER_LOGS.name(),
        TopicCatalog.OTLP_OUTPUT_LOGS.name());
  }

  /**
   * {@code otlp_metrics} to {@code telemetry.metrics} (and {@code telemetry.otlp.metrics}), dead letters
   * to {@code tributary.dlq.metrics}.
   */
  public static Topics metrics() {
    return new Topics(TopicCatalog.OTLP_METRICS.name(), TopicCatalog.METRICS.name(), DEAD_LETTER_METRICS.name(),
        TopicCatalog.OTLP_OUTPUT_METRICS.name());
  }

  private static void checkName(String name, String topic) {
    if (topic.isBlank()) {
      throw new IllegalArgumentException(name + ": '" + topic + "' (expected: a topic name)");
    }
  }
}
