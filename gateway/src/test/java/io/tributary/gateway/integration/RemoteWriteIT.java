package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.PROTOBUF;
import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.gateway.integration.GatewayTestSupport.post;
import static io.tributary.testsupport.TestTopics.endOffsets;
import static io.tributary.testsupport.TestTopics.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.gateway.TenantLimit;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.testsupport.RemoteWriteRequests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote_write 1.0 at {@code /api/v1/write} against a real broker: OTLP metric records
 * with the tenant of the API key, one partition per series across requests, and every refusal with
 * its status, reason and (when the sender should retry) Retry-After. Real Prometheus and vmagent
 * senders are in the platform module's {@code RemoteWriteIngestIT}.
 */
@ExtendWith(SharedKafkaBroker.class)
class RemoteWriteIT {

  private static final String KEY = "rw-2f9c1d7e5b3a4c60";
  private static final String TENANT = "tenant-rw";
  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final long T0 = 1_765_000_000_000L;
  /** The header Prometheus sends with its protocol version. */
  private static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";

  private static String kafka;
  private static GatewayTestSupport.Topics topics;
  private static OtlpGateway gateway;
  private static int port;

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    topics = createTopics(kafka, "rw", 6);
    gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics).maxRequestBytes(MAX_REQUEST_BYTES)
        .apiKeys(Map.of(KEY, TENANT)).build());
    port = gateway.httpPort();
    Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void shouldAnswer204AndWriteOtlpMetricsWithTheTenantOfTheApiKeyOnePartitionPerSeries() throws Exception {
    for (int request = 0; request < 4; request++) {
      RemoteWriteRequests body = RemoteWriteRequests.builder();
      for (int pod = 0; pod < 8; pod++) {
        body.series(new String[] {"__name__", "rw_it_requests_total", "instance", "pod-" + pod + ":8080",
            "job", "checkout"}, T0 + request * 15_000L, 10 * request + pod);
      }
      AggregatedHttpResponse response = write(body.build(), "Authorization", "Bearer " + KEY,
          VERSION_HEADER, "0.1.0");
      assertThat(response.status().code()).as(response.contentUtf8()).isEqualTo(204);
      assertThat(response.content().isEmpty()).isTrue();
    }

    List<ConsumerRecord<byte[], byte[]>> records = readAll(kafka, topics.metrics()).stream()
        .filter(r -> metricsOf(r).stream().anyMatch(m -> m.getName().equals("rw_it_requests_total"))).toList();
    Map<String, Set<Integer>> partitionsByInstance = records.stream().collect(Collectors.groupingBy(
        RemoteWriteIT::instanceOf, Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
    assertThat(partitionsByInstance).hasSize(8).allSatisfy((instance, partitions) ->
        assertThat(partitions).as(instance).hasSize(1));
    assertThat(records.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()))
        .as("the series spread over partitions").hasSizeGreaterThan(1);
    assertThat(records).hasSize(32).allSatisfy(r -> {
      assertThat(new String(r.headers().lastHeader(TelemetryHeaders.TENANT).value(), UTF_8)).isEqualTo(TENANT);
      Metric metric = metricsOf(r).get(0);
      assertThat(metric.getSum().getIsMonotonic()).isTrue();
    });
  }

  @Test
  void shouldAnswer401InPlainTextWithoutAKnownKey() {
    AggregatedHttpResponse response = write(RemoteWriteRequests.builder().series(new String[] {"__name__", "up"}, T0, 1)
        .build(), "Authorization", "Bearer wrong");
    assertThat(response.status().code()).isEqualTo(401);
    assertThat(response.contentUtf8()).isEqualTo("unknown bearer token\n");
  }

  @Test
  void shouldAnswer400NamingWhatIsMalformedAndWriteNothing() throws Exception {
    Map<TopicPartition, Long> before = endOffsets(kafka, List.of(topics.metrics()));

    AggregatedHttpResponse notSnappy = post(port, "/api/v1/write", PROTOBUF, "plain text".getBytes(UTF_8),
        "Content-Encoding", "snappy", "Authorization", "Bearer " + KEY);
    assertThat(notSnappy.status().code()).isEqualTo(400);
    assertThat(notSnappy.contentUtf8()).startsWith("body is not snappy-compressed");

    AggregatedHttpResponse badProtobuf = write(new byte[] {0x0a, 0x7f, 0x01}, "Authorization", "Bearer " + KEY);
    assertThat(badProtobuf.status().code()).isEqualTo(400);
    assertThat(badProtobuf.contentUtf8()).startsWith("invalid WriteRequest: timeseries[0]: invalid protobuf");

    AggregatedHttpResponse noName = write(RemoteWriteRequests.builder()
        .series(new String[] {"__name__", "up", "job", "a"}, T0, 1).series(new String[] {"job", "a"}, T0, 1).build(),
        "Authorization", "Bearer " + KEY);
    assertThat(noName.status().code()).isEqualTo(400);
    assertThat(noName.contentUtf8()).isEqualTo(
        "invalid WriteRequest: timeseries[1] {job=\"a\"}: no __name__ label (every series needs a metric name)\n");
    assertThat(endOffsets(kafka, List.of(topics.metrics()))).isEqualTo(before);
  }

  @Test
  void shouldAnswer413ForOversizeBodiesAndSnappyBombs() throws Exception {
    AggregatedHttpResponse oversize = post(port, "/api/v1/write", PROTOBUF, new byte[MAX_REQUEST_BYTES + 1],
        "Content-Encoding", "snappy", "Authorization", "Bearer " + KEY);
    assertThat(oversize.status().code()).isEqualTo(413);

    // Small on the wire, too large once uncompressed.
    RemoteWriteRequests big = RemoteWriteRequests.builder();
    for (int i = 0; i < 3_000; i++) {
      big.series(new String[] {"__name__", "rw_it_bomb", "job", "bomb", "pod", "pod-" + i}, T0, 1);
    }
    byte[] raw = big.build();
    assertThat(Snappy.compress(raw).length).isLessThan(MAX_REQUEST_BYTES);
    AggregatedHttpResponse bomb = write(raw, "Authorization", "Bearer " + KEY);
    assertThat(bomb.status().code()).isEqualTo(413);
    assertThat(bomb.contentUtf8()).startsWith("uncompressed WriteRequest (" + raw.length + " bytes) exceeds");
  }

  @Test
  void shouldAnswer415ForOtherEncodingsAndRemoteWrite2() {
    byte[] body = RemoteWriteRequests.builder().series(new String[] {"__name__", "up"}, T0, 1).build();
    AggregatedHttpResponse gzip = post(port, "/api/v1/write", PROTOBUF, body, "Content-Encoding", "gzip",
        "Authorization", "Bearer " + KEY);
    assertThat(gzip.status().code()).isEqualTo(415);
    assertThat(gzip.contentUtf8()).isEqualTo("content encoding gzip (expected: snappy)\n");

    AggregatedHttpResponse json = post(port, "/api/v1/write", MediaType.JSON, body, "Content-Encoding", "snappy",
        "Authorization", "Bearer " + KEY);
    assertThat(json.status().code()).isEqualTo(415);

    AggregatedHttpResponse v2 = post(port, "/api/v1/write",
        MediaType.parse("application/x-protobuf;proto=io.prometheus.write.v2.Request"), body,
        "Content-Encoding", "snappy", "Authorization", "Bearer " + KEY,
        VERSION_HEADER, "2.0.0");
    assertThat(v2.status().code()).isEqualTo(415);
    assertThat(v2.contentUtf8()).contains("remote_write 2.0 is not accepted");

    AggregatedHttpResponse get = GatewayTestSupport.http(port).execute(HttpRequest.of(
        RequestHeaders.builder(HttpMethod.GET, "/api/v1/write").add("Authorization", "Bearer " + KEY).build(),
        HttpData.empty()));
    assertThat(get.status().code()).isEqualTo(405);
  }

  @Test
  void shouldAnswer429WithRetryAfterOverTheTenantsLimitAnd503WhileKafkaIsUnavailable() throws Exception {
    byte[] body = RemoteWriteRequests.builder().series(new String[] {"__name__", "up", "job", "limited"}, T0, 1)
        .series(new String[] {"__name__", "up", "job", "limited", "instance", "b"}, T0, 1).build();
    try (OtlpGateway limited = OtlpGateway.start(GatewayTestSupport.config(kafka, topics)
        .tenantLimit(TelemetryHeaders.DEFAULT_TENANT, TenantLimit.items(1)).build())) {
      Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(limited::isReady);
      // The first request runs the tenant into debt (2 items at 1/s); the next one is refused.
      AggregatedHttpResponse first = post(limited.httpPort(), "/api/v1/write", PROTOBUF, Snappy.compress(body),
          "Content-Encoding", "snappy");
      assertThat(first.status().code()).isEqualTo(204);
      AggregatedHttpResponse refused = post(limited.httpPort(), "/api/v1/write", PROTOBUF, Snappy.compress(body),
          "Content-Encoding", "snappy");
      assertThat(refused.status().code()).isEqualTo(429);
      assertThat(refused.headers().get(HttpHeaderNames.RETRY_AFTER)).isNotNull();
      assertThat(refused.contentUtf8()).contains("tenant " + TelemetryHeaders.DEFAULT_TENANT + " is over its limit");
    }
    GatewayTestSupport.Topics missing = new GatewayTestSupport.Topics("rw-none-spans", "rw-none-logs", "rw-none-metrics");
    try (OtlpGateway noTopics = OtlpGateway.start(GatewayTestSupport.config(kafka, missing).build())) {
      AggregatedHttpResponse unavailable = post(noTopics.httpPort(), "/api/v1/write", PROTOBUF, Snappy.compress(body),
          "Content-Encoding", "snappy");
      assertThat(unavailable.status().code()).isEqualTo(503);
      assertThat(unavailable.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
    }
  }

  private static AggregatedHttpResponse write(byte[] writeRequest, String... headers) {
    try {
      String[] all = new String[headers.length + 2];
      all[0] = "Content-Encoding";
      all[1] = "snappy";
      System.arraycopy(headers, 0, all, 2, headers.length);
      return post(port, "/api/v1/write", PROTOBUF, Snappy.compress(writeRequest), all);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Metric> metricsOf(ConsumerRecord<byte[], byte[]> record) {
    try {
      return ExportMetricsServiceRequest.parseFrom(record.value()).getResourceMetrics(0).getScopeMetrics(0)
          .getMetricsList();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static String instanceOf(ConsumerRecord<byte[], byte[]> record) {
    try {
      return ExportMetricsServiceRequest.parseFrom(record.value()).getResourceMetrics(0).getResource()
          .getAttributesList().stream().filter(kv -> kv.getKey().equals("service.instance.id"))
          .map(kv -> kv.getValue().getStringValue()).findFirst().orElseThrow();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
