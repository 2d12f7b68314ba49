package io.tributary.sinks.integration;

import static io.tributary.sinks.integration.ConnectSupport.utf8;
import static io.tributary.testsupport.AvroValues.singleObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.schemas.avro.Span;
import io.tributary.sinks.Spans;
import io.tributary.sinks.otlp.OtlpSinkConnector;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.testsupport.TestConnect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OTLP sink on a real Connect worker against a real OTLP/HTTP receiver running in the test:
 * what the receiver gets equals what was written to Kafka, regrouped by resource and scope, one
 * request per tenant; 503 with Retry-After is retried and delivers once; a span the receiver
 * refuses (400) is the only one dead-lettered, with the receiver's message; poison records are
 * dead-lettered; a bad config is refused by the validate endpoint.
 */
@ExtendWith(SharedKafkaBroker.class)
class OtlpSinkIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String CONNECTOR = OtlpSinkConnector.class.getName();
  private static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACE_B = "00f067aa0ba902b700f067aa0ba902b7";

  @RegisterExtension
  static final TestConnect CONNECT = TestConnect.worker("otlp-it", Duration.ofSeconds(1));

  @Test
  void shouldDeliverSpansRegroupedByTenantResourceAndScopeEqualToWhatWasSent(EmbeddedKafkaBroker broker)
      throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      String topic = ConnectSupport.createTopic(broker, "spans-roundtrip", 1);
      startConnector("otlp-roundtrip", topic, receiver, Map.of("batch.max.age.ms", "1000"));
      var checkout = Spans.avroResource("checkout", "c-1");
      var cart = Spans.avroResource("cart", "k-1");
      var http = Spans.avroScope("io.opentelemetry.http", "2.1");
      var jdbc = Spans.avroScope("io.opentelemetry.jdbc", "2.1");
      List<Span> spans = List.of(
          Spans.rich("acme", TRACE_A, "0000000000000001", "GET /cart", checkout, http),
          Spans.simple("acme", TRACE_A, "0000000000000002", "SELECT cart", checkout, jdbc),
          Spans.simple("acme", TRACE_A, "0000000000000003", "GET /items", cart, http),
          Spans.rich("acme", TRACE_A, "0000000000000004", "POST /cart", checkout, http),
          Spans.simple("globex", TRACE_B, "0000000000000005", "GET /", checkout, http));
      produce(broker, topic, spans);

      await("5 spans delivered").atMost(TIMEOUT).until(() -> spanCount(receiver.accepted()) == 5);
      List<OtlpReceiver.Received> requests = receiver.accepted();
      assertThat(requests).extracting(OtlpReceiver.Received::contentEncoding).containsOnly("gzip");
      assertThat(requests).extracting(OtlpReceiver.Received::tenant).containsExactlyInAnyOrder("acme", "globex");
      OtlpReceiver.Received acme = requests.stream().filter(r -> r.tenant().equals("acme")).findFirst().orElseThrow();

      // Regrouped: checkout{http: 1, 4; jdbc: 2}, cart{http: 3}, in first-seen order.
      assertThat(acme.request().getResourceSpansList()).hasSize(2);
      ResourceSpans first = acme.request().getResourceSpans(0);
      assertThat(first.getResource()).isEqualTo(Spans.otlpResource("checkout", "c-1"));
      assertThat(first.getScopeSpansList()).extracting(ScopeSpans::getScope)
          .containsExactly(Spans.otlpScope("io.opentelemetry.http", "2.1"), Spans.otlpScope("io.opentelemetry.jdbc", "2.1"));
      assertThat(first.getScopeSpans(0).getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.26.0");
      assertThat(first.getScopeSpans(0).getSpansList()).containsExactly(
          Spans.richOtlp(TRACE_A, "0000000000000001", "GET /cart"),
          Spans.richOtlp(TRACE_A, "0000000000000004", "POST /cart"));
      assertThat(first.getScopeSpans(1).getSpansList()).singleElement().satisfies(s -> {
        assertThat(s.getSpanId()).isEqualTo(OtlpSamples.id("0000000000000002"));
        assertThat(s.getParentSpanId().isEmpty()).isTrue();
        assertThat(s.getName()).isEqualTo("SELECT cart");
      });
      ResourceSpans second = acme.request().getResourceSpans(1);
      assertThat(second.getResource()).isEqualTo(Spans.otlpResource("cart", "k-1"));
      assertThat(second.getScopeSpans(0).getSpans(0).getName()).isEqualTo("GET /items");
    }
  }

  @Test
  void shouldRetryA503AfterItsRetryAfterAndDeliverOnce(EmbeddedKafkaBroker broker) throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      int[] calls = {0};
      receiver.answer(r -> ++calls[0] == 1 ? new OtlpReceiver.Answer(503, "1", "busy") : OtlpReceiver.Answer.OK);
      String topic = ConnectSupport.createTopic(broker, "spans-retry", 1);
      startConnector("otlp-retry", topic, receiver, Map.of("batch.max.age.ms", "500"));
      var res = Spans.avroResource("retry", "r-1");
      var scope = Spans.avroScope("s", "1");
      List<Span> spans = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        spans.add(Spans.simple("default", TRACE_A, String.format("%016x", i), "op" + i, res, scope));
      }
      produce(broker, topic, spans);

      await("delivered after the retry").atMost(TIMEOUT).until(() -> spanCount(receiver.accepted()) == 3);
      List<OtlpReceiver.Received> all = receiver.received();
      assertThat(all.get(0).answered()).isEqualTo(503);
      assertThat(Duration.between(all.get(0).at(), all.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
      await("nothing is delivered twice").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
          .until(() -> spanCount(receiver.accepted()) == 3);
    }
  }

  @Test
  void shouldDeadLetterOnlyTheSpanTheReceiverRefuses(EmbeddedKafkaBroker broker) throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      receiver.answer(r -> r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
          .flatMap(ss -> ss.getSpansList().stream()).anyMatch(s -> s.getName().equals("forbidden"))
          ? new OtlpReceiver.Answer(400, null, "span name 'forbidden' is not allowed")
          : OtlpReceiver.Answer.OK);
      String topic = ConnectSupport.createTopic(broker, "spans-refused", 1);
      String dlq = topic + "-dlq";
      startConnector("otlp-refused", topic, receiver, Map.of("errors.deadletterqueue.topic.name", dlq,
          "batch.max.age.ms", "1000"));
      var res = Spans.avroResource("refused", "x-1");
      var scope = Spans.avroScope("s", "1");
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        keys.add(utf8(TRACE_B));
        values.add(singleObject(topic, Spans.simple("default", TRACE_B, String.format("%016x", i),
            i == 5 ? "forbidden" : "ok" + i, res, scope)));
      }
      keys.add(utf8(TRACE_B));
      values.add(utf8("garbage"));
      ConnectSupport.send(broker, topic, keys, values);

      List<ConnectSupport.DeadLetter> letters = ConnectSupport.awaitDeadLetters(broker, dlq, 2, TIMEOUT);
      assertThat(letters).hasSize(2);
      assertThat(letters).anySatisfy(l -> assertThat(l.reason()).isEqualTo("HTTP 400: span name 'forbidden' is not allowed"));
      assertThat(letters).anySatisfy(l -> assertThat(l.reason()).contains("not a Span record"));
      await("the 7 good spans are delivered").atMost(TIMEOUT).until(() -> spanCount(receiver.accepted()) == 7);
      assertThat(CONNECT.client().status("otlp-refused").isRunning(1)).isTrue();
    }
  }

  @Test
  void shouldRefuseABadConfigWithTheReason() {
    ConnectRestClient.Validation validation = CONNECT.client().validate(CONNECTOR, Map.of("connector.class", CONNECTOR,
        "topics", "telemetry.spans", "otlp.endpoint", "tempo:4318", "otlp.compression", "zstd",
        "auth.type", "bearer", "http.headers", "no-equals-sign"));
    assertThat(validation.problems()).extracting(ConnectRestClient.Validation.Problem::config)
        .contains("otlp.endpoint", "otlp.compression", "auth.type", "http.headers");
  }

  private static void startConnector(String name, String topic, OtlpReceiver receiver, Map<String, String> overrides) {
    Map<String, String> config = ConnectSupport.connectorBase(CONNECTOR, topic, topic + "-dlq");
    config.put("otlp.endpoint", receiver.endpoint().toString());
    config.putAll(overrides);
    CONNECT.client().putConnector(name, config);
    CONNECT.client().awaitRunning(name, 1, TIMEOUT);
  }

  private static void produce(EmbeddedKafkaBroker broker, String topic, List<Span> spans) {
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (Span s : spans) {
      keys.add(utf8(s.getTraceId()));
      values.add(singleObject(topic, s));
    }
    ConnectSupport.send(broker, topic, keys, values);
  }

  static int spanCount(List<OtlpReceiver.Received> requests) {
    return requests.stream().mapToInt(r -> r.request().getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream()).mapToInt(ScopeSpans::getSpansCount).sum()).sum();
  }
}
