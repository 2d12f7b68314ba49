package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.PROTOBUF;
import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.gateway.integration.GatewayTestSupport.http;
import static io.tributary.gateway.integration.GatewayTestSupport.post;
import static io.tributary.testsupport.OtlpSamples.hex;
import static io.tributary.testsupport.OtlpSamples.traceId;
import static io.tributary.testsupport.TestTopics.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.testsupport.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Health, readiness and metrics endpoints, recovery when topics appear, and graceful shutdown. */
@ExtendWith(SharedKafkaBroker.class)
class GatewayLifecycleIT {

  @Test
  void shouldServeHealthReadinessAndPrometheusMetrics(EmbeddedKafkaBroker broker) {
    GatewayTestSupport.Topics topics = createTopics(broker.bootstrapServers(), "lifecycle", 3);
    try (OtlpGateway gateway = OtlpGateway.start(GatewayTestSupport.config(broker.bootstrapServers(), topics).build())) {
      int port = gateway.httpPort();
      assertThat(http(port).get("/health/live").status().code()).isEqualTo(200);
      Awaitility.await("ready").atMost(Duration.ofSeconds(30))
          .until(() -> http(port).get("/health/ready").status().code() == 200);
      assertThat(gateway.isReady()).isTrue();

      List<Span> spans = List.of(OtlpSamples.span(8000, 1), OtlpSamples.span(8000, 2),
          OtlpSamples.span(8000, 3).toBuilder().setTraceId(ByteString.copyFrom(new byte[3])).build());
      assertThat(post(port, "/v1/traces", PROTOBUF, OtlpSamples.traces(OtlpSamples.resource("m"), OtlpSamples.scope("s"),
          spans).toByteArray()).status().code()).isEqualTo(200);
      assertThat(post(port, "/v1/traces", PROTOBUF, new byte[] {1, 2, 3}).status().code()).isEqualTo(400);

      AggregatedHttpResponse scrape = http(port).get("/metrics");
      assertThat(scrape.contentType().toString()).startsWith("text/plain");
      String metrics = scrape.contentUtf8();
      assertThat(value(metrics, "tributary_gateway_requests_total", "outcome=\"partial_success\"", "signal=\"traces\"",
          "transport=\"http\"")).isEqualTo(1);
      assertThat(value(metrics, "tributary_gateway_requests_total", "outcome=\"bad_request\"", "signal=\"traces\"",
          "transport=\"http\"")).isEqualTo(1);
      assertThat(value(metrics, "tributary_gateway_spans_accepted_total")).isEqualTo(2);
      assertThat(value(metrics, "tributary_gateway_spans_rejected_total", "reason=\"invalid_trace_id\"")).isEqualTo(1);
      assertThat(value(metrics, "tributary_gateway_kafka_send_seconds_count", "signal=\"traces\"")).isEqualTo(1);
      assertThat(value(metrics, "tributary_gateway_kafka_records_total", "signal=\"traces\"")).isEqualTo(1);
      assertThat(metrics).contains("tributary_gateway_kafka_send_seconds_bucket{");
      assertThat(value(metrics, "tributary_gateway_inflight_bytes")).isZero();
      assertThat(value(metrics, "tributary_gateway_inflight_limit_bytes"))
          .isEqualTo(GatewayConfig.DEFAULT_MAX_IN_FLIGHT_BYTES);
      assertThat(value(metrics, "tributary_gateway_ready")).isEqualTo(1);
    }
  }

  /** The value of the sample of {@code name} whose labels contain all of {@code labels}. */
  private static double value(String metrics, String name, String... labels) {
    Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = sample.matcher(metrics);
    while (m.find()) {
      String found = m.group(1) == null ? "" : m.group(1);
      if (List.of(labels).stream().allMatch(found::contains)) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no sample " + name + " with " + List.of(labels) + " in\n" + metrics);
  }

  @Test
  void shouldAnswer503UntilItsTopicsExistAndThenRecoverByItself(EmbeddedKafkaBroker broker) {
    String kafka = broker.bootstrapServers();
    GatewayTestSupport.Topics missing = new GatewayTestSupport.Topics("later-spans-9", "later-logs-9", "later-metrics-9");
    try (OtlpGateway gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, missing).build())) {
      int port = gateway.httpPort();
      AggregatedHttpResponse ready = http(port).get("/health/ready");
      assertThat(ready.status().code()).isEqualTo(503);
      assertThat(ready.contentUtf8()).contains("no Kafka metadata");
      assertThat(gateway.isReady()).isFalse();

      byte[] body = OtlpSamples.interleavedTraces(1, 2, 9000).toByteArray();
      AggregatedHttpResponse refused = post(port, "/v1/traces", PROTOBUF, body);
      assertThat(refused.status().code()).isEqualTo(503);
      assertThat(refused.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> GrpcClients
          .newClient("http://127.0.0.1:" + gateway.grpcPort(), TraceServiceGrpc.TraceServiceBlockingStub.class)
          .export(OtlpSamples.interleavedTraces(1, 1, 9001)));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

      GatewayTestSupport.Topics created = createTopicsNamed(kafka, missing);
      Awaitility.await("ready once the topics exist").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
      assertThat(post(port, "/v1/traces", PROTOBUF, body).status().code()).isEqualTo(200);
      assertThat(readAll(kafka, created.spans())).hasSize(1)
          .allSatisfy(r -> assertThat(new String(r.key(), UTF_8)).isEqualTo(hex(traceId(9000))));
    }
  }

  private static GatewayTestSupport.Topics createTopicsNamed(String kafka, GatewayTestSupport.Topics topics) {
    TestTopics.create(kafka, 2, topics.all().toArray(String[]::new));
    return topics;
  }

  @Test
  void shouldFinishAnInFlightRequestWhenClosedAndThenRefuseConnections(EmbeddedKafkaBroker broker) throws Exception {
    String kafka = broker.bootstrapServers();
    GatewayTestSupport.Topics topics = createTopics(kafka, "drain", 3);
    OtlpGateway gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics)
        .shutdown(Duration.ofMillis(200), Duration.ofSeconds(20)).build());
    Awaitility.await("ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
    int port = gateway.httpPort();
    byte[] body = OtlpSamples.interleavedTraces(2, 2, 9500).toByteArray();

    HttpRequestWriter slow = HttpRequest.streaming(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
        .contentType(PROTOBUF).contentLength(body.length).build());
    slow.write(HttpData.wrap(body, 0, 10));
    CompletableFuture<AggregatedHttpResponse> response = WebClient.of("http://127.0.0.1:" + port).execute(slow).aggregate();
    Awaitility.await("request in flight").atMost(Duration.ofSeconds(10))
        .until(() -> OtlpHttpIT.inFlightBytes(port) > 0);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
    Awaitility.await("not ready once closing").atMost(Duration.ofSeconds(5)).until(() -> !gateway.isReady());
    assertThat(closing).as("close waits for the in-flight request").isNotDone();

    slow.write(HttpData.wrap(body, 10, body.length - 10));
    slow.close();
    assertThat(response.get(30, TimeUnit.SECONDS).status().code()).isEqualTo(200);
    closing.get(30, TimeUnit.SECONDS);
    assertThat(readAll(kafka, topics.spans()).stream().map(r -> new String(r.key(), UTF_8)).toList())
        .containsExactlyInAnyOrder(hex(traceId(9500)), hex(traceId(9501)));
    assertThatThrownBy(() -> WebClient.of("http://127.0.0.1:" + port).blocking().get("/health/live"))
        .as("closed: nothing listens").isNotNull();
  }
}
