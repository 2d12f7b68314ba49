package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.testsupport.Compression.gzip;
import static io.tributary.testsupport.OtlpSamples.hex;
import static io.tributary.testsupport.OtlpSamples.resource;
import static io.tributary.testsupport.OtlpSamples.scope;
import static io.tributary.testsupport.OtlpSamples.span;
import static io.tributary.testsupport.OtlpSamples.traceId;
import static io.tributary.testsupport.TestTopics.endOffsets;
import static io.tributary.testsupport.TestTopics.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.testsupport.OtlpSamples;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OTLP/gRPC end to end: the three services, partial success and every error status. */
@ExtendWith(SharedKafkaBroker.class)
class OtlpGrpcIT {

  private static final int MAX_REQUEST_BYTES = 256 * 1024;
  private static final String TRACE_EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private static String kafka;
  private static GatewayTestSupport.Topics topics;
  private static OtlpGateway gateway;

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    topics = createTopics(kafka, "grpc", 3);
    gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics).maxRequestBytes(MAX_REQUEST_BYTES).build());
    Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static <T> T stub(int port, Class<T> type) {
    return GrpcClients.builder("http://127.0.0.1:" + port).build(type);
  }

  @Test
  void shouldExportEverySignalOverGrpc() throws Exception {
    ExportTraceServiceRequest traces = OtlpSamples.interleavedTraces(2, 3, 1000);
    ExportLogsServiceRequest logs = OtlpSamples.logs(resource("grpc-logs"),
        List.of(OtlpSamples.logRecord("over grpc", traceId(1000), OtlpSamples.spanId(1))));
    ExportMetricsServiceRequest metrics = OtlpSamples.metrics(resource("grpc-metrics"),
        List.of(OtlpSamples.counter("grpc.requests", 3), OtlpSamples.histogram("grpc.latency")));
    int port = gateway.grpcPort();

    ExportTraceServiceResponse response = stub(port, TraceServiceGrpc.TraceServiceBlockingStub.class).export(traces);
    assertThat(response.hasPartialSuccess()).isFalse();
    assertThat(stub(port, LogsServiceGrpc.LogsServiceBlockingStub.class).export(logs).hasPartialSuccess()).isFalse();
    assertThat(stub(port, MetricsServiceGrpc.MetricsServiceBlockingStub.class).export(metrics).hasPartialSuccess())
        .isFalse();

    List<ConsumerRecord<byte[], byte[]>> spanRecords = readAll(kafka, topics.spans()).stream()
        .filter(r -> List.of(hex(traceId(1000)), hex(traceId(1001))).contains(new String(r.key(), UTF_8))).toList();
    assertThat(spanRecords).hasSize(2)
        .allSatisfy(r -> assertThat(new String(r.headers().lastHeader(TelemetryHeaders.CLIENT_ADDRESS).value(), UTF_8))
            .as("the connection's peer over loopback").isEqualTo("127.0.0.1"));
    assertThat(spanRecords.stream().mapToInt(r -> parseSpans(r.value()).size()).sum()).isEqualTo(6);
    assertThat(readAll(kafka, topics.logs())).anySatisfy(r -> assertThat(ExportLogsServiceRequest.parseFrom(r.value()))
        .isEqualTo(logs));
    assertThat(readAll(kafka, topics.metrics()).stream().map(r -> parseMetricName(r.value())).toList())
        .contains("grpc.requests", "grpc.latency");
  }

  private static List<Span> parseSpans(byte[] value) {
    try {
      return ExportTraceServiceRequest.parseFrom(value).getResourceSpansList().stream()
          .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream()).toList();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String parseMetricName(byte[] value) {
    try {
      return ExportMetricsServiceRequest.parseFrom(value).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getName();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldReportRejectedSpansAsPartialSuccess() {
    List<Span> spans = List.of(span(1100, 1), span(1100, 2).toBuilder().setSpanId(ByteString.EMPTY).build());
    ExportTraceServiceResponse response = stub(gateway.grpcPort(), TraceServiceGrpc.TraceServiceBlockingStub.class)
        .export(OtlpSamples.traces(resource("svc"), scope("s"), spans));

    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("invalid_span_id");
  }

  /** A raw gRPC call: one length-prefixed message, optionally marked compressed. */
  private static AggregatedHttpResponse rawCall(int port, byte[] message, boolean compressed) {
    ByteBuffer frame = ByteBuffer.allocate(5 + message.length);
    frame.put((byte) (compressed ? 1 : 0)).putInt(message.length).put(message);
    com.linecorp.armeria.common.RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, TRACE_EXPORT)
        .contentType(MediaType.parse("application/grpc")).add("te", "trailers");
    if (compressed) {
      headers.add("grpc-encoding", "gzip");
    }
    return WebClient.of("h2c://127.0.0.1:" + port).blocking()
        .execute(HttpRequest.of(headers.build(), HttpData.wrap(frame.array())));
  }

  private static String grpcStatus(AggregatedHttpResponse response) {
    String status = response.trailers().get("grpc-status");
    return status != null ? status : response.headers().get("grpc-status");
  }

  @Test
  void shouldAnswerInvalidArgumentForMalformedProtobufAndWriteNothing() {
    Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());
    byte[] valid = OtlpSamples.interleavedTraces(2, 2, 1200).toByteArray();

    AggregatedHttpResponse response = rawCall(gateway.grpcPort(), java.util.Arrays.copyOf(valid, valid.length - 7), false);

    assertThat(grpcStatus(response)).isEqualTo(Integer.toString(Status.Code.INVALID_ARGUMENT.value()));
    assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);
  }

  @Test
  void shouldAnswerResourceExhaustedWithoutRetryInfoForOversizeRequests() {
    Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());
    ExportTraceServiceRequest big = OtlpSamples.traces(resource("big"), scope("s"),
        List.of(span(1300, 1).toBuilder().setName("x".repeat(MAX_REQUEST_BYTES)).build()));

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub(gateway.grpcPort(), TraceServiceGrpc.TraceServiceBlockingStub.class).export(big));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(retryInfo(e)).as("oversize is not retryable").isNull();
    assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);
    // Armeria refuses the message before the handler sees it; the gateway's metrics count it all the same.
    Awaitility.await("the oversize gRPC request counted as too_large").atMost(Duration.ofSeconds(10))
        .until(() -> tooLargeGrpcTraceRequests() >= 1);
  }

  private static double tooLargeGrpcTraceRequests() {
    String metrics = GatewayTestSupport.http(gateway.httpPort()).get("/metrics").contentUtf8();
    return metrics.lines()
        .filter(line -> line.startsWith("tributary_gateway_requests_total{") && line.contains("outcome=\"too_large\"")
            && line.contains("signal=\"traces\"") && line.contains("transport=\"grpc\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void shouldAnswerResourceExhaustedForACompressedBomb() {
    Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());
    byte[] bomb = gzip(new byte[32 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(MAX_REQUEST_BYTES);

    AggregatedHttpResponse response = rawCall(gateway.grpcPort(), bomb, true);

    assertThat(grpcStatus(response)).isEqualTo(Integer.toString(Status.Code.RESOURCE_EXHAUSTED.value()));
    assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);
  }

  @Test
  void shouldAcceptGzipCompressedRequests() {
    byte[] message = OtlpSamples.interleavedTraces(1, 2, 1400).toByteArray();
    AggregatedHttpResponse response = rawCall(gateway.grpcPort(), gzip(message), true);
    assertThat(grpcStatus(response)).isEqualTo("0");
    assertThat(readAll(kafka, topics.spans())).anySatisfy(r ->
        assertThat(new String(r.key(), UTF_8)).isEqualTo(hex(traceId(1400))));
  }

  @Test
  void shouldAnswerResourceExhaustedWithRetryInfoWhenInFlightBytesExceedTheCap() throws Exception {
    try (OtlpGateway small = OtlpGateway.start(GatewayTestSupport.config(kafka, topics).maxInFlightBytes(1024).build())) {
      Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(small::isReady);
      byte[] held = OtlpSamples.interleavedTraces(1, 1, 1500).toByteArray();
      HttpRequestWriter slow = HttpRequest.streaming(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
          .contentType(GatewayTestSupport.PROTOBUF).contentLength(held.length).build());
      slow.write(HttpData.wrap(held, 0, 5));
      CompletableFuture<AggregatedHttpResponse> heldResponse =
          WebClient.of("http://127.0.0.1:" + small.httpPort()).execute(slow).aggregate();
      Awaitility.await("a request in flight").atMost(Duration.ofSeconds(10))
          .until(() -> OtlpHttpIT.inFlightBytes(small.httpPort()) > 0);
      Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());

      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub(small.grpcPort(), TraceServiceGrpc.TraceServiceBlockingStub.class)
              .export(OtlpSamples.interleavedTraces(1, 1, 1501)));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(retryInfo(e)).as("throttling is retryable").isNotNull();
      assertThat(retryInfo(e).getRetryDelay().getSeconds()).isEqualTo(5);
      assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);
      slow.write(HttpData.wrap(held, 5, held.length - 5));
      slow.close();
      assertThat(heldResponse.get().status().code()).isEqualTo(200);
    }
  }

  private static RetryInfo retryInfo(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return null;
    }
    return status.getDetailsList().stream().filter(d -> d.is(RetryInfo.class)).findFirst().map(d -> {
      try {
        return d.unpack(RetryInfo.class);
      } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
        throw new IllegalStateException(ex);
      }
    }).orElse(null);
  }

  @Test
  void shouldNotServeOtlpHttpPathsAsGrpc() {
    assertThatThrownBy(() -> stub(gateway.httpPort(), TraceServiceGrpc.TraceServiceBlockingStub.class)
        .export(ExportTraceServiceRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
  }
}
