package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.junit.SharedElasticsearch;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.interop.JaegerQuery.StoredSpan;
import io.tributary.interop.JaegerServer.Probe;
import io.tributary.interop.KeptSpan.Attr;
import io.tributary.interop.KeptSpan.Scope;
import io.tributary.interop.KeptSpan.Service;
import io.tributary.interop.KeptSpan.Value;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.StatusCode;
import io.tributary.sinks.otlp.OtlpSinkConnector;
import io.tributary.testsupport.AvroValues;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.testsupport.TestCertificates;
import io.tributary.testsupport.TestConnect;
import io.tributary.testsupport.TestTopics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP sink delivering kept spans to a real Jaeger v2 (v1.75.0, built by {@code interop/build-peers}):
 * what Jaeger's query API returns for each trace is what the traces pipeline kept, with the deciding
 * policy as the attribute {@code tributary.sampling.policy}; a Jaeger stopped (SIGTERM) or killed
 * (SIGKILL) while the connector delivers loses nothing and stores nothing twice, the connector retrying
 * until it is back; Jaeger's Elasticsearch storage works against the embedded Elasticsearch 9.5.3.
 *
 * <p>The stop test uses Elasticsearch storage: on SIGTERM Jaeger finishes the requests in flight and
 * flushes its bulk buffer. The kill test uses badger storage, which has a span when Jaeger answers:
 * with Elasticsearch storage Jaeger answers once a span is in its bulk buffer (flushed every 200 ms),
 * so a SIGKILL loses what it acknowledged in the last moments (measured here with 1,500 spans sent in
 * requests of 25: one request's 25 spans lost) and no sender can recover it.
 *
 * <p>Spans carry timestamps of today: Jaeger's Elasticsearch storage writes one index per day of span
 * start time and its queries look back 72 hours only.
 */
@ExtendWith(SharedKafkaBroker.class)
class JaegerOtlpSinkIT {

  private static final Logger log = LoggerFactory.getLogger(JaegerOtlpSinkIT.class);

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** Today, in nanoseconds, with a sub-microsecond part that a nanosecond-precise store keeps. */
  private static final long T0 = System.currentTimeMillis() / 1000 * 1_000_000_000L + 123_456_789L;

  private static EmbeddedKafkaBroker broker;
  @RegisterExtension
  static final TestConnect CONNECT = TestConnect.worker("jaeger-it", Duration.ofMillis(500));

  @BeforeAll
  static void keepBroker(EmbeddedKafkaBroker sharedBroker) {
    broker = sharedBroker;
  }

  @Test
  void shouldShowEveryKeptSpanOfEveryTraceThroughJaegersQueryApi() {
    try (JaegerServer jaeger = JaegerServer.memory().start()) {
      List<KeptSpan> kept = keptTraces();
      String topic = deliver("jaeger-memory", jaeger, kept, Map.of());

      Map<String, List<KeptSpan>> traces = byTrace(kept);
      JaegerQuery query = jaeger.query();
      awaitReadable(query, traces);

      traces.forEach((traceId, spans) -> {
        Map<String, KeptSpan> expected = spans.stream().collect(Collectors.toMap(KeptSpan::spanId, Function.identity()));
        List<StoredSpan> stored = query.trace(traceId);
        assertThat(stored).extracting(StoredSpan::spanId).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (StoredSpan s : stored) {
          KeptSpan want = expected.get(s.spanId());
          // Every field as sent: ids, name, kind, nanosecond times, status, typed attributes, events, links.
          assertThat(s.span()).as("span %s of trace %s", s.spanId(), traceId).isEqualTo(want.otlp());
          assertThat(attribute(s.span(), KeptSpan.POLICY_ATTRIBUTE)).isEqualTo(OtlpSamples.string(want.policy()));
          assertThat(s.resource()).isEqualTo(want.service().otlp());
          assertThat(s.scope()).isEqualTo(want.scope().otlp());
        }
      });
      assertThat(deadLetters(topic)).isZero();
    }
  }

  @Test
  void shouldDeliverOverMutualTlsWithTheConnectorsOwnCertificates(@TempDir Path dir) {
    // Jaeger's receiver takes https only from clients with a certificate of the test's authority; the
    // connector trusts that authority through tls.ca.file (not the JVM's trust store) and presents its own.
    TestCertificates certificates = TestCertificates.create(dir);
    try (JaegerServer jaeger = JaegerServer.memoryOverMutualTls(certificates).start()) {
      assertThat(jaeger.otlpEndpoint().getScheme()).isEqualTo("https");
      List<KeptSpan> kept = keptTraces();
      String topic = deliver("jaeger-mtls", jaeger, kept, Map.of("tls.ca.file", certificates.ca().toString(),
          "tls.cert.file", certificates.clientCertificate().toString(),
          "tls.key.file", certificates.clientKey().toString()));
      Map<String, List<KeptSpan>> traces = byTrace(kept);
      awaitReadable(jaeger.query(), traces);
      traces.forEach((traceId, spans) -> assertThat(jaeger.query().trace(traceId)).extracting(StoredSpan::spanId)
          .containsExactlyInAnyOrderElementsOf(spans.stream().map(KeptSpan::spanId).toList()));
      assertThat(deadLetters(topic)).isZero();
    }
  }

  @Test
  @ExtendWith(SharedElasticsearch.class)
  void shouldReadBackThroughJaegerWhatItsElasticsearchStorageWrote(EmbeddedElasticsearch es) throws Exception {
    String prefix = TestTopics.unique("jaeger-es");
    try (JaegerServer jaeger = JaegerServer.elasticsearch(es.httpUrl(), prefix).start()) {
      List<KeptSpan> kept = keptTraces();
      String topic = deliver("jaeger-es", jaeger, kept, Map.of());

      Map<String, List<KeptSpan>> traces = byTrace(kept);
      JaegerQuery query = jaeger.query();
      awaitReadable(query, traces);
      // The spans are in Elasticsearch, one document each, in the indices of this Jaeger's prefix.
      assertThat(esCount(es, prefix + "-jaeger-span-*")).isEqualTo(kept.size());

      for (KeptSpan want : kept) {
        StoredSpan stored = query.trace(want.traceId()).stream().filter(s -> s.spanId().equals(want.spanId()))
            .findFirst().orElseThrow();
        Span s = stored.span();
        Span w = want.otlp();
        assertThat(s.getTraceId()).isEqualTo(w.getTraceId());
        assertThat(s.getParentSpanId()).isEqualTo(w.getParentSpanId());
        assertThat(s.getName()).isEqualTo(w.getName());
        assertThat(s.getKind()).isEqualTo(w.getKind());
        assertThat(s.getTraceState()).isEqualTo(w.getTraceState());
        // Jaeger's Elasticsearch documents keep microseconds.
        assertThat(s.getStartTimeUnixNano()).isEqualTo(w.getStartTimeUnixNano() / 1000 * 1000);
        assertThat(s.getEndTimeUnixNano()).isEqualTo(w.getEndTimeUnixNano() / 1000 * 1000);
        assertThat(s.getStatus()).isEqualTo(w.getStatus());
        assertThat(attribute(s, KeptSpan.POLICY_ATTRIBUTE)).isEqualTo(OtlpSamples.string(want.policy()));
        assertThat(stored.resource().getAttributesList())
            .containsExactlyInAnyOrderElementsOf(want.service().otlp().getAttributesList());
        assertThat(stored.scope().getName()).isEqualTo(want.scope().otlp().getName());
        assertThat(s.getEventsList()).extracting(Span.Event::getName, e -> e.getTimeUnixNano() / 1000)
            .containsExactlyElementsOf(w.getEventsList().stream()
                .map(e -> org.assertj.core.groups.Tuple.tuple(e.getName(), e.getTimeUnixNano() / 1000)).toList());
        for (KeyValue kv : w.getAttributesList()) {
          AnyValue.ValueCase type = kv.getValue().getValueCase();
          if (type == AnyValue.ValueCase.ARRAY_VALUE || type == AnyValue.ValueCase.KVLIST_VALUE
              || type == AnyValue.ValueCase.VALUE_NOT_SET) {
            // Jaeger's span model has scalar tags only: arrays and maps come back as JSON strings, an
            // empty value as the text of a conversion error.
            assertThat(attribute(s, kv.getKey()).getValueCase()).isEqualTo(AnyValue.ValueCase.STRING_VALUE);
          } else {
            assertThat(attribute(s, kv.getKey())).as("attribute %s", kv.getKey()).isEqualTo(kv.getValue());
          }
        }
      }
      StoredSpan rich = query.trace(TRACE_CHECKOUT).stream().filter(s -> s.spanId().equals("00000000000000a1"))
          .findFirst().orElseThrow();
      assertThat(attribute(rich.span(), "tags")).isEqualTo(OtlpSamples.string("[\"a\",2]"));
      assertThat(attribute(rich.span(), "map")).isEqualTo(OtlpSamples.string("{\"k\":\"v\"}"));
      assertThat(rich.span().getLinksList()).singleElement()
          .satisfies(l -> assertThat(l.getSpanId()).isEqualTo(OtlpSamples.id("00000000000000c1")));
      assertThat(deadLetters(topic)).isZero();
    }
  }

  @Test
  @ExtendWith(SharedElasticsearch.class)
  void shouldLoseNothingWhenJaegerIsStoppedDuringDelivery(EmbeddedElasticsearch es) {
    String prefix = TestTopics.unique("jaeger-stop");
    try (JaegerServer jaeger = JaegerServer.elasticsearch(es.httpUrl(), prefix).start()) {
      deliverAcrossAnOutage("jaeger-stop", jaeger, () -> jaeger.server().stop());
    }
  }

  @Test
  void shouldLoseNothingWhenJaegerIsKilledDuringDelivery() {
    try (JaegerServer jaeger = JaegerServer.badger().start()) {
      deliverAcrossAnOutage("jaeger-kill", jaeger, () -> jaeger.server().kill());
    }
  }

  @Test
  @ExtendWith(SharedElasticsearch.class)
  void shouldNotStartOnTheEmbeddedNodeWhenLeftToProbeItsVersionOrHealth(EmbeddedElasticsearch es) {
    // The integ-test distribution answers GET / and HEAD / with 405; Jaeger needs both unless told.
    String node = es.httpUrl().toString().replaceAll("/$", "");
    try (JaegerServer jaeger = JaegerServer.elasticsearch(es.httpUrl(), "jaeger-probe", EnumSet.of(Probe.VERSION))) {
      assertThatThrownBy(jaeger::start).hasMessageContaining("ElasticSearch server " + node
          + " returned HTTP 405, expected 2xx");
    }
    try (JaegerServer jaeger = JaegerServer.elasticsearch(es.httpUrl(), "jaeger-probe", EnumSet.of(Probe.HEALTH))) {
      assertThatThrownBy(jaeger::start).hasMessageContaining("health check timeout: no Elasticsearch node available");
    }
  }

  /**
   * Writes a first half of {@link #manyTraces}, starts the connector and, as soon as Jaeger has
   * accepted some of it (while the rest is still on its way), makes the outage; writes the second
   * half while Jaeger is down, starts Jaeger again on the same ports and storage, and checks that
   * every span is there exactly once and nothing was dead-lettered.
   */
  private void deliverAcrossAnOutage(String name, JaegerServer jaeger, Runnable outage) {
    List<KeptSpan> first = manyTraces(0, 200);
    List<KeptSpan> second = manyTraces(200, 200);
    // Small requests, one at a time: delivering the first half takes a few hundred requests.
    // Retries at least every second: Jaeger is back within one.
    String topic = deliver(name, jaeger, first, Map.of("batch.size", "10", "max.in.flight.requests", "1",
        "batch.max.age.ms", "100", "retry.backoff.max.ms", "1000"));
    await("Jaeger accepts the first spans").atMost(TIMEOUT).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10)).until(() -> jaeger.acceptedSpans() > 0);
    long acceptedBefore = jaeger.acceptedSpans();
    outage.run();
    log.info("{}: the outage began after Jaeger had accepted {} of the first {} spans", name, acceptedBefore,
        first.size());
    assertThat(acceptedBefore).as("spans accepted when the outage began (it must interrupt the delivery)")
        .isLessThan(first.size());
    produce(topic, second);
    jaeger.start();

    List<KeptSpan> all = new ArrayList<>(first);
    all.addAll(second);
    awaitDelivered(name, topic, all.size());
    Map<String, List<KeptSpan>> traces = byTrace(all);
    JaegerQuery query = jaeger.query();
    Map<String, Integer> copies = new HashMap<>();
    List<String> spanIds = all.stream().map(KeptSpan::spanId).toList();
    await("every span readable").atMost(TIMEOUT).untilAsserted(() -> {
      copies.clear();
      traces.keySet().forEach(traceId -> query.trace(traceId).forEach(s -> copies.merge(s.spanId(), 1, Integer::sum)));
      assertThat(copies.size()).as("spans in Jaeger; missing: %s",
          spanIds.stream().filter(id -> !copies.containsKey(id)).limit(20).toList()).isEqualTo(all.size());
    });
    assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(spanIds);
    assertThat(copies.entrySet().stream().filter(e -> e.getValue() != 1).toList())
        .as("spans stored more than once (span id=copies)").isEmpty();
    assertThat(deadLetters(topic)).as("dead-lettered records").isZero();
    assertThat(CONNECT.client().status(name).isRunning(1)).isTrue();
  }

  // ---- the spans ------------------------------------------------------------------------------------

  private static final String TRACE_CHECKOUT = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACE_CART = "00f067aa0ba902b700f067aa0ba902b7";
  private static final String TRACE_LLM = "0102030405060708090a0b0c0d0e0f10";
  private static final String TRACE_SAMPLED = "a0000000000000000000000000000001";

  /**
   * Four kept traces of two tenants over three services, each kept by another policy: a checkout
   * failing in its payment (errors; every attribute type, events, a link, error status), a slow cart
   * (latency), an LLM call (cost) and a probabilistically kept one.
   */
  private static List<KeptSpan> keptTraces() {
    Service checkout = Service.of("checkout", Attr.of("service.instance.id", "c-1"), Attr.of("host.cpus", Value.of(4L)));
    Service payment = Service.of("payment", Attr.of("service.instance.id", "p-1"),
        Attr.of("deployment.canary", Value.of(true)));
    Service llm = Service.of("llm-gateway", Attr.of("cloud.region", "eu-west-1"));
    Scope http = Scope.of("io.opentelemetry.http", "2.1", Attr.of("scope.attr", "x"));
    Scope jdbc = Scope.of("io.opentelemetry.jdbc", "2.0");
    List<KeptSpan> spans = new ArrayList<>();
    spans.add(KeptSpan.builder("acme", TRACE_CHECKOUT, "00000000000000a1", "POST /checkout")
        .kind(SpanKind.SPAN_KIND_SERVER).traceState("vendor=1", 0x101).time(T0, T0 + 250_000_000)
        .attributes(Attr.of("http.route", "/checkout"), Attr.of("http.response.status_code", Value.of(502L)),
            Attr.of("retry", Value.of(true)), Attr.of("ratio", Value.of(0.25)), Attr.of("blob", Value.bytes(new byte[] {1, 2, 3})),
            Attr.of("tags", Value.array(Value.of("a"), Value.of(2L))), Attr.of("map", Value.map(Attr.of("k", "v"))),
            Attr.of("empty", Value.empty()))
        .event(T0 + 200_000_001, "exception", Attr.of("exception.type", "PaymentDeclined"),
            Attr.of("exception.escaped", Value.of(false)))
        .link(TRACE_LLM, "00000000000000c1", Attr.of("link.kind", "follows")).dropped(1, 2, 3)
        .status(StatusCode.ERROR, "payment declined").resource(checkout, http).policy("errors").build());
    spans.add(KeptSpan.builder("acme", TRACE_CHECKOUT, "00000000000000a2", "POST /pay").parent("00000000000000a1")
        .kind(SpanKind.SPAN_KIND_CLIENT).time(T0 + 10_000_000, T0 + 190_000_000)
        .attributes(Attr.of("http.response.status_code", Value.of(402L)))
        .status(StatusCode.ERROR, null).resource(checkout, http).policy("errors").build());
    spans.add(KeptSpan.builder("acme", TRACE_CHECKOUT, "00000000000000a3", "POST /pay").parent("00000000000000a2")
        .kind(SpanKind.SPAN_KIND_SERVER).time(T0 + 20_000_000, T0 + 180_000_000)
        .event(T0 + 170_000_000, "declined", Attr.of("reason", "insufficient funds"))
        .status(StatusCode.ERROR, "declined").resource(payment, http).policy("errors").build());
    spans.add(KeptSpan.builder("acme", TRACE_CHECKOUT, "00000000000000a4", "INSERT payments").parent("00000000000000a3")
        .kind(SpanKind.SPAN_KIND_CLIENT).time(T0 + 30_000_000, T0 + 40_000_000)
        .attributes(Attr.of("db.system", "postgresql"), Attr.of("db.rows", Value.of(1L)))
        .status(StatusCode.OK, null).resource(payment, jdbc).policy("errors").build());
    spans.add(KeptSpan.builder("acme", TRACE_CART, "00000000000000b1", "GET /cart")
        .kind(SpanKind.SPAN_KIND_SERVER).time(T0, T0 + 2_500_000_000L)
        .attributes(Attr.of("http.route", "/cart")).resource(checkout, http).policy("latency").build());
    spans.add(KeptSpan.builder("acme", TRACE_CART, "00000000000000b2", "render").parent("00000000000000b1")
        .kind(SpanKind.SPAN_KIND_INTERNAL).time(T0 + 1_000, T0 + 2_400_000_000L).resource(checkout, http)
        .policy("latency").build());
    spans.add(KeptSpan.builder("globex", TRACE_LLM, "00000000000000c1", "chat gpt-4o")
        .kind(SpanKind.SPAN_KIND_CONSUMER).time(T0 + 5_000, T0 + 900_000_000)
        .attributes(Attr.of("gen_ai.request.model", "gpt-4o"), Attr.of("gen_ai.usage.input_tokens", Value.of(1200L)),
            Attr.of("gen_ai.usage.output_tokens", Value.of(300L)), Attr.of("tributary.llm.cost_usd", Value.of(0.0105)))
        .status(StatusCode.OK, null).resource(llm, http).policy("llm-cost").build());
    spans.add(KeptSpan.builder("globex", TRACE_LLM, "00000000000000c2", "publish usage").parent("00000000000000c1")
        .kind(SpanKind.SPAN_KIND_PRODUCER).time(T0 + 800_000_000, T0 + 801_000_000).resource(llm, http)
        .policy("llm-cost").build());
    spans.add(KeptSpan.builder("globex", TRACE_SAMPLED, "00000000000000d1", "GET /health")
        .time(T0, T0 + 1_000).resource(llm, http).policy("probabilistic").build());
    return spans;
  }

  /** {@code count} traces of 25 spans (a server span and 24 client calls), numbered from {@code from}. */
  private static List<KeptSpan> manyTraces(int from, int count) {
    Service[] services = {Service.of("frontend"), Service.of("backend")};
    Scope scope = Scope.of("io.opentelemetry.http", "2.1");
    List<KeptSpan> spans = new ArrayList<>();
    for (int t = from; t < from + count; t++) {
      String traceId = String.format("%016x%016x", 0xfeedL, t);
      String root = String.format("%08x%08x", t + 1, 0); // never all zeros: an invalid span id
      String policy = t % 2 == 0 ? "errors" : "latency";
      long start = T0 + t * 1_000_000L;
      spans.add(KeptSpan.builder("acme", traceId, root, "GET /item/" + t).kind(SpanKind.SPAN_KIND_SERVER)
          .time(start, start + 50_000_000).attributes(Attr.of("item", Value.of((long) t)))
          .resource(services[t % 2], scope).policy(policy).build());
      for (int c = 1; c < 25; c++) {
        spans.add(KeptSpan.builder("acme", traceId, String.format("%08x%08x", t + 1, c), "call " + c).parent(root)
            .kind(SpanKind.SPAN_KIND_CLIENT).time(start + c * 1_000_000L, start + c * 1_500_000L)
            .resource(services[t % 2], scope).policy(policy).build());
      }
    }
    return spans;
  }

  /** Waits until Jaeger returns as many spans for each trace as were kept. */
  private static void awaitReadable(JaegerQuery query, Map<String, List<KeptSpan>> traces) {
    await("every kept span readable through Jaeger's query API").atMost(TIMEOUT).untilAsserted(() ->
        traces.forEach((traceId, spans) -> assertThat(query.trace(traceId)).as("trace %s", traceId)
            .hasSameSizeAs(spans)));
  }

  private static Map<String, List<KeptSpan>> byTrace(List<KeptSpan> spans) {
    return spans.stream().collect(Collectors.groupingBy(KeptSpan::traceId, LinkedHashMap::new, Collectors.toList()));
  }

  private static AnyValue attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue)
        .reduce((a, b) -> {
          throw new AssertionError("attribute " + key + " twice in " + span);
        })
        .orElseThrow(() -> new AssertionError("no attribute " + key + " in " + span));
  }

  // ---- Kafka and Connect ----------------------------------------------------------------------------

  /**
   * Creates a topic, writes {@code spans} to it and starts the OTLP sink connector with the settings
   * {@code tributary dev} and the k8s manifests give it (byte-array converters, dead letters with context
   * headers), named {@code name}, reading that topic instead of {@code telemetry.spans} and sending to
   * Jaeger; returns the topic.
   */
  private static String deliver(String name, JaegerServer jaeger, List<KeptSpan> spans, Map<String, String> overrides) {
    String topic = TestTopics.unique(name);
    TestTopics.create(broker.bootstrapServers(), 2, topic);
    produce(topic, spans);
    Map<String, String> config = ConnectRestClient.sinkConfig(OtlpSinkConnector.class.getName(), topic,
        deadLetterTopic(topic));
    config.put("otlp.endpoint", jaeger.otlpEndpoint().toString());
    config.put("key.converter", ByteArrayConverter.class.getName());
    config.put("value.converter", ByteArrayConverter.class.getName());
    config.putAll(overrides);
    CONNECT.client().putConnector(name, config);
    CONNECT.client().awaitRunning(name, 1, TIMEOUT);
    return topic;
  }

  /** Each span keyed by its trace id, its value in Avro's single-object encoding, as the pipeline writes it. */
  private static void produce(String topic, List<KeptSpan> spans) {
    try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(broker.bootstrapServers())) {
      List<Future<?>> acks = new ArrayList<>();
      for (KeptSpan s : spans) {
        acks.add(producer.send(new ProducerRecord<>(topic, s.traceId().getBytes(StandardCharsets.UTF_8),
            AvroValues.singleObject(topic, s.avro()))));
      }
      producer.flush();
      for (Future<?> ack : acks) {
        ack.get(); // a span that never reached the topic fails here, not later as "missing in Jaeger"
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("producing the test spans to " + topic + " failed", e);
    }
  }

  private static String deadLetterTopic(String topic) {
    return topic + "-dlq";
  }

  /** Waits until the connector has committed the end of its topic: every record delivered or dead-lettered. */
  private static void awaitDelivered(String connector, String topic, int records) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      await("connector " + connector + " committed all " + records + " records").atMost(TIMEOUT).until(() -> {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + connector)
            .partitionsToOffsetAndMetadata().get();
        return committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
            .mapToLong(e -> e.getValue().offset()).sum() == records;
      });
    }
  }

  /** Records in the dead-letter topic of {@code topic} (none if Connect never created it). */
  private static long deadLetters(String topic) {
    String dlq = deadLetterTopic(topic);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      if (!admin.listTopics().names().get().contains(dlq)) {
        return 0;
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot list the topics", e);
    }
    return TestTopics.endOffsets(broker.bootstrapServers(), List.of(dlq)).values().stream().mapToLong(o -> o).sum();
  }

  private static long esCount(EmbeddedElasticsearch es, String index) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(es.httpUrl().resolve("/" + index + "/_count")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("count").asLong();
  }
}
