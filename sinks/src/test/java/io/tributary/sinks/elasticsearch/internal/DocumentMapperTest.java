package io.tributary.sinks.elasticsearch.internal;

import static io.tributary.sinks.elasticsearch.TestTelemetry.T0;
import static io.tributary.sinks.elasticsearch.TestTelemetry.spanId;
import static io.tributary.sinks.elasticsearch.TestTelemetry.traceId;
import static io.tributary.testsupport.AvroValues.attributes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.schemas.avro.AlertState;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Span;
import io.tributary.sinks.elasticsearch.TestTelemetry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final DocumentMapper mapper = new DocumentMapper(false);

  @Test
  void shouldShapeSpanForSearchWithTraceAndSpanIdAsId() throws Exception {
    Span span = TestTelemetry.span("acme", traceId(1), spanId(2), "GET /checkout", T0, 1_500_000);
    span.setParentSpanId(spanId(1));

    DocumentMapper.Document doc = mapper.map(span, 0);
    JsonNode json = JSON.readTree(doc.json());

    assertThat(doc.id()).isEqualTo(traceId(1) + spanId(2));
    assertThat(json.path("@timestamp").asText()).isEqualTo("2026-01-02T03:04:05.123456789Z");
    assertThat(json.path("end_timestamp").asText()).isEqualTo("2026-01-02T03:04:05.124956789Z");
    assertThat(json.path("duration").asLong()).isEqualTo(1_500_000);
    assertThat(json.path("trace_id").asText()).isEqualTo(traceId(1));
    assertThat(json.path("span_id").asText()).isEqualTo(spanId(2));
    assertThat(json.path("parent_span_id").asText()).isEqualTo(spanId(1));
    assertThat(json.path("name").asText()).isEqualTo("GET /checkout");
    assertThat(json.path("kind").asText()).isEqualTo("server");
    assertThat(json.path("status").path("code").asText()).isEqualTo("ok");
    assertThat(json.path("service").path("name").asText()).isEqualTo("checkout");
    assertThat(json.path("tenant").asText()).isEqualTo("acme");
    assertThat(json.path("attributes").path("http.route").asText()).isEqualTo("/checkout");
    assertThat(json.path("attributes").path("http.response.status_code").asLong()).isEqualTo(200);
    assertThat(json.path("resource").path("attributes").path("host.name").asText()).isEqualTo("node-1");
    assertThat(json.path("scope").path("name").asText()).isEqualTo("io.opentelemetry.okhttp");
  }

  @Test
  void shouldAddTenantToSpanIdsWhenTenantsShareDataStreams() {
    Span span = TestTelemetry.span("Acme-EU", traceId(1), spanId(2), "op", T0, 1);

    assertThat(new DocumentMapper(true).map(span, 0).id()).isEqualTo(traceId(1) + spanId(2) + "-acme_eu");
  }

  @Test
  void shouldGiveEqualRecordsEqualIdsAndDifferentRecordsDifferentIds() {
    LogRecord a = TestTelemetry.log("acme", "payment failed", T0);
    LogRecord same = TestTelemetry.log("acme", "payment failed", T0);
    LogRecord otherBody = TestTelemetry.log("acme", "payment failed!", T0);
    LogRecord otherTenant = TestTelemetry.log("globex", "payment failed", T0);

    String id = mapper.map(a, 0).id();

    assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+");
    assertThat(new DocumentMapper(false).map(same, 0).id()).isEqualTo(id);
    assertThat(mapper.map(otherBody, 0).id()).isNotEqualTo(id);
    assertThat(mapper.map(otherTenant, 0).id()).isNotEqualTo(id);
  }

  @Test
  void shouldPutStringBodiesInTextAndOthersInStructured() throws Exception {
    LogRecord text = TestTelemetry.log("acme", "payment failed", T0);
    LogRecord structured = TestTelemetry.log("acme", "x", T0);
    structured.setBody(AnyValue.newBuilder().setValue(KeyValueList.newBuilder()
        .setValues(attributes("order", 42L, "items", ArrayValue.newBuilder().setValues(List.of(
            AnyValue.newBuilder().setValue("a").build(), AnyValue.newBuilder().setValue(true).build())).build()))
        .build()).build());

    JsonNode t = JSON.readTree(mapper.map(text, 0).json());
    JsonNode s = JSON.readTree(mapper.map(structured, 0).json());

    assertThat(t.path("body").path("text").asText()).isEqualTo("payment failed");
    assertThat(t.path("severity_text").asText()).isEqualTo("ERROR");
    assertThat(t.path("severity_number").asInt()).isEqualTo(17);
    assertThat(t.path("trace_id").asText()).isEqualTo(traceId(1));
    assertThat(s.path("body").has("text")).isFalse();
    assertThat(s.path("body").path("structured").path("order").asLong()).isEqualTo(42);
    assertThat(s.path("body").path("structured").path("items").get(1).asBoolean()).isTrue();
  }

  @Test
  void shouldFallBackToObservedThenKafkaTimeWhenTimeIsUnknown() throws Exception {
    LogRecord observedOnly = TestTelemetry.log("acme", "x", T0);
    observedOnly.setTimeUnixNano(0);
    LogRecord noTimes = TestTelemetry.log("acme", "x", T0);
    noTimes.setTimeUnixNano(0);
    noTimes.setObservedTimeUnixNano(0);

    assertThat(JSON.readTree(mapper.map(observedOnly, 5).json()).path("@timestamp").asText())
        .isEqualTo("2026-01-02T03:04:05.123457789Z");
    assertThat(JSON.readTree(mapper.map(noTimes, 1_700_000_000_123L).json()).path("@timestamp").asText())
        .isEqualTo("2023-11-14T22:13:20.123000000Z");
  }

  @Test
  void shouldKeepFirstOfDuplicateKeysAndTypedValues() throws Exception {
    Span span = TestTelemetry.span("acme", traceId(1), spanId(1), "op", T0, 1);
    span.setAttributes(attributes("k", "first", "k", "second", "ratio", Double.NaN, "blob",
        ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)), "empty", null));

    JsonNode attributes = JSON.readTree(mapper.map(span, 0).json()).path("attributes");

    assertThat(attributes.path("k").asText()).isEqualTo("first");
    assertThat(attributes.path("ratio").asText()).isEqualTo("NaN");
    assertThat(attributes.path("blob").asText()).isEqualTo("aGk=");
    assertThat(attributes.path("empty").isNull()).isTrue();
  }

  @Test
  void shouldKeepTooDeepValuesAsText() throws Exception {
    AnyValue deep = AnyValue.newBuilder().setValue("leaf").build();
    for (int i = 0; i < DocumentMapper.MAX_DEPTH + 2; i++) {
      deep = AnyValue.newBuilder().setValue(KeyValueList.newBuilder()
          .setValues(List.of(io.tributary.schemas.avro.KeyValue.newBuilder().setKey("n").setValue(deep).build()))
          .build()).build();
    }
    Span span = TestTelemetry.span("acme", traceId(1), spanId(1), "op", T0, 1);
    span.setAttributes(List.of(io.tributary.schemas.avro.KeyValue.newBuilder().setKey("deep").setValue(deep).build()));

    JsonNode node = JSON.readTree(mapper.map(span, 0).json()).path("attributes").path("deep");
    int depth = 0;
    while (node.isObject()) {
      node = node.path("n");
      depth++;
    }

    assertThat(depth).isLessThanOrEqualTo(DocumentMapper.MAX_DEPTH);
    assertThat(node.isTextual()).isTrue();
    assertThat(node.asText()).contains("leaf");
  }

  @Test
  void shouldWriteNonFiniteMetricValuesAsText() throws Exception {
    MetricPoint stale = TestTelemetry.gauge("acme", "queue_depth", Double.NaN, T0);
    stale.setFlags(1);
    MetricPoint counter = TestTelemetry.gauge("acme", "requests", 0, T0);
    counter.setValue(NumberValue.newBuilder().setValue(12L).build());

    JsonNode s = JSON.readTree(mapper.map(stale, 0).json());
    JsonNode c = JSON.readTree(mapper.map(counter, 0).json());

    assertThat(s.has("value")).isFalse();
    assertThat(s.path("value_text").asText()).isEqualTo("NaN");
    assertThat(s.path("no_recorded_value").asBoolean()).isTrue();
    assertThat(c.path("value").asLong()).isEqualTo(12);
    assertThat(c.path("type").asText()).isEqualTo("sum");
    assertThat(c.path("temporality").asText()).isEqualTo("cumulative");
    assertThat(c.path("monotonic").asBoolean()).isTrue();
    assertThat(c.path("unit").asText()).isEqualTo("ms");
    assertThat(c.path("start_timestamp").asText()).isEqualTo("2026-01-02T03:03:05.123456789Z");
  }

  @Test
  void shouldWriteHistogramSummaryFieldsAndBuckets() throws Exception {
    MetricPoint h = TestTelemetry.gauge("acme", "latency", 0, T0);
    h.setType(MetricType.HISTOGRAM);
    h.setValue(HistogramValue.newBuilder().setCount(3).setSum(0.6).setMin(0.1).setMax(0.3)
        .setExplicitBounds(List.of(0.25)).setBucketCounts(List.of(2L, 1L)).build());

    JsonNode json = JSON.readTree(mapper.map(h, 0).json());

    assertThat(json.path("count").asLong()).isEqualTo(3);
    assertThat(json.path("sum").asDouble()).isEqualTo(0.6);
    assertThat(json.path("histogram").path("bounds").get(0).asDouble()).isEqualTo(0.25);
    assertThat(json.path("histogram").path("counts").size()).isEqualTo(2);
  }

  @Test
  void shouldShapeAlertsWithSortedLabels() throws Exception {
    DocumentMapper.Document doc = mapper.map(TestTelemetry.alert("acme", "HighErrorRate", AlertState.FIRING,
        1_767_323_045_000L), 0);
    JsonNode json = JSON.readTree(doc.json());

    assertThat(json.path("@timestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(json.path("alert_name").asText()).isEqualTo("HighErrorRate");
    assertThat(json.path("state").asText()).isEqualTo("firing");
    assertThat(json.path("labels").fieldNames()).toIterable().containsExactly("service.name", "severity");
    assertThat(json.path("value").asDouble()).isEqualTo(0.07);
    assertThat(json.path("active_at").asText()).isEqualTo("2026-01-02T03:03:05Z");
    assertThat(mapper.map(TestTelemetry.alert("acme", "HighErrorRate", AlertState.FIRING, 1_767_323_045_000L), 0).id())
        .isEqualTo(doc.id());
  }

  @Test
  void shouldWriteTimestampsThatParseBackToTheSameInstant() {
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 10_000; i++) {
      long nanos = i < 3 ? new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 951_782_400_000_000_000L}[i] : random.nextLong();
      java.time.Instant parsed = java.time.Instant.parse(DocumentMapper.isoNanos(nanos));
      assertThat(parsed.getEpochSecond() * 1_000_000_000L + parsed.getNano()).as("%d", nanos).isEqualTo(nanos);
    }
    assertThat(DocumentMapper.isoNanos(951_782_400_000_000_000L)).isEqualTo("2000-02-29T00:00:00Z");
  }

  @Test
  void shouldWriteTimesBeforeTheEpochAsTheyAre() {
    // Elasticsearch refuses these in date_nanos fields: the document goes to the dead-letter queue with its reason.
    assertThat(DocumentMapper.isoNanos(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
    assertThat(DocumentMapper.isoNanos(0)).isEqualTo("1970-01-01T00:00:00Z");
  }
}
