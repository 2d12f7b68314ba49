package io.tributary.processors;

import io.tributary.processors.enrich.Enrichment;
import io.tributary.processors.internal.normalize.SpanNormalizer;
import io.tributary.processors.otlp.OtlpOutput;
import io.tributary.processors.sampling.KeptSpan;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.processors.servicegraph.ServiceGraph;
import io.tributary.processors.spanmetrics.SpanMetrics;
import io.tributary.schemas.Signal;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.SerdeConfig;
import java.util.List;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The traces pipeline: {@code otlp_spans} (OTLP protobuf) -> normalize -> redact -> enrich
 * ({@link Enrichment}) -> span metrics ({@link SpanMetrics}) and the service graph ({@link ServiceGraph}),
 * branches to {@code telemetry.metrics} before sampling so counts stay exact -> tail sampling ({@link TailSampling}) ->
 * {@code telemetry.spans} (one Avro {@link Span} per record, key: trace id in hex; only the spans of
 * kept traces, once their trace is decided) and, with {@code otlp-output.traces}, to
 * {@code telemetry.otlp.spans} ({@link OtlpOutput#spans}: one OTLP request per trace and release).
 * Raw records that cannot be read go to the dead-letter topic and processing goes on.
 *
 * <pre>{@code
 * Topology topology = TracesTopology.build(PipelineConfig.load(file), Topics.traces());
 * new KafkaStreams(topology, props).start(); // props with application.id = TracesTopology.APPLICATION_ID
 * }</pre>
 */
public final class TracesTopology {

  /** The Kafka Streams application id (consumer group, prefix of internal topics). */
  public static final String APPLICATION_ID = "tributary-traces";
  static final String PIPELINE = Signal.TRACES.id();

  private TracesTopology() {}

  /** With the embedded serde format (no schema registry) and counts nobody reads. */
  public static Topology build(PipelineConfig config, Topics topics) {
    return build(config, topics, SerdeConfig.getDefault(), new PipelineStats());
  }

  public static Topology build(PipelineConfig config, Topics topics, SerdeConfig serde, PipelineStats stats) {
    SignalPipeline pipeline = new SignalPipeline(PIPELINE, config, topics, serde, stats);
    // The spans of one request travel together up to tail sampling, which buffers them as one chunk.
    KStream<String, List<Span>> requests = pipeline.normalizeBatches(new SpanNormalizer());
    requests = pipeline.redact(requests, redactor -> redactor::redactSpans);
    requests = pipeline.enrich(requests, Enrichment::spans);
    // Span metrics and the service graph branch off before sampling, so their counts stay exact.
    SpanMetrics.count(requests, PIPELINE, config.spanMetrics(), config.sampling().costAttribute(), serde,
        stats.spanMetrics());
    ServiceGraph.count(requests, PIPELINE, config.serviceGraph(), serde, stats.serviceGraph());
    KStream<String, List<KeptSpan>> kept = TailSampling.sample(requests, PIPELINE, config.sampling(), stats.sampling());
    pipeline.writeEncoded(TailSampling.spans(kept, PIPELINE), Span.class);
    pipeline.otlpOutput(config.otlpOutput().traces(), topic -> OtlpOutput.spans(kept, PIPELINE, topic));
    return pipeline.topology();
  }
}
