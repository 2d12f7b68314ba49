package io.tributary.processors.integration;

import static io.tributary.testsupport.OtlpSamples.attribute;
import static io.tributary.testsupport.OtlpSamples.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.processors.DeadLetterHeaders;
import io.tributary.processors.OtlpFixtures;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.processors.sampling.SamplingCondition;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.SamplingPolicy;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traces pipeline as it runs in production: a KafkaStreams application with exactly-once
 * processing against a real broker, raw OTLP in, Avro spans out with the PII gone, poison records
 * in the dead-letter topic. Sampling keeps every trace here; {@link TailSamplingIT} tests it.
 */
@ExtendWith(SharedKafkaBroker.class)
class TracesPipelineIT {

  private static final int TRACES = 20;

  @TempDir Path stateDir;

  @Test
  void shouldTurnRawOtlpIntoRedactedAvroSpansExactlyOnce(EmbeddedKafkaBroker kafka) throws Exception {
    Topics topics = Topics.traces();
    PipelineStats stats = new PipelineStats();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, TracesTopology.APPLICATION_ID + "-it");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    // Every trace kept, decided soon: this test is about normalize and redact (TailSamplingIT samples).
    PipelineConfig config = PipelineConfig.getDefault().withSampling(SamplingConfig.builder()
        .decisionWait(Duration.ofMillis(500)).checkInterval(Duration.ofMillis(200))
        .policies(SamplingPolicy.of("all", SamplingCondition.always())).build());
    // Input and output, and every topic of the other steps (reference data, span metrics).
    PipelineTopics.createMissing(kafka, TracesTopology.build(config, topics), topics, 2);
    try (KafkaStreams streams = new KafkaStreams(
        TracesTopology.build(config, topics, SerdeConfig.getDefault(), stats), props)) {
      streams.start();
      List<String> traceIds = produce(kafka, topics.input());

      List<ConsumerRecord<String, io.tributary.schemas.avro.Span>> spans = new ArrayList<>();
      List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
      try (KafkaConsumer<String, io.tributary.schemas.avro.Span> spanConsumer = consumer(kafka, topics.output(),
              AvroSerde.forType(io.tributary.schemas.avro.Span.class, SerdeConfig.getDefault()).deserializer());
          KafkaConsumer<String, byte[]> deadLetterConsumer =
              consumer(kafka, topics.deadLetter(), new ByteArrayDeserializer())) {
        await("every span committed to " + topics.output() + " and the poison record to " + topics.deadLetter())
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> {
              spanConsumer.poll(Duration.ofMillis(200)).forEach(spans::add);
              deadLetterConsumer.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
              assertThat(spans).hasSize(TRACES);
              assertThat(deadLetters).hasSize(1);
            });
      }

      assertThat(spans).allSatisfy(record -> {
        io.tributary.schemas.avro.Span span = record.value();
        assertThat(record.key()).isEqualTo(span.getTraceId());
        assertThat(span.getTenant()).isEqualTo("acme");
        assertThat(span.getSamplingPolicy()).isEqualTo("all");
        assertThat(span.getAttributes()).extracting(KeyValue::getKey).containsExactly("user.email", "http.route");
        assertThat(span.getAttributes().get(0).getValue().getValue()).isEqualTo("[REDACTED:email]");
        assertThat(span.getResource().getAttributes().get(1).getValue().getValue()).isEqualTo("[REDACTED:ipv4]");
        assertThat(span.toString()).doesNotContain("@example.com", "10.1.2.3", "tell me a secret");
      });
      assertThat(spans).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(traceIds);
      assertThat(new String(deadLetters.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
          StandardCharsets.UTF_8)).startsWith(
          "neither OTLP protobuf nor OTLP/JSON opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
      assertThat(stats.redactions()).containsEntry("mask:email", (long) TRACES).containsEntry("drop:gen_ai.prompt", (long) TRACES);
      assertThat(stats.deadLettered()).isEqualTo(1);
    }
  }

  /** One request per trace, keyed by trace id as the gateway writes them, and one poison record in the middle. */
  private static List<String> produce(EmbeddedKafkaBroker kafka, String topic) throws Exception {
    List<String> traceIds = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = TestClients.rawProducer(kafka)) {
      for (int i = 0; i < TRACES; i++) {
        String traceId = HexFormat.of().toHexDigits(0x1000L + i) + HexFormat.of().toHexDigits(0xabcdefL);
        traceIds.add(traceId);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "checkout"))
                    .addAttributes(attribute("host.ip", "10.1.2.3")))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
                    .setTraceId(id(traceId)).setSpanId(id("00000000000000a1")).setName("chat")
                    .addAttributes(attribute("user.email", "user" + i + "@example.com"))
                    .addAttributes(attribute("gen_ai.prompt", "tell me a secret"))
                    .addAttributes(attribute("http.route", "/chat")))))
            .build();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, traceId, request.toByteArray());
        record.headers().add(TelemetryHeaders.TENANT, "acme".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
        if (i == TRACES / 2) {
          producer.send(new ProducerRecord<>(topic, "poison", OtlpFixtures.garbage())).get();
        }
      }
    }
    return traceIds;
  }

  private static <V> KafkaConsumer<String, V> consumer(EmbeddedKafkaBroker kafka, String topic,
      Deserializer<V> valueDeserializer) {
    return TestClients.committedConsumer(kafka, "traces-pipeline-it-" + topic, topic, valueDeserializer);
  }
}
