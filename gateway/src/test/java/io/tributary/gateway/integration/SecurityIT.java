package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.PROTOBUF;
import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.testsupport.TestTopics.endOffsets;
import static io.tributary.testsupport.TestTopics.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.testsupport.OtlpSamples;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bearer-token authentication mapped to tenants, over TLS on both ports. */
@ExtendWith(SharedKafkaBroker.class)
class SecurityIT {

  private static final String KEY_A = "alpha-3f9c1e7b2d8a4c60";
  private static final String KEY_B = "beta-7e2a9d4c1b6f8035";

  @RegisterExtension
  static final SelfSignedCertificateExtension CERTIFICATE = new SelfSignedCertificateExtension("localhost");

  private static String kafka;
  private static GatewayTestSupport.Topics topics;
  private static OtlpGateway gateway;

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    topics = createTopics(kafka, "security", 3);
    gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics)
        .apiKeys(Map.of(KEY_A, "tenant-a", KEY_B, "tenant-b"))
        .tls(CERTIFICATE.certificateFile().toPath(), CERTIFICATE.privateKeyFile().toPath())
        .build());
    Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static BlockingWebClient https(int port) {
    return WebClient.builder("https://127.0.0.1:" + port).factory(ClientFactory.insecure()).build().blocking();
  }

  private static AggregatedHttpResponse postTraces(MediaType type, byte[] body, String authorization) {
    RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(type);
    if (authorization != null) {
      headers.add(HttpHeaderNames.AUTHORIZATION, authorization);
    }
    return https(gateway.httpPort()).execute(HttpRequest.of(headers.build(), HttpData.wrap(body)));
  }

  private static TraceServiceGrpc.TraceServiceBlockingStub grpc(String authorization) {
    var builder = GrpcClients.builder("https://127.0.0.1:" + gateway.grpcPort()).factory(ClientFactory.insecure());
    if (authorization != null) {
      builder.addHeader("authorization", authorization);
    }
    return builder.build(TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  private static String tenantOfTrace(long trace) {
    ConsumerRecord<byte[], byte[]> record = readAll(kafka, topics.spans()).stream()
        .filter(r -> new String(r.key(), UTF_8).equals(OtlpSamples.hex(OtlpSamples.traceId(trace))))
        .findFirst().orElseThrow();
    return new String(record.headers().lastHeader(TelemetryHeaders.TENANT).value(), UTF_8);
  }

  @Test
  void shouldRefuseHttpRequestsWithoutAKnownBearerToken() throws Exception {
    byte[] body = OtlpSamples.interleavedTraces(1, 1, 6000).toByteArray();
    Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());
    for (String authorization : new String[] {null, "Bearer nope", "Basic " + KEY_A, "Bearer " + KEY_A + "x"}) {
      AggregatedHttpResponse response = postTraces(PROTOBUF, body, authorization);
      assertThat(response.status().code()).as("authorization %s", authorization).isEqualTo(401);
      assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("Bearer");
      assertThat(com.google.rpc.Status.parseFrom(response.content().array()).getCode())
          .isEqualTo(Status.Code.UNAUTHENTICATED.value());
    }
    AggregatedHttpResponse json = postTraces(MediaType.JSON, "{}".getBytes(UTF_8), null);
    assertThat(json.status().code()).isEqualTo(401);
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder();
    JsonFormat.parser().merge(json.contentUtf8(), status);
    assertThat(status.getMessage()).isEqualTo("missing bearer token");
    assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);
  }

  @Test
  void shouldRefuseGrpcCallsWithoutAKnownBearerToken() {
    Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());
    for (String authorization : new String[] {null, "Bearer nope"}) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> grpc(authorization).export(OtlpSamples.interleavedTraces(1, 1, 6100)));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);
  }

  @Test
  void shouldWriteTheTenantOfTheApiKeyOverHttpAndGrpc() {
    assertThat(postTraces(PROTOBUF, OtlpSamples.interleavedTraces(1, 1, 6200).toByteArray(), "Bearer " + KEY_A)
        .status().code()).isEqualTo(200);
    assertThat(grpc("bearer " + KEY_B).export(OtlpSamples.interleavedTraces(1, 1, 6201)).hasPartialSuccess()).isFalse();

    assertThat(tenantOfTrace(6200)).isEqualTo("tenant-a");
    assertThat(tenantOfTrace(6201)).isEqualTo("tenant-b");
  }

  @Test
  void shouldAcceptTheSdkExporterWithItsTokenOverVerifiedTls() throws Exception {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(memory))
        .build()) {
      provider.get("security-it").spanBuilder("over tls").setAttribute(AttributeKey.stringKey("k"), "v").startSpan().end();
      spans = memory.getFinishedSpanItems();
    }
    // Verified TLS: the exporter trusts exactly the gateway's certificate, issued for localhost.
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("https://localhost:" + gateway.httpPort() + "/v1/traces")
        .setTrustedCertificates(Files.readAllBytes(CERTIFICATE.certificateFile().toPath()))
        .addHeader("Authorization", "Bearer " + KEY_B)
        .build();
    try {
      assertThat(exporter.export(spans).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
    ConsumerRecord<byte[], byte[]> record = readAll(kafka, topics.spans()).stream()
        .filter(r -> new String(r.key(), UTF_8).equals(spans.get(0).getTraceId())).findFirst().orElseThrow();
    assertThat(new String(record.headers().lastHeader(TelemetryHeaders.TENANT).value(), UTF_8)).isEqualTo("tenant-b");
    assertThat(ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpans(0).getScopeSpans(0).getSpans(0)
        .getName()).isEqualTo("over tls");
  }

  @Test
  void shouldServeHealthAndMetricsWithoutAToken() {
    assertThat(https(gateway.httpPort()).get("/health/ready").status().code()).isEqualTo(200);
    assertThat(https(gateway.httpPort()).get("/metrics").contentUtf8()).contains("tributary_gateway_requests_total");
  }

}
