package io.tributary.processors;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.enrich.EnrichmentStats;
import io.tributary.processors.internal.PipelineSteps;
import io.tributary.processors.internal.normalize.Normalizer;
import io.tributary.processors.redact.internal.Redactor;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * What the topology factories of the three signals share: their arguments checked, one
 * {@link StreamsBuilder}, and the steps every signal takes the same way (normalize with its
 * dead-letter branch, redact, enrich, write, the OTLP output), each named {@code <pipeline>-<step>}. A topology class
 * lists its steps with one of these, adding the steps of its own signal in between.
 */
final class SignalPipeline {

  /** The enrich step of one signal: {@code Enrichment.spans} and its siblings. */
  interface EnrichStep<T> {
    KStream<String, T> enrich(StreamsBuilder builder, KStream<String, T> records, String pipeline,
        EnrichmentConfig config, EnrichmentStats stats);
  }

  private final String pipeline;
  private final PipelineConfig config;
  private final Topics topics;
  private final SerdeConfig serde;
  private final PipelineStats stats;
  private final StreamsBuilder builder = new StreamsBuilder();
  private final Redactor redactor;

  SignalPipeline(String pipeline, PipelineConfig config, Topics topics, SerdeConfig serde, PipelineStats stats) {
    this.pipeline = pipeline;
    this.config = requireNonNull(config, "config");
    this.topics = requireNonNull(topics, "topics");
    this.serde = requireNonNull(serde, "serde");
    this.stats = requireNonNull(stats, "stats");
    this.redactor = new Redactor(config.redaction(), stats.counters());
  }

  /** Raw OTLP from the input topic as records; what cannot be read goes to the dead-letter topic. */
  <T> KStream<String, T> normalize(Normalizer<T> normalizer) {
    return PipelineSteps.normalize(builder, pipeline, topics.input(), topics.deadLetter(), normalizer,
        stats.counters());
  }

  /** Like {@link #normalize}, one record per raw record holding all of its records. */
  <T> KStream<String, List<T>> normalizeBatches(Normalizer<T> normalizer) {
    return PipelineSteps.normalizeBatches(builder, pipeline, topics.input(), topics.deadLetter(), normalizer,
        stats.counters());
  }

  /**
   * Applies the redaction rules, through the {@link Redactor} method for this signal
   * ({@code redactor -> redactor::redact}), bound once here rather than looked up per record.
   */
  <T> KStream<String, T> redact(KStream<String, T> records, Function<Redactor, UnaryOperator<T>> redaction) {
    return PipelineSteps.redact(records, pipeline, redaction.apply(redactor));
  }

  <T> KStream<String, T> enrich(KStream<String, T> records, EnrichStep<T> step) {
    return step.enrich(builder, records, pipeline, config.enrichment(), stats.enrichment());
  }

  /** Writes Avro {@code type} records to the output topic under the key {@code key} derives from each. */
  <T extends SpecificRecord> void write(KStream<String, T> records, Function<T, String> key, Class<T> type) {
    PipelineSteps.write(records, pipeline, topics.output(), key, AvroSerde.forType(type, serde));
  }

  /** Writes records already in single-object encoding of {@code type}, keyed as they are. */
  <T extends SpecificRecord> void writeEncoded(KStream<String, byte[]> records, Class<T> type) {
    PipelineSteps.writeEncoded(records, pipeline, topics.output(), AvroSerde.forType(type, serde));
  }

  /**
   * Adds the OTLP output {@code step}, writing to the OTLP output topic, when {@code on}: the switch
   * {@code otlp-output.<pipeline>} of the pipeline file.
   */
  void otlpOutput(boolean on, Consumer<String> step) {
    if (on) {
      step.accept(topics.requireOtlpOutput(PipelineConfigReader.OTLP_OUTPUT + "." + pipeline));
    }
  }

  Topology topology() {
    return builder.build();
  }
}
