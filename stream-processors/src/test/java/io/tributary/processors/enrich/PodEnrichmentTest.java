package io.tributary.processors.enrich;

import static io.tributary.processors.AvroRecords.TENANT;
import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.AvroRecords;
import io.tributary.processors.LogsTopology;
import io.tributary.processors.OtlpFixtures;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.TestDrivers;
import io.tributary.processors.Topics;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.PodReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes pod metadata joined from the pod topic (GlobalKTable) with {@code TopologyTestDriver}:
 * the topic's records are written here as {@code tributary k8s-metadata} writes them, pods coming
 * and going between spans.
 */
class PodEnrichmentTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final EnrichmentConfig K8S = EnrichmentConfig.builder().k8sEnabled(true).build();
  private static final String UID = "4f5b1c7e-0000-4000-8000-000000000001";
  private static final String IP = "10.244.1.17";
  private static final String CHECKOUT_POD = """
      {"k8s.pod.name":"checkout-5f7c9-x2x4q","k8s.pod.uid":"%s","k8s.pod.ip":"%s","k8s.namespace.name":"shop",
       "k8s.replicaset.name":"checkout-5f7c9","k8s.deployment.name":"checkout","k8s.node.name":"node-1",
       "app.team":"payments"}""".formatted(UID, IP);

  @TempDir Path stateDir;
  private final EnrichmentStats stats = new EnrichmentStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, String> pods;

  @AfterEach
  void close() {
    driver.close();
  }

  private record SpanPipe(TestInputTopic<String, Span> in, TestOutputTopic<String, Span> out) {
    Span through(Span span) {
      in.pipeInput("k", span);
      return out.readValue();
    }
  }

  /** The enrich step alone, one span per request. */
  private SpanPipe spans(EnrichmentConfig config) {
    AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    Enrichment.spans(builder, builder.stream("in", Consumed.with(Serdes.String(), serde)).mapValues(s -> List.of(s)),
            "test", config, stats)
        .flatMapValues(request -> request).to("out", Produced.with(Serdes.String(), serde));
    driver = TestDrivers.driver(builder.build(), stateDir);
    pods = driver.createInputTopic(config.k8sTopic(), new StringSerializer(), new StringSerializer());
    return new SpanPipe(driver.createInputTopic("in", new StringSerializer(), serde.serializer()),
        driver.createOutputTopic("out", new StringDeserializer(), serde.deserializer()));
  }

  private void podAdded(String json) {
    pods.pipeInput(PodReference.uidKey(UID), json);
    pods.pipeInput(PodReference.ipKey(IP), json);
  }

  private void podDeleted() {
    pods.pipeInput(PodReference.uidKey(UID), (String) null);
    pods.pipeInput(PodReference.ipKey(IP), (String) null);
  }

  private static Span spanFrom(String key, String value) {
    Span span = AvroRecords.span("checkout", "GET /cart", 1_000);
    span.getResource().getAttributes().add(kv(key, value));
    return span;
  }

  @Test
  void shouldEnrichSpansOfAPodOnlyWhileItIsKnown() {
    SpanPipe pipe = spans(K8S);

    Span before = pipe.through(spanFrom(PodReference.POD_UID, UID));
    podAdded(CHECKOUT_POD);
    Span during = pipe.through(spanFrom(PodReference.POD_UID, UID));
    podDeleted();
    Span after = pipe.through(spanFrom(PodReference.POD_UID, UID));

    assertThat(before.getResource().getAttributes()).as("the pod is not known yet")
        .containsExactly(kv("service.name", "checkout"), kv(PodReference.POD_UID, UID));
    assertThat(during.getResource().getAttributes()).containsExactly(kv("service.name", "checkout"),
        kv(PodReference.POD_UID, UID), kv(PodReference.POD_NAME, "checkout-5f7c9-x2x4q"), kv(PodReference.POD_IP, IP),
        kv(PodReference.NAMESPACE_NAME, "shop"), kv(PodReference.REPLICASET_NAME, "checkout-5f7c9"),
        kv(PodReference.DEPLOYMENT_NAME, "checkout"), kv(PodReference.NODE_NAME, "node-1"), kv("app.team", "payments"));
    assertThat(after.getResource().getAttributes()).as("the pod's tombstones removed it")
        .containsExactly(kv("service.name", "checkout"), kv(PodReference.POD_UID, UID));
    assertThat(stats.podMatches()).isEqualTo(1);
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldTakeAnUpdateOfThePodForTheNextSpan() {
    SpanPipe pipe = spans(K8S);
    podAdded(CHECKOUT_POD);
    assertThat(pipe.through(spanFrom(PodReference.POD_IP, IP)).getResource().getAttributes())
        .contains(kv("app.team", "payments"));

    podAdded(CHECKOUT_POD.replace("payments", "checkout-team"));

    assertThat(pipe.through(spanFrom(PodReference.POD_IP, IP)).getResource().getAttributes())
        .contains(kv("app.team", "checkout-team")).doesNotContain(kv("app.team", "payments"));
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldKeepWhatTheSenderSetAndMatchByIpWhenTheUidIsUnknown() {
    SpanPipe pipe = spans(K8S);
    podAdded(CHECKOUT_POD);
    Span span = spanFrom(PodReference.POD_IP, IP);
    span.getResource().getAttributes().add(kv(PodReference.POD_UID, "uid-of-a-pod-not-seen-yet"));
    span.getResource().getAttributes().add(kv(PodReference.DEPLOYMENT_NAME, "set-by-the-app"));

    List<io.tributary.schemas.avro.KeyValue> attributes = pipe.through(span).getResource().getAttributes();

    assertThat(attributes).contains(kv(PodReference.POD_NAME, "checkout-5f7c9-x2x4q"),
        kv(PodReference.POD_UID, "uid-of-a-pod-not-seen-yet"), kv(PodReference.DEPLOYMENT_NAME, "set-by-the-app"))
        .doesNotContain(kv(PodReference.POD_UID, UID), kv(PodReference.DEPLOYMENT_NAME, "checkout"));
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldIgnoreAnInvalidPodRecordAndCountIt() {
    SpanPipe pipe = spans(K8S);
    pods.pipeInput(PodReference.uidKey(UID), "[\"not an object\"]");

    assertThat(pipe.through(spanFrom(PodReference.POD_UID, UID)).getResource().getAttributes()).hasSize(2);
    assertThat(stats.invalidReferenceRecords()).isEqualTo(1);
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldNotReadThePodTopicWhenOff() {
    SpanPipe pipe = spans(EnrichmentConfig.getDefault());

    assertThat(driver.getAllStateStores()).doesNotContainKey(Enrichment.PODS_STORE);
    assertThat(pipe.through(spanFrom(PodReference.POD_UID, UID)).getResource().getAttributes()).hasSize(2);
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  // ------------------------------------------------------ by the gateway's client address, whole pipeline

  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, LogRecord> logs;

  /** The logs pipeline from raw OTLP: the header must survive normalize and redact to reach enrich. */
  private void startLogsPipeline() {
    Topics topics = Topics.logs();
    driver = TestDrivers.driver(LogsTopology.build(PipelineConfig.getDefault().withEnrichment(K8S), topics,
        SerdeConfig.getDefault(), new PipelineStats()), stateDir, T);
    pods = driver.createInputTopic(K8S.k8sTopic(), new StringSerializer(), new StringSerializer());
    raw = TestDrivers.rawInput(driver, topics);
    logs = TestDrivers.output(driver, topics, LogRecord.class);
  }

  private static Headers fromClient(String address) {
    Headers headers = TestDrivers.tenantHeaders(TENANT);
    headers.add(TelemetryHeaders.CLIENT_ADDRESS, address.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  @Test
  void shouldMatchByTheGatewaysClientAddressHeaderThroughThePipeline() {
    startLogsPipeline();
    byte[] request = OtlpFixtures.logsRequest().toByteArray(); // its resource names no pod
    raw.pipeInput(new TestRecord<>("k", request, fromClient(IP), T));
    podAdded(CHECKOUT_POD);

    raw.pipeInput(new TestRecord<>("k", request, fromClient(IP), T));
    raw.pipeInput(new TestRecord<>("k", request, fromClient("10.244.9.9"), T));

    List<LogRecord> out = logs.readValuesToList();
    assertThat(out).hasSize(6); // two log records per request
    assertThat(out.subList(0, 2)).as("before the pod was known")
        .allSatisfy(log -> assertThat(log.getResource().getAttributes()).extracting(kv -> kv.getKey())
            .doesNotContain(PodReference.POD_NAME));
    assertThat(out.subList(2, 4)).as("from the pod's address")
        .allSatisfy(log -> assertThat(log.getResource().getAttributes())
            .contains(kv(PodReference.POD_NAME, "checkout-5f7c9-x2x4q"), kv(PodReference.NAMESPACE_NAME, "shop")));
    assertThat(out.subList(4, 6)).as("from another address")
        .allSatisfy(log -> assertThat(log.getResource().getAttributes()).extracting(kv -> kv.getKey())
            .doesNotContain(PodReference.POD_NAME));
    assertThat(logs.isEmpty()).isTrue();
  }

  @Test
  void shouldNotTakeTheSendersPodWhenTheResourceNamesAnother() {
    startLogsPipeline();
    podAdded(CHECKOUT_POD);
    // An agent at the pod's address relays for a pod it names and that is not known.
    var request = OtlpFixtures.logsRequest().toBuilder();
    request.getResourceLogsBuilder(0).getResourceBuilder().addAttributes(
        io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(PodReference.POD_IP)
            .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("10.244.5.5")));

    raw.pipeInput(new TestRecord<>("k", request.build().toByteArray(), fromClient(IP), T));

    assertThat(logs.readValuesToList()).hasSize(2).allSatisfy(log -> assertThat(log.getResource().getAttributes())
        .extracting(kv -> kv.getKey()).doesNotContain(PodReference.POD_NAME));
    assertThat(logs.isEmpty()).isTrue();
  }
}
