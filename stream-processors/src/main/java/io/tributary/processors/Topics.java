package io.tributary.processors;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.Signal;
import io.tributary.schemas.topics.TopicCatalog;

/**
 * The topics one pipeline reads and writes: raw OTLP in, Avro out, its dead-letter topic for
 * records it cannot process, and the topic of its OTLP output (written when the pipeline file turns
 * it on). The defaults are each {@link Signal}'s topics in the {@link TopicCatalog}; tests and staged
 * deployments may use other names.
 *
 * @param input raw OTLP records ({@code Export*ServiceRequest} protobuf)
 * @param output processed Avro records
 * @param deadLetter raw records that could not be processed, unchanged, with {@link DeadLetterHeaders}
 * @param otlpOutput processed records as OTLP protobuf ({@code otlp-output:} in the pipeline file);
 *     null when there is none, and then the output cannot be turned on
 */
public record Topics(String input, String output, String deadLetter, String otlpOutput) {

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
   * The catalog topics of {@code signal}'s pipeline: its raw topic to its processed topic (and its OTLP
   * output topic), dead letters to its dead-letter topic.
   *
   * @throws IllegalArgumentException if the signal has no pipeline (alerts)
   */
  public static Topics of(Signal signal) {
    if (!signal.hasPipeline()) {
      throw new IllegalArgumentException("signal: " + signal + " (expected: one with a pipeline, "
          + Signal.pipelines() + ")");
    }
    return new Topics(signal.rawTopic().orElseThrow().name(), signal.processedTopic().name(),
        signal.deadLetterTopic().orElseThrow().name(), signal.otlpOutputTopic().orElseThrow().name());
  }

  /**
   * {@code otlp_spans} to {@code telemetry.spans} (and {@code telemetry.otlp.spans}), dead letters to
   * {@code tributary.dlq.traces}.
   */
  public static Topics traces() {
    return of(Signal.TRACES);
  }

  /**
   * {@code otlp_logs} to {@code telemetry.logs} (and {@code telemetry.otlp.logs}), dead letters to
   * {@code tributary.dlq.logs}.
   */
  public static Topics logs() {
    return of(Signal.LOGS);
  }

  /**
   * {@code otlp_metrics} to {@code telemetry.metrics} (and {@code telemetry.otlp.metrics}), dead letters
   * to {@code tributary.dlq.metrics}.
   */
  public static Topics metrics() {
    return of(Signal.METRICS);
  }

  private static void checkName(String name, String topic) {
    if (topic.isBlank()) {
      throw new IllegalArgumentException(name + ": '" + topic + "' (expected: a topic name)");
    }
  }
}
