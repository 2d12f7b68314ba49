package io.tributary.sinks.integration;

import static io.tributary.sinks.MetricPoints.T0;
import static io.tributary.sinks.MetricPoints.counter;
import static io.tributary.sinks.MetricPoints.gauge;
import static io.tributary.sinks.MetricPoints.histogram;
import static io.tributary.sinks.MetricPoints.resource;
import static io.tributary.sinks.integration.ConnectSupport.utf8;
import static io.tributary.testsupport.AvroValues.kv;
import static io.tributary.testsupport.AvroValues.singleObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.PromQl;
import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.sinks.MetricPoints;
import io.tributary.sinks.SinkTaskMetrics;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.remotewrite.PrometheusRemoteWriteSinkConnector;
import io.tributary.testsupport.AvroValues;
import io.tributary.testsupport.TestConnect;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.nio.file.Path;
import io.tributary.testsupport.TestCertificates;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The remote_write sink on a real Connect worker against a real Prometheus 2.42 and a real
 * VictoriaMetrics: names, labels and values answer PromQL in both; exemplars reach Prometheus'
 * exemplar storage and VictoriaMetrics takes the same requests; a sample Prometheus refuses is
 * the only one dead-lettered; poison records are dead-lettered with their reason; a bad config is
 * refused by the validate endpoint.
 */
