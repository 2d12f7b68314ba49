package io.tributary.processors.internal;

import io.tributary.processors.internal.normalize.Normalizer;
import io.tributary.schemas.serde.AvroSerde;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The steps every signal pipeline is made of, each a small piece of DSL a topology strings together
 * (and a test can run alone). Processor names are {@code <pipeline>-<step>}, stable across releases
 * because changelog and repartition topics of later stateful steps derive from the topology.
 */
public final class PipelineSteps {

  private PipelineSteps() {}

  /**
   * Reads raw OTLP from {@code inputTopic} and returns one record per span / log record / metric
   * point, keyed like its raw record. Records that cannot be normalized go, unchanged and with
   * {@code DeadLetterHeaders}, to {@code deadLetterTopic}.
   */
  public static <T> KStream<String, T> normalize(StreamsBuilder builder, String pipeline, String inputTopic,
      String deadLetterTopic, Normalizer<T> normalizer, Counters counters) {
    return outcomes(builder, pipeline, inputTopic, deadLetterTopic, normalizer, counters)
        .flatMapValues(PipelineSteps::records, Named.as(pipeline + "-records"));
  }

  /**
   * Like {@link #normalize}, but one record per raw record holding all of its records (a raw record
   * with none gives none). Later steps then pay Kafka Streams' per-record costs (forwarding, store
   * writes) once per request instead of once per span, and see which records arrived together.
   */
  public static <T> KStream<String, List<T>> normalizeBatches(StreamsBuilder builder, String pipeline,
      String inputTopic, String deadLetterTopic, Normalizer<T> normalizer, Counters counters) {
    return outcomes(builder, pipeline, inputTopic, deadLetterTopic, normalizer, counters)
        .flatMapValues(PipelineSteps::batch, Named.as(pipeline + "-records"));
  }

  private static <T> KStream<String, Outcome<T>> outcomes(StreamsBuilder builder, String pipeline, String inputTopic,
      String deadLetterTopic, Normalizer<T> normalizer, Counters counters) {
    KStream<String, Outcome<T>> outcomes = builder
        .stream(inputTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(pipeline + "-source"))
        .processValues(() -> new NormalizeProcessor<>(normalizer, counters), Named.as(pipeline + "-normalize"));
    outcomes
        .flatMapValues(PipelineSteps::poison, Named.as(pipeline + "-poison"))
        .to(deadLetterTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName(pipeline + "-dead-letters"));
    return outcomes;
  }

  /** Applies {@code redaction} to every record. */
  public static <T> KStream<String, T> redact(KStream<String, T> records, String pipeline, UnaryOperator<T> redaction) {
    return records.mapValues(redaction::apply, Named.as(pipeline + "-redact"));
  }

  /** Writes each record to {@code outputTopic} under the key {@code key} derives from it. */
  public static <T> void write(KStream<String, T> records, String pipeline, String outputTopic,
      Function<T, String> key, Serde<T> valueSerde) {
    records
        .selectKey((rawKey, record) -> key.apply(record), Named.as(pipeline + "-key"))
        .to(outputTopic, Produced.with(Serdes.String(), valueSerde).withName(pipeline + "-sink"));
  }

  /**
   * Writes records that are already encoded in single-object encoding of {@code valueSerde}'s type
   * to {@code outputTopic}, keyed as they are, in {@code valueSerde}'s format (without a registry
   * the bytes go as they are).
   */
  public static void writeEncoded(KStream<String, byte[]> records, String pipeline, String outputTopic,
      AvroSerde<?> valueSerde) {
    KStream<String, byte[]> framed = valueSerde.registryClient().isEmpty() ? records
        : records.mapValues(value -> valueSerde.reframe(outputTopic, value), Named.as(pipeline + "-frame"));
    framed.to(outputTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName(pipeline + "-sink"));
  }

  private static <T> List<T> records(Outcome<T> outcome) {
    return outcome instanceof Outcome.Normalized<T> normalized ? normalized.records() : List.of();
  }

  private static <T> List<List<T>> batch(Outcome<T> outcome) {
    List<T> records = records(outcome);
    return records.isEmpty() ? List.of() : List.of(records);
  }

  private static <T> List<byte[]> poison(Outcome<T> outcome) {
    return outcome instanceof Outcome.Poison<T> poison ? Collections.singletonList(poison.raw()) : List.of(); // the raw value may be null
  }
}
