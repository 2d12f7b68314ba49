package io.tributary.schemas.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

  private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN_ID = "eee19b7ec3c1b174";

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  @Test
  void shouldReadHexIdsInJsonAndTurnInvalidOnesIntoRejectableIds() throws Exception {
    String json = """
        {"resource_spans":[{"scope_spans":[{"spans":[
          {"trace_id":"5B8EFFF798038103D269B633813FC60C","span_id":"eee19b7ec3c1b174","name":"upper-case hex, snake_case keys"},
          {"traceId":"5b8efff798038103d269b633813fc6","spanId":"eee19b7ec3c1b17z","parentSpanId":"","name":"bad"}]}]}]}
        """;

    ExportTraceServiceRequest request = OtlpJson.merge(utf8(json), ExportTraceServiceRequest.newBuilder()).build();

    List<Span> spans = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertThat(HexFormat.of().formatHex(spans.get(0).getTraceId().toByteArray())).isEqualTo(TRACE_ID);
    assertThat(spans.get(1).getTraceId().size()).as("15 bytes of valid hex stay 15 bytes").isEqualTo(15);
    assertThat(spans.get(1).getSpanId().size()).as("not hex: a one-byte id the splitter rejects").isEqualTo(1);
    assertThat(spans.get(1).getParentSpanId().isEmpty()).isTrue();
  }

  @Test
  void shouldSayWhetherTheJsonOrItsOtlpShapeIsWrong() {
    assertThatThrownBy(() -> OtlpJson.merge(utf8("{\"resourceSpans\":"), ExportTraceServiceRequest.newBuilder()))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageStartingWith("invalid JSON: ");
    assertThatThrownBy(() -> OtlpJson.merge(utf8("{\"resourceLogs\":{}}"), ExportLogsServiceRequest.newBuilder()))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageStartingWith("invalid OTLP/JSON: ");
  }

  @Test
  void shouldReadWhatTheCollectorWritesEnumsAsNumbersAndLongsAsStrings() throws Exception {
    String json = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"%s","spanId":"%s","name":"GET",
          "kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000005000000",
          "status":{"code":2,"message":"boom"},"unknownField":{"ignored":true}}]}]}]}
        """.formatted(TRACE_ID, SPAN_ID);

    Span span = OtlpJson.merge(utf8(json), ExportTraceServiceRequest.newBuilder()).build()
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);

    assertThat(span).isEqualTo(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID)).setName("GET")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(1_700_000_000_000_000_000L)
        .setEndTimeUnixNano(1_700_000_000_005_000_000L)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom")).build());
  }

  @Test
  void shouldPrintHexIdsAndEnumNumbersAndReadItsOwnOutputBack() throws Exception {
    ExportTraceServiceRequest traces = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID)).setParentSpanId(id(SPAN_ID))
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addLinks(Span.Link.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID))))))
        .build();
    ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("m").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(3).addExemplars(Exemplar.newBuilder()
                    .setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID)).setAsDouble(1.5)))))))
        .build();

    String printed = new String(OtlpJson.print(traces), StandardCharsets.UTF_8);

    assertThat(printed).isEqualTo("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + TRACE_ID
        + "\",\"spanId\":\"" + SPAN_ID + "\",\"parentSpanId\":\"" + SPAN_ID + "\",\"kind\":3,\"links\":[{\"traceId\":\""
        + TRACE_ID + "\",\"spanId\":\"" + SPAN_ID + "\"}]}]}]}]}");
    assertThat(OtlpJson.merge(OtlpJson.print(traces), ExportTraceServiceRequest.newBuilder()).build()).isEqualTo(traces);
    assertThat(new String(OtlpJson.print(metrics), StandardCharsets.UTF_8))
        .contains("\"spanId\":\"" + SPAN_ID + "\",\"traceId\":\"" + TRACE_ID + "\"");
    assertThat(OtlpJson.merge(OtlpJson.print(metrics), ExportMetricsServiceRequest.newBuilder()).build()).isEqualTo(metrics);
  }

  @Test
  void shouldTellJsonFromProtobufByTheFirstByteAfterWhitespace() {
    assertThat(OtlpJson.startsLikeJson(utf8("{}"))).isTrue();
    assertThat(OtlpJson.startsLikeJson(utf8(" \t\r\n{\"resourceSpans\":[]}"))).isTrue();
    assertThat(OtlpJson.startsLikeJson(new byte[0])).isFalse();
    assertThat(OtlpJson.startsLikeJson(utf8("  "))).isFalse();
    assertThat(OtlpJson.startsLikeJson(utf8("[{}]"))).isFalse();
    assertThat(OtlpJson.startsLikeJson(ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setSchemaUrl("s")).build().toByteArray())).isFalse();
  }
}