@ExtendWith(SharedKafkaBroker.class)
class PrometheusRemoteWriteSinkIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String CONNECTOR = PrometheusRemoteWriteSinkConnector.class.getName();

  private static ExternalServer prometheus;
  private static ExternalServer victoria;
  @RegisterExtension
  static final TestConnect CONNECT = TestConnect.worker("remote-write-it", Duration.ofSeconds(1));

  @BeforeAll
  static void startStores() {
    prometheus = RequiredBackend.get(() -> ExternalServer.prometheus().args("--enable-feature=exemplar-storage").build())
        .start();
    victoria = RequiredBackend.get(() -> ExternalServer.victoriaMetrics().args("-retentionPeriod=100y").build())
        .start();
  }

  @AfterAll
  static void stopStores() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (victoria != null) {
      victoria.close();
    }
  }

  @Test
  void shouldWriteGaugeCounterAndHistogramQueryableInPrometheusAndVictoriaMetrics(EmbeddedKafkaBroker broker) {
    String topic = ConnectSupport.createTopic(broker, "metrics-names", 3);
    startConnector("rw-names-prom", topic, prometheus, Map.of("tasks.max", "2"));
    startConnector("rw-names-vm", topic, victoria, Map.of());

    Resource checkout = resource("shop", "checkout", "checkout-1", "host.name", "node-7", "cloud.region", "eu-west-1");
    List<MetricPoint> points = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      java.time.Instant t = T0.plusSeconds(10L * i);
      points.add(gauge(checkout, "system.memory.usage", "By", t, 1_000 + i, kv("state", "used")));
      points.add(gauge(checkout, "cpu.utilization", "1", t, 0.25 * (i + 1)));
      points.add(counter(checkout, "http.server.requests", "{request}", t, 10L * (i + 1), kv("http.route", "/cart"),
          kv("http.response.status_code", 200L)));
      points.add(histogram(checkout, "http.server.request.duration", "s", t, List.of(0.1, 0.5, 1.0),
          List.of(5L * (i + 1), 3L, 1L, 1L), 2.5 * (i + 1), kv("http.route", "/cart")));
    }
    produce(broker, topic, points);

    java.time.Instant at = T0.plusSeconds(25);
    for (ExternalServer store : List.of(prometheus, victoria)) {
      URI base = store.baseUrl();
      await(store.name() + " answers the histogram's +Inf bucket").atMost(TIMEOUT).until(() ->
          PromQl.value(base, "http_server_request_duration_seconds_bucket{le=\"+Inf\"}", at) == 20);

      assertThat(PromQl.query(base, "system_memory_usage_bytes", at)).singleElement().satisfies(r -> {
        assertThat(r.value()).isEqualTo(1_002);
        assertThat(r.labels()).contains(entry("__name__", "system_memory_usage_bytes"), entry("job", "shop/checkout"),
            entry("instance", "checkout-1"), entry("state", "used"), entry("otel_scope_name", "io.tributary.test"),
            entry("otel_scope_version", "1.0"));
        assertThat(r.labels()).doesNotContainKeys("host_name", "service_name");
      });
      assertThat(PromQl.value(base, "cpu_utilization_ratio", at)).isEqualTo(0.75);
      assertThat(PromQl.query(base, "http_server_requests_total", at)).singleElement().satisfies(r -> {
        assertThat(r.value()).isEqualTo(30);
        assertThat(r.labels()).contains(entry("http_route", "/cart"), entry("http_response_status_code", "200"));
      });
      assertThat(PromQl.value(base, "increase(http_server_requests_total[1m])", at)).isGreaterThan(0);
      assertThat(PromQl.query(base, "http_server_request_duration_seconds_bucket", at))
          .extracting(r -> r.labels().get("le") + "=" + (long) r.value())
          .containsExactlyInAnyOrder("0.1=15", "0.5=18", "1=19", "+Inf=20");
      assertThat(PromQl.value(base, "http_server_request_duration_seconds_sum", at)).isEqualTo(7.5);
      assertThat(PromQl.value(base, "http_server_request_duration_seconds_count", at)).isEqualTo(20);
      assertThat(PromQl.value(base, "count_over_time(system_memory_usage_bytes[1m])", at)).isEqualTo(3);
      assertThat(PromQl.query(base, "target_info", at)).singleElement().satisfies(r -> {
        assertThat(r.value()).isEqualTo(1);
        assertThat(r.labels()).contains(entry("job", "shop/checkout"), entry("instance", "checkout-1"),
            entry("host_name", "node-7"), entry("cloud_region", "eu-west-1"));
      });
      assertThat(PromQl.value(base,
          "sum by (host_name) (system_memory_usage_bytes * on (job, instance) group_left (host_name) target_info)",
          at)).isEqualTo(1_002);
    }
  }

  @Test
  void shouldWriteTheExemplarsOfHistogramsAndCountersToEveryStore(EmbeddedKafkaBroker broker) {
    String topic = ConnectSupport.createTopic(broker, "metrics-exemplars", 1);
    startConnector("rw-exemplars-prom", topic, prometheus, Map.of());
    startConnector("rw-exemplars-vm", topic, victoria, Map.of());
    Resource api = resource("shop", "exemplar-api", "e-1");
    java.time.Instant t = T0.plusSeconds(700);
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    MetricPoint duration = MetricPoint.newBuilder(histogram(api, "checkout.duration", "s", t, List.of(0.1, 0.5, 1.0),
            List.of(1L, 2L, 0L, 1L), 3.1))
        .setExemplars(List.of(
            new Exemplar(AvroValues.nanos(t.minusSeconds(2)), 0.3, traceId, "b7ad6b7169203331", List.of()),
            new Exemplar(AvroValues.nanos(t.minusSeconds(1)), 2.5, traceId, "c8be7c827a314442",
                List.of(kv("user.tier", "gold")))))
        .build();
    MetricPoint orders = MetricPoint.newBuilder(counter(api, "orders", null, t, 4))
        .setExemplars(List.of(new Exemplar(AvroValues.nanos(t.minusSeconds(3)), 1L, traceId, "d9cf8d938b425553",
            List.of()))).build();
    produce(broker, topic, List.of(duration, orders));

    URI prom = prometheus.baseUrl();
    String job = "{job=\"shop/exemplar-api\"}";
    await("the exemplars in Prometheus").atMost(TIMEOUT).until(() ->
        PromQl.exemplars(prom, "checkout_duration_seconds_bucket" + job, t.minusSeconds(60), t).size() == 2);
    assertThat(PromQl.exemplars(prom, "checkout_duration_seconds_bucket" + job, t.minusSeconds(60), t))
        .extracting(e -> e.seriesLabels().get("le") + " " + e.value() + " " + e.labels() + " " + e.time())
        .containsExactlyInAnyOrder(
            "0.5 0.3 {span_id=b7ad6b7169203331, trace_id=" + traceId + "} " + t.minusSeconds(2),
            "+Inf 2.5 {span_id=c8be7c827a314442, trace_id=" + traceId + ", user_tier=gold} " + t.minusSeconds(1));
    assertThat(PromQl.exemplars(prom, "orders_total" + job, t.minusSeconds(60), t)).singleElement().satisfies(e -> {
      assertThat(e.value()).isEqualTo(1);
      assertThat(e.labels()).containsEntry("trace_id", traceId).containsEntry("span_id", "d9cf8d938b425553");
    });
    assertThat(PromQl.value(prom, "checkout_duration_seconds_count" + job, t)).isEqualTo(4);
    await("VictoriaMetrics takes the requests that carry exemplars").atMost(TIMEOUT).until(() ->
        PromQl.value(victoria.baseUrl(), "checkout_duration_seconds_count" + job, t) == 4
            && PromQl.value(victoria.baseUrl(), "orders_total" + job, t) == 4);
    assertThat(CONNECT.client().status("rw-exemplars-vm").isRunning(1)).isTrue();
  }

  @Test
  void shouldDeliverEveryGoodSampleAndDeadLetterOnlyTheOneOutOfOrder(EmbeddedKafkaBroker broker) {
    String topic = ConnectSupport.createTopic(broker, "metrics-ooo", 1);
    String dlq = topic + "-dlq";
    // One batch holds everything: the bad sample has to be isolated by bisection.
    startConnector("rw-ooo", topic, prometheus, Map.of("errors.deadletterqueue.topic.name", dlq,
        "batch.max.age.ms", "2000"));
    Resource api = resource(null, "api", "api-1");
    java.time.Instant later = T0.plusSeconds(600);
    produce(broker, topic, List.of(gauge(api, "queue.depth", null, later, 10, kv("queue", "a"))));
    await("the newer sample is in Prometheus").atMost(TIMEOUT)
        .until(() -> PromQl.value(prometheus.baseUrl(), "queue_depth{queue=\"a\"}", later) == 10);

    List<MetricPoint> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(gauge(api, "queue.depth", null, T0.plusSeconds(i), i, kv("queue", "b")));
      if (i == 7) {
        batch.add(gauge(api, "queue.depth", null, T0.plusSeconds(300), 99, kv("queue", "a"))); // older than 600 s
      }
      batch.add(gauge(api, "queue.depth", null, T0.plusSeconds(i), 100 + i, kv("queue", "c")));
    }
    produce(broker, topic, batch);

    List<ConnectSupport.DeadLetter> letters = ConnectSupport.awaitDeadLetters(broker, dlq, 1, TIMEOUT);
    assertThat(letters).singleElement().satisfies(l -> assertThat(l.reason()).contains("HTTP 400").contains("out of order"));
    URI base = prometheus.baseUrl();
    await("every good sample is in Prometheus").atMost(TIMEOUT).until(() ->
        PromQl.value(base, "count_over_time(queue_depth{queue=\"b\"}[1h])", T0.plusSeconds(30)) == 20
            && PromQl.value(base, "count_over_time(queue_depth{queue=\"c\"}[1h])", T0.plusSeconds(30)) == 20);
    assertThat(PromQl.value(base, "sum_over_time(queue_depth{queue=\"b\"}[1h])", T0.plusSeconds(30))).isEqualTo(190);
    assertThat(PromQl.value(base, "count_over_time(queue_depth{queue=\"a\"}[1h])", later)).isEqualTo(1);
    assertThat(CONNECT.client().status("rw-ooo").isRunning(1)).isTrue();
    // The task's counts (target_info samples come on top of the 41 points' samples).
    await("the task's counts").atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(TestConnect.taskMetric("rw-ooo", 0, SinkTaskMetrics.RECORDS_FAILED.name())).isEqualTo(1);
      assertThat(TestConnect.taskMetric("rw-ooo", 0, SinkTaskMetrics.ITEMS_DELIVERED.name())).isGreaterThanOrEqualTo(41);
    });
    assertThat(TestConnect.taskMetric("rw-ooo", 0, SinkTaskMetrics.REQUESTS_FAILED.name()))
        .as("Prometheus refused the batches holding the old sample while it was bisected").isGreaterThanOrEqualTo(1);
  }

  @Test
  void shouldDeadLetterPoisonRecordsWithTheirReasonAndKeepGoing(EmbeddedKafkaBroker broker) {
    String topic = ConnectSupport.createTopic(broker, "metrics-poison", 1);
    String dlq = topic + "-dlq";
    startConnector("rw-poison", topic, victoria, Map.of("errors.deadletterqueue.topic.name", dlq));
    Resource api = resource(null, "poison-api", "p-1");
    MetricPoint delta = MetricPoints.base("default", api, "jobs.done", null, MetricType.SUM, T0.plusSeconds(1))
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .setIsMonotonic(true).setValue(new NumberValue(3L)).build();
    ConnectSupport.send(broker, topic, List.of(utf8("k1"), utf8("k2"), utf8("k3"), utf8("k4")), List.of(
        utf8("not avro at all"),
        singleObject(topic, gauge(api, "poison.survivor", null, T0.plusSeconds(1), 1)),
        singleObject(topic, delta),
        singleObject(topic, gauge(api, "poison.survivor", null, T0.plusSeconds(2), 2))));

    List<ConnectSupport.DeadLetter> letters = ConnectSupport.awaitDeadLetters(broker, dlq, 2, TIMEOUT);
    assertThat(letters).hasSize(2);
    assertThat(new String(letters.get(0).value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("not avro at all");
    assertThat(letters.get(0).reason()).contains(topic + "-0@0").contains("not a MetricPoint record");
    assertThat(letters.get(1).reason()).contains("delta temporality");
    await("the good points after the poison ones are written").atMost(TIMEOUT).until(() ->
        PromQl.value(victoria.baseUrl(), "count_over_time(poison_survivor[1m])", T0.plusSeconds(3)) == 2);
    assertThat(CONNECT.client().status("rw-poison").isRunning(1)).isTrue();
  }

  @Test
  void shouldWriteOverHttpsWithBasicAuthenticationToASecuredStore(EmbeddedKafkaBroker broker, @TempDir Path dir) {
    // VictoriaMetrics with TLS from the test's own authority (trusted through tls.ca.file, not the JVM's
    // trust store) and basic authentication on every endpoint.
    TestCertificates certificates = TestCertificates.create(dir.resolve("tls"));
    String authorization = "Basic " + Base64.getEncoder().encodeToString("writer:s3cret".getBytes(StandardCharsets.UTF_8));
    try (ExternalServer secured = RequiredBackend.get(() -> ExternalServer.victoriaMetrics()
        .args("-retentionPeriod=100y", "-tls", "-tlsCertFile=" + certificates.serverCertificate(), "-tlsKeyFile=" + certificates.serverKey(),
            "-httpAuth.username=writer", "-httpAuth.password=s3cret")
        .readyUrl("https://{host}:{port}/health").readyHeader("Authorization", authorization).build()).start()) {
      URI base = URI.create("https://" + secured.host() + ":" + secured.port() + "/");
      String topic = ConnectSupport.createTopic(broker, "metrics-secured", 1);
      Map<String, String> config = ConnectSupport.connectorBase(CONNECTOR, topic, topic + "-dlq");
      config.put("remote.write.url", base.resolve("/api/v1/write").toString());
      config.putAll(Map.of("tls.ca.file", certificates.ca().toString(), "auth.type", "basic",
          "auth.basic.username", "writer", "auth.basic.password", "s3cret"));
      CONNECT.client().putConnector("rw-secured", config);
      CONNECT.client().awaitRunning("rw-secured", 1, TIMEOUT);
      Resource api = resource(null, "secured-api", "s-1");
      produce(broker, topic, List.of(gauge(api, "secured.queue.depth", null, T0.plusSeconds(1), 7)));
      await("the sample over https").atMost(TIMEOUT).untilAsserted(() -> assertThat(PromQl.query(base,
          "secured_queue_depth", T0.plusSeconds(2), certificates.trustingCa(), authorization))
          .singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(7)));
      CONNECT.client().delete("rw-secured");
    }
  }

  @Test
  void shouldRefuseABadConfigWithTheReason() {
    ConnectRestClient.Validation validation = CONNECT.client().validate(CONNECTOR, Map.of(
        "connector.class", CONNECTOR, "topics", "telemetry.metrics",
        "remote.write.url", "ftp://nowhere", "shards", "0", "auth.type", "basic", "auth.basic.username", "ana"));
    assertThat(validation.isValid()).isFalse();
    assertThat(validation.problems()).anySatisfy(p -> {
      assertThat(p.config()).isEqualTo("remote.write.url");
      assertThat(p.message()).contains("http://host:port");
    }).anySatisfy(p -> {
      assertThat(p.config()).isEqualTo("shards");
      assertThat(p.message()).contains("at least 1");
    }).anySatisfy(p -> {
      assertThat(p.config()).isEqualTo("auth.type");
      assertThat(p.message()).isEqualTo(HttpSinkOptions.BASIC_AUTH_ERROR);
    });
    assertThat(CONNECT.client().validate(CONNECTOR, Map.of("connector.class", CONNECTOR, "topics", "telemetry.metrics"))
        .problems()).anySatisfy(p -> assertThat(p.config()).isEqualTo("remote.write.url"));
    assertThatThrownBy(() -> CONNECT.client().putConnector("rw-bad", Map.of("connector.class", CONNECTOR,
        "topics", "telemetry.metrics", "remote.write.url", "http://127.0.0.1:1/api/v1/write", "batch.size", "5000",
        "buffer.max.size", "100")))
        .hasMessageContaining(HttpSinkOptions.BUFFER_TOO_SMALL_ERROR);
  }

  private static void startConnector(String name, String topic, ExternalServer store, Map<String, String> overrides) {
    Map<String, String> config = ConnectSupport.connectorBase(CONNECTOR, topic, topic + "-" + name + "-dlq");
    config.put("remote.write.url", store.baseUrl().resolve("/api/v1/write").toString());
    config.putAll(overrides);
    CONNECT.client().putConnector(name, config);
    CONNECT.client().awaitRunning(name, 1, TIMEOUT);
  }

  private static void produce(EmbeddedKafkaBroker broker, String topic, List<MetricPoint> points) {
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (MetricPoint p : points) {
      keys.add(utf8(p.getSeriesId()));
      values.add(singleObject(topic, p));
    }
    ConnectSupport.send(broker, topic, keys, values);
  }
}
