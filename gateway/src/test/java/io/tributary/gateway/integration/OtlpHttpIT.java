package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.PROTOBUF;
import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.gateway.integration.GatewayTestSupport.post;
import static io.tributary.testsupport.Compression.gzip;
import static io.tributary.testsupport.OtlpSamples.hex;
import static io.tributary.testsupport.OtlpSamples.resource;
import static io.tributary.testsupport.OtlpSamples.scope;
import static io.tributary.testsupport.OtlpSamples.span;
import static io.tributary.testsupport.OtlpSamples.spanId;
import static io.tributary.testsupport.OtlpSamples.traceId;
import static io.tributary.testsupport.TestTopics.endOffsets;
import static io.tributary.testsupport.TestTopics.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.testsupport.OtlpSamples;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OTLP/HTTP end to end: protobuf, JSON, gzip, partitioning, partial success and every error status. */
@ExtendWith(SharedKafkaBroker.class)
class OtlpHttpIT {

  private static final int MAX_REQUEST_BYTES = 256 * 1024;

  private static String kafka;
  private static GatewayTestSupport.Topics topics;
  private static OtlpGateway gateway;
  private static int port;

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    topics = createTopics(kafka, "http", 6);
    gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics).maxRequestBytes(MAX_REQUEST_BYTES).build());
    port = gateway.httpPort();
    Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static List<Span> spansOf(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream()).toList();
  }

  /** The spans written for these trace ids, parsed from the spans topic. */
  private static List<Span> writtenSpans(Set<ByteString> traceIds) throws Exception {
    List<Span> spans = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topics.spans())) {
      for (Span span : spansOf(ExportTraceServiceRequest.parseFrom(record.value()))) {
        if (traceIds.contains(span.getTraceId())) {
          spans.add(span);
        }
      }
    }
    return spans;
  }

  @Test
  void shouldWriteOneRecordPerTraceKeyedByHexTraceIdWithTheTenantHeader() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.interleavedTraces(3, 4, 100);

    AggregatedHttpResponse response = post(port, "/v1/traces", PROTOBUF, request.toByteArray());

    assertThat(response.status().code()).isEqualTo(200);
    assertThat(response.contentType().subtype()).isEqualTo("x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(response.content().array()).hasPartialSuccess()).isFalse();
    Set<String> traceHex = Set.of(hex(traceId(100)), hex(traceId(101)), hex(traceId(102)));
    List<ConsumerRecord<byte[], byte[]>> records = readAll(kafka, topics.spans()).stream()
        .filter(r -> traceHex.contains(new String(r.key(), UTF_8))).toList();
    assertThat(records).hasSize(3);
    for (ConsumerRecord<byte[], byte[]> record : records) {
      assertThat(new String(record.headers().lastHeader(TelemetryHeaders.TENANT).value(), UTF_8))
          .isEqualTo(TelemetryHeaders.DEFAULT_TENANT);
      // The test connects over loopback, so the connection's peer is 127.0.0.1 (what enrichment matches pod IPs by).
      assertThat(new String(record.headers().lastHeader(TelemetryHeaders.CLIENT_ADDRESS).value(), UTF_8))
          .isEqualTo("127.0.0.1");
      assertThat(spansOf(ExportTraceServiceRequest.parseFrom(record.value())))
          .allMatch(s -> hex(s.getTraceId()).equals(new String(record.key(), UTF_8)));
    }
    assertThat(writtenSpans(Set.of(traceId(100), traceId(101), traceId(102))))
        .containsExactlyInAnyOrderElementsOf(spansOf(request));
  }

  @Test
  void shouldPutEverySpanOfATraceOnOnePartitionAcrossRequests() throws Exception {
    // Four requests, each with spans of the same ten traces interleaved.
    List<Span> sent = new ArrayList<>();
    for (int request = 0; request < 4; request++) {
      List<Span> spans = new ArrayList<>();
      for (int trace = 0; trace < 10; trace++) {
        spans.add(span(200 + trace, 200_000 + request * 100 + trace));
      }
      sent.addAll(spans);
      assertThat(post(port, "/v1/traces", PROTOBUF,
          OtlpSamples.traces(resource("partitions"), scope("s"), spans).toByteArray()).status().code()).isEqualTo(200);
    }

    Set<ByteString> traceIds = sent.stream().map(Span::getTraceId).collect(Collectors.toSet());
    Set<String> keys = traceIds.stream().map(OtlpSamples::hex).collect(Collectors.toSet());
    Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = readAll(kafka, topics.spans()).stream()
        .filter(r -> keys.contains(new String(r.key(), UTF_8)))
        .collect(Collectors.groupingBy(r -> new String(r.key(), UTF_8)));
    assertThat(byKey.keySet()).isEqualTo(keys);
    for (Map.Entry<String, List<ConsumerRecord<byte[], byte[]>>> e : byKey.entrySet()) {
      assertThat(e.getValue()).as("records of trace %s", e.getKey()).hasSize(4);
      assertThat(GatewayTestSupport.partitionsOf(e.getValue())).as("partitions of trace %s", e.getKey()).hasSize(1);
    }
    assertThat(byKey.values().stream().flatMap(List::stream).map(ConsumerRecord::partition).distinct().count())
        .as("ten traces spread over the six partitions").isGreaterThan(1);
    assertThat(writtenSpans(traceIds)).containsExactlyInAnyOrderElementsOf(sent);
  }

  // --- OTLP/JSON, hand-written, with hex ids ---

  private static final String TRACE_A = "5b8efff798038103d269b633813fc60c";
  private static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";

  private static final String TRACES_JSON = """
      {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},
        "scopeSpans":[{"scope":{"name":"json-scope","version":"0.1"},"spans":[
          {"traceId":"%s","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173","name":"GET /a",
           "kind":2,"startTimeUnixNano":"1767323045000000000","endTimeUnixNano":1767323045001000000,
           "attributes":[{"key":"http.status_code","value":{"intValue":"200"}},{"key":"ok","value":{"boolValue":true}},
             {"key":"ratio","value":{"doubleValue":0.5}},{"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"}]}}}],
           "events":[{"timeUnixNano":"1767323045000500000","name":"ev"}],
           "links":[{"traceId":"%s","spanId":"00f067aa0ba902b7"}],
           "status":{"code":"STATUS_CODE_ERROR","message":"bad"},"unknownField":{"ignored":true}},
          {"traceId":"%s","spanId":"00f067aa0ba902b8","name":"second","kind":"SPAN_KIND_CLIENT"}]}]}]}
      """;

  private static List<Span> expectedJsonSpans(String traceA, String traceB) {
    HexFormat hexFormat = HexFormat.of();
    Span first = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(hexFormat.parseHex(traceA)))
        .setSpanId(ByteString.copyFrom(hexFormat.parseHex("eee19b7ec3c1b174")))
        .setParentSpanId(ByteString.copyFrom(hexFormat.parseHex("eee19b7ec3c1b173")))
        .setName("GET /a").setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1767323045000000000L).setEndTimeUnixNano(1767323045001000000L)
        .addAttributes(OtlpSamples.attribute("http.status_code", AnyValue.newBuilder().setIntValue(200).build()))
        .addAttributes(OtlpSamples.attribute("ok", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(OtlpSamples.attribute("ratio", AnyValue.newBuilder().setDoubleValue(0.5).build()))
        .addAttributes(OtlpSamples.attribute("tags", AnyValue.newBuilder()
            .setArrayValue(ArrayValue.newBuilder().addValues(OtlpSamples.string("a"))).build()))
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(1767323045000500000L).setName("ev"))
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(hexFormat.parseHex(traceB)))
            .setSpanId(ByteString.copyFrom(hexFormat.parseHex("00f067aa0ba902b7"))))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("bad"))
        .build();
    Span second = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(hexFormat.parseHex(traceB)))
        .setSpanId(ByteString.copyFrom(hexFormat.parseHex("00f067aa0ba902b8")))
        .setName("second").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .build();
    return List.of(first, second);
  }

  @Test
  void shouldAcceptHandWrittenJsonTracesWithHexIdsPlainAndGzip() throws Exception {
    String traceA = TRACE_A;
    String traceB = TRACE_B;
    byte[] json = TRACES_JSON.formatted(traceA, traceB, traceB).getBytes(UTF_8);
    Set<ByteString> ids = Set.of(ByteString.fromHex(traceA), ByteString.fromHex(traceB));

    AggregatedHttpResponse plain = post(port, "/v1/traces", MediaType.JSON_UTF_8, json);
    assertThat(plain.status().code()).isEqualTo(200);
    assertThat(plain.contentType().subtype()).isEqualTo("json");
    assertThat(plain.contentUtf8()).isEqualTo("{}");
    assertThat(writtenSpans(ids)).containsExactlyInAnyOrderElementsOf(expectedJsonSpans(traceA, traceB));

    AggregatedHttpResponse gzipped = post(port, "/v1/traces", MediaType.JSON, gzip(json), "content-encoding", "gzip");
    assertThat(gzipped.status().code()).isEqualTo(200);
    List<Span> expectedTwice = new ArrayList<>(expectedJsonSpans(traceA, traceB));
    expectedTwice.addAll(expectedJsonSpans(traceA, traceB));
    assertThat(writtenSpans(ids)).containsExactlyInAnyOrderElementsOf(expectedTwice);
    // The resource and scope came along.
    ExportTraceServiceRequest record = ExportTraceServiceRequest.parseFrom(readAll(kafka, topics.spans()).stream()
        .filter(r -> new String(r.key(), UTF_8).equals(traceA)).findFirst().orElseThrow().value());
    assertThat(record.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("json-svc");
    assertThat(record.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("json-scope");
  }

  @Test
  void shouldAcceptHandWrittenJsonLogsPlainAndGzip() throws Exception {
    String json = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-logs"}}]},
          "scopeLogs":[{"scope":{"name":"logger"},"logRecords":[
            {"timeUnixNano":"1767323045000000000","severityNumber":13,"severityText":"WARN",
             "body":{"stringValue":"disk almost full"},"traceId":"%s","spanId":"eee19b7ec3c1b174",
             "attributes":[{"key":"disk","value":{"stringValue":"/dev/sda"}}]},
            {"timeUnixNano":"1767323045000000001","severityNumber":"SEVERITY_NUMBER_INFO","body":{"stringValue":"no trace"}}
          ]}]}]}
        """.formatted("1111111111111111111111111111111a");
    LogRecord withTrace = LogRecord.newBuilder().setTimeUnixNano(1767323045000000000L)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN).setSeverityText("WARN")
        .setBody(OtlpSamples.string("disk almost full"))
        .setTraceId(ByteString.fromHex("1111111111111111111111111111111a"))
        .setSpanId(ByteString.fromHex("eee19b7ec3c1b174"))
        .addAttributes(OtlpSamples.attribute("disk", OtlpSamples.string("/dev/sda"))).build();
    LogRecord withoutTrace = LogRecord.newBuilder().setTimeUnixNano(1767323045000000001L)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setBody(OtlpSamples.string("no trace")).build();

    for (boolean compressed : new boolean[] {false, true}) {
      Map<TopicPartition, Long> before = endOffsets(kafka, List.of(topics.logs()));
      AggregatedHttpResponse response = compressed
          ? post(port, "/v1/logs", MediaType.JSON, gzip(json.getBytes(UTF_8)), "content-encoding", "gzip")
          : post(port, "/v1/logs", MediaType.JSON, json.getBytes(UTF_8));
      assertThat(response.status().code()).isEqualTo(200);
      List<LogRecord> written = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topics.logs())) {
        if (record.offset() >= before.get(new TopicPartition(record.topic(), record.partition()))) {
          ExportLogsServiceRequest.parseFrom(record.value()).getResourceLogsList().forEach(rl -> rl.getScopeLogsList()
              .forEach(sl -> written.addAll(sl.getLogRecordsList())));
        }
      }
      assertThat(written).as("compressed=%s", compressed).containsExactlyInAnyOrder(withTrace, withoutTrace);
    }
  }

  @Test
  void shouldAcceptHandWrittenJsonMetricsPlainAndGzip() throws Exception {
    String json = """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-metrics"}}]},
          "scopeMetrics":[{"scope":{"name":"meter"},"metrics":[
            {"name":"queue.depth","unit":"{items}","gauge":{"dataPoints":[{"timeUnixNano":"1767323045000000000","asDouble":12.5,
              "attributes":[{"key":"queue","value":{"stringValue":"orders"}}]}]}},
            {"name":"requests","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
              {"startTimeUnixNano":"1767323040000000000","timeUnixNano":"1767323045000000000","asInt":"42",
               "exemplars":[{"timeUnixNano":"1767323044000000000","asInt":"1","traceId":"%s","spanId":"eee19b7ec3c1b174"}]}]}}
          ]}]}]}
        """.formatted(TRACE_A);
    byte[] bytes = json.getBytes(UTF_8);
    ExportMetricsServiceRequest.Builder expected = ExportMetricsServiceRequest.newBuilder();
    JsonFormat.parser().merge(json.replace(TRACE_A, base64(TRACE_A)).replace("eee19b7ec3c1b174", base64("eee19b7ec3c1b174")),
        expected);
    List<Metric> expectedMetrics = expected.getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
    assertThat(expectedMetrics.get(1).getSum().getDataPoints(0).getExemplars(0).getTraceId())
        .isEqualTo(ByteString.fromHex(TRACE_A));

    for (boolean compressed : new boolean[] {false, true}) {
      Map<TopicPartition, Long> before = endOffsets(kafka, List.of(topics.metrics()));
      AggregatedHttpResponse response = compressed
          ? post(port, "/v1/metrics", MediaType.JSON, gzip(bytes), "content-encoding", "gzip")
          : post(port, "/v1/metrics", MediaType.JSON, bytes);
      assertThat(response.status().code()).isEqualTo(200);
      List<Metric> written = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topics.metrics())) {
        if (record.offset() >= before.get(new TopicPartition(record.topic(), record.partition()))) {
          ExportMetricsServiceRequest parsed = ExportMetricsServiceRequest.parseFrom(record.value());
          assertThat(parsed.getResourceMetrics(0).getResource()).isEqualTo(expected.getResourceMetrics(0).getResource());
          parsed.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList()
              .forEach(sm -> written.addAll(sm.getMetricsList())));
        }
      }
      assertThat(written).as("compressed=%s", compressed).containsExactlyInAnyOrderElementsOf(expectedMetrics);
    }
  }

  private static String base64(String hex) {
    return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  // --- partial success ---

  @Test
  void shouldRejectOnlyTheSpansWithInvalidIdsAndReportThemAsPartialSuccess() throws Exception {
    List<Span> spans = List.of(
        span(300, 1),
        span(300, 2).toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build(),
        span(301, 3).toBuilder().setSpanId(ByteString.copyFrom(new byte[4])).build(),
        span(302, 4));
    byte[] body = OtlpSamples.traces(resource("partial"), scope("s"), spans).toByteArray();

    AggregatedHttpResponse response = post(port, "/v1/traces", PROTOBUF, body);

    assertThat(response.status().code()).isEqualTo(200);
    ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(response.content().array());
    assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("invalid_trace_id").contains("invalid_span_id");
    assertThat(writtenSpans(Set.of(traceId(300), traceId(301), traceId(302), ByteString.copyFrom(new byte[16]))))
        .containsExactlyInAnyOrder(spans.get(0), spans.get(3));
  }

  @Test
  void shouldReportPartialSuccessInJsonForJsonRequests() throws Exception {
    String json = TRACES_JSON.formatted("00000000000000000000000000000000", TRACE_B, "nothex!!nothex!!nothex!!nothex!!");
    AggregatedHttpResponse response = post(port, "/v1/traces", MediaType.JSON, json.getBytes(UTF_8));

    assertThat(response.status().code()).isEqualTo(200);
    ExportTraceServiceResponse.Builder parsed = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(response.contentUtf8(), parsed);
    assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
  }

  // --- errors: status code, reason, and nothing written ---

  private void assertRefusedAndNothingWritten(int status, Supplier<AggregatedHttpResponse> request) throws Exception {
    Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());
    AggregatedHttpResponse response = request.get();
    assertThat(response.status().code()).isEqualTo(status);
    com.google.rpc.Status body = com.google.rpc.Status.parseFrom(response.content().array());
    assertThat(body.getMessage()).isNotBlank();
    assertThat(endOffsets(kafka, topics.all())).as("end offsets after a refused request").isEqualTo(before);
  }

  @Test
  void shouldAnswer400WithTheReasonForMalformedProtobuf() throws Exception {
    byte[] valid = OtlpSamples.interleavedTraces(2, 2, 400).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 10);
    assertRefusedAndNothingWritten(400, () -> post(port, "/v1/traces", PROTOBUF, truncated));
    AggregatedHttpResponse response = post(port, "/v1/traces", PROTOBUF, truncated);
    assertThat(com.google.rpc.Status.parseFrom(response.content().array()).getMessage()).contains("truncated");
    byte[] garbage = new byte[1000];
    new Random(7).nextBytes(garbage);
    assertRefusedAndNothingWritten(400, () -> post(port, "/v1/logs", PROTOBUF, garbage));
    assertRefusedAndNothingWritten(400, () -> post(port, "/v1/metrics", PROTOBUF, garbage));
  }

  @Test
  void shouldAnswer400InJsonForMalformedJson() throws Exception {
    Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());
    for (String json : List.of("{\"resourceSpans\":[", "not json", "{\"resourceSpans\":[{\"scopeSpans\":7}]}")) {
      AggregatedHttpResponse response = post(port, "/v1/traces", MediaType.JSON, json.getBytes(UTF_8));
      assertThat(response.status().code()).as(json).isEqualTo(400);
      com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder();
      JsonFormat.parser().merge(response.contentUtf8(), status);
      assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT.value());
      assertThat(status.getMessage()).isNotBlank();
    }
    assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);
  }

  @Test
  void shouldAnswer413ForOversizeBodiesAndGzipBombs() throws Exception {
    byte[] big = OtlpSamples.traces(resource("big"), scope("s"), List.of(span(500, 1).toBuilder()
        .setName("x".repeat(MAX_REQUEST_BYTES)).build())).toByteArray();
    assertRefusedAndNothingWritten(413, () -> post(port, "/v1/traces", PROTOBUF, big));
    // Without Content-Length: streamed in chunks.
    assertRefusedAndNothingWritten(413, () -> {
      HttpRequestWriter streaming = HttpRequest.streaming(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
          .contentType(PROTOBUF).build());
      for (int offset = 0; offset < big.length; offset += 64 * 1024) {
        streaming.write(HttpData.wrap(big, offset, Math.min(64 * 1024, big.length - offset)));
      }
      streaming.close();
      return GatewayTestSupport.http(port).execute(streaming);
    });
    // 64 MiB of zeros compress to about 64 KiB: small on the wire, too large once inflated.
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(MAX_REQUEST_BYTES);
    assertRefusedAndNothingWritten(413, () -> post(port, "/v1/traces", PROTOBUF, bomb, "content-encoding", "gzip"));
  }

  @Test
  void shouldAnswer400ForDeeplyNestedJsonAndProtobuf() throws Exception {
    // An attribute value nested 5000 levels deep: the JSON reader's nesting limit refuses it.
    String nested = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":".repeat(5000) + "{}"
        + "}]}}".repeat(5000);
    byte[] json = ("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"deep\",\"value\":" + nested
        + "}]}}]}").getBytes(UTF_8);
    byte[] brackets = ("{\"resourceSpans\":" + "[".repeat(100_000)).getBytes(UTF_8);
    Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());
    for (byte[] body : List.of(json, brackets)) {
      AggregatedHttpResponse response = post(port, "/v1/traces", MediaType.JSON, body);
      assertThat(response.status().code()).isEqualTo(400);
      assertThat(response.contentUtf8()).contains("invalid");
    }
    assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);
    // The same in protobuf, deeper than protobuf-java's recursion limit of 100.
    io.opentelemetry.proto.common.v1.AnyValue value = OtlpSamples.string("leaf");
    for (int i = 0; i < 150; i++) {
      value = io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setKvlistValue(
          io.opentelemetry.proto.common.v1.KeyValueList.newBuilder().addValues(OtlpSamples.attribute("k", value))).build();
    }
    byte[] deep = OtlpSamples.traces(resource("deep"), scope("s"), List.of(span(700, 1).toBuilder()
        .addAttributes(OtlpSamples.attribute("deep", value)).build())).toByteArray();
    assertRefusedAndNothingWritten(400, () -> post(port, "/v1/traces", PROTOBUF, deep));
  }

  @Test
  void shouldAnswer415ForUnknownContentTypesAndEncodings() throws Exception {
    byte[] body = OtlpSamples.interleavedTraces(1, 1, 600).toByteArray();
    assertRefusedAndNothingWritten(415, () -> post(port, "/v1/traces", MediaType.PLAIN_TEXT_UTF_8, body));
    assertRefusedAndNothingWritten(415, () -> post(port, "/v1/logs", MediaType.OCTET_STREAM, body));
    assertRefusedAndNothingWritten(415, () -> post(port, "/v1/traces", PROTOBUF, body, "content-encoding", "br"));
  }

  @Test
  void shouldAnswer405ForOtherMethods() throws Exception {
    assertRefusedAndNothingWritten(405, () -> GatewayTestSupport.http(port).get("/v1/traces"));
    AggregatedHttpResponse put = GatewayTestSupport.http(port).execute(HttpRequest.of(
        RequestHeaders.builder(HttpMethod.PUT, "/v1/metrics").contentType(PROTOBUF).build(), HttpData.empty()));
    assertThat(put.status().code()).isEqualTo(405);
    assertThat(put.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
  }

  @Test
  void shouldAnswer429WithRetryAfterWhenInFlightBytesExceedTheCap() throws Exception {
    GatewayConfig config = GatewayTestSupport.config(kafka, topics).maxInFlightBytes(1024).build();
    try (OtlpGateway small = OtlpGateway.start(config)) {
      Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(small::isReady);
      byte[] first = OtlpSamples.interleavedTraces(1, 2, 700).toByteArray();
      byte[] second = OtlpSamples.interleavedTraces(1, 2, 701).toByteArray();
      Map<TopicPartition, Long> before = endOffsets(kafka, topics.all());

      // The first request stays in flight: its body arrives in two parts.
      HttpRequestWriter slow = HttpRequest.streaming(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
          .contentType(PROTOBUF).contentLength(first.length).build());
      slow.write(HttpData.wrap(first, 0, 10));
      CompletableFuture<AggregatedHttpResponse> firstResponse =
          WebClient.of("http://127.0.0.1:" + small.httpPort()).execute(slow).aggregate();
      Awaitility.await("first request in flight").atMost(Duration.ofSeconds(10))
          .until(() -> inFlightBytes(small.httpPort()) > 0);

      AggregatedHttpResponse refused = post(small.httpPort(), "/v1/traces", PROTOBUF, second);
      assertThat(refused.status().code()).isEqualTo(429);
      assertThat(refused.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
      assertThat(com.google.rpc.Status.parseFrom(refused.content().array()).getCode())
          .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED.value());
      assertThat(endOffsets(kafka, topics.all())).isEqualTo(before);

      slow.write(HttpData.wrap(first, 10, first.length - 10));
      slow.close();
      assertThat(firstResponse.get().status().code()).isEqualTo(200);
      assertThat(writtenSpans(Set.of(traceId(700), traceId(701)))).hasSize(2).allMatch(s -> s.getTraceId().equals(traceId(700)));
    }
  }

  static double inFlightBytes(int httpPort) {
    String metrics = GatewayTestSupport.http(httpPort).get("/metrics").contentUtf8();
    return metrics.lines().filter(l -> l.startsWith("tributary_gateway_inflight_bytes "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
  }

  @Test
  void shouldIgnoreAClientSetTenantHeader() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.interleavedTraces(1, 1, 800);
    assertThat(post(port, "/v1/traces", PROTOBUF, request.toByteArray(), TelemetryHeaders.TENANT, "intruder",
        "x-scope-orgid", "intruder").status().code()).isEqualTo(200);
    ConsumerRecord<byte[], byte[]> record = readAll(kafka, topics.spans()).stream()
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(hex(traceId(800)))).findFirst().orElseThrow();
    assertThat(new String(record.headers().lastHeader(TelemetryHeaders.TENANT).value(), UTF_8))
        .isEqualTo(TelemetryHeaders.DEFAULT_TENANT);
  }

  @Test
  void shouldRecordTheConnectionsAddressNotAClientSetOne() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.interleavedTraces(1, 1, 810);
    assertThat(post(port, "/v1/traces", PROTOBUF, request.toByteArray(), TelemetryHeaders.CLIENT_ADDRESS, "10.9.9.9",
        "x-forwarded-for", "10.9.9.9").status().code()).isEqualTo(200);
    ConsumerRecord<byte[], byte[]> record = readAll(kafka, topics.spans()).stream()
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(hex(traceId(810)))).findFirst().orElseThrow();
    // No proxy is declared trusted, so a forwarded-for header must not choose the pod a record is enriched with.
    assertThat(record.headers().headers(TelemetryHeaders.CLIENT_ADDRESS)).hasSize(1)
        .allSatisfy(h -> assertThat(new String(h.value(), UTF_8)).isEqualTo("127.0.0.1"));
  }

  @Test
  void shouldAcceptAnEmptyRequest() throws Exception {
    assertThat(post(port, "/v1/traces", PROTOBUF, new byte[0]).status().code()).isEqualTo(200);
    assertThat(post(port, "/v1/logs", MediaType.JSON, "{}".getBytes(UTF_8)).status().code()).isEqualTo(200);
  }

}
