package io.tributary.schemas.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tributary.schemas.TestRecords;
import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpRequestsTest {

  private static final Resource A = TestRecords.resource();
  private static final Resource B = new Resource(List.of(TestRecords.kv("service.name", "billing")), 0, null);
  private static final InstrumentationScope HTTP = TestRecords.scope();
  private static final InstrumentationScope DB = new InstrumentationScope("db", "2", List.of(), 0,
      "https://opentelemetry.io/schemas/1.25.0");

  @Test
  void shouldRegroupSpansByResourceThenScopeInFirstSeenOrder() {
    ExportTraceServiceRequest request = OtlpRequests.ofSpans(List.of(span("1", A, HTTP), span("2", B, HTTP),
        span("3", A, DB), span("4", A, HTTP), span("5", B, HTTP)));

    assertThat(request.getResourceSpansList()).hasSize(2);
    assertThat(request.getResourceSpans(0).getResource()).isEqualTo(OtlpSamples.resource());
    assertThat(request.getResourceSpans(0).getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.26.0");
    assertThat(request.getResourceSpans(0).getScopeSpansList()).extracting(ScopeSpans::getScope)
        .containsExactly(OtlpSamples.scope(), AvroToOtlp.scope(DB));
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansList()).extracting(s -> s.getName())
        .containsExactly("1", "4");
    assertThat(request.getResourceSpans(0).getScopeSpans(1).getSpansList()).extracting(s -> s.getName())
        .containsExactly("3");
    assertThat(request.getResourceSpans(0).getScopeSpans(1).getSchemaUrl())
        .isEqualTo("https://opentelemetry.io/schemas/1.25.0");
    assertThat(request.getResourceSpans(1).getSchemaUrl()).isEmpty();
    assertThat(request.getResourceSpans(1).getScopeSpans(0).getSpansList()).extracting(s -> s.getName())
        .containsExactly("2", "5");
  }

  @Test
  void shouldRegroupLogRecordsByResourceAndScope() {
    LogRecord first = TestRecords.logRecord();
    LogRecord other = LogRecord.newBuilder(first).setResource(B).setEventName("other").build();
    LogRecord second = LogRecord.newBuilder(first).setEventName("second").build();

    ExportLogsServiceRequest request = OtlpRequests.ofLogRecords(List.of(first, other, second));

    assertThat(request.getResourceLogsList()).hasSize(2);
    assertThat(request.getResourceLogs(0).getScopeLogsList()).hasSize(1);
    assertThat(request.getResourceLogs(0).getScopeLogs(0).getLogRecordsList())
        .containsExactly(AvroToOtlp.logRecord(first), AvroToOtlp.logRecord(second));
    assertThat(request.getResourceLogs(1).getResource()).isEqualTo(AvroToOtlp.resource(B));
  }

  @Test
  void shouldMergeThePointsOfOneMetricAndKeepOtherMetricsApart() {
    MetricPoint sum = TestRecords.metricPoints().get(1);
    MetricPoint sameSum = point(sum, "/b", 7L).build();
    MetricPoint deltaSum = point(sum, "/c", 1L)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).build();
    MetricPoint otherResource = point(sum, "/d", 2L).setResource(B).build();

    ExportMetricsServiceRequest request = OtlpRequests.ofMetricPoints(List.of(sum, deltaSum, sameSum, otherResource));

    List<Metric> metrics = request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
    assertThat(metrics).hasSize(2);
    assertThat(metrics.get(0).getSum().getDataPointsList()).extracting(NumberDataPoint::getAsInt)
        .containsExactly(1234L, 7L);
    assertThat(metrics.get(1).getSum().getDataPointsList()).extracting(NumberDataPoint::getAsInt).containsExactly(1L);
    assertThat(request.getResourceMetrics(1).getScopeMetrics(0).getMetrics(0).getSum().getDataPointsList())
        .extracting(NumberDataPoint::getAsInt).containsExactly(2L);
    assertThat(OtlpRequests.ofMetricPoints(TestRecords.metricPoints()).getResourceMetrics(0).getScopeMetrics(0)
        .getMetricsList()).as("each type its own metric").hasSize(5);
  }

  private static MetricPoint.Builder point(MetricPoint template, String route, long value) {
    return MetricPoint.newBuilder(template).setAttributes(List.of(TestRecords.kv("route", route)))
        .setValue(new NumberValue(value));
  }

  private static Span span(String name, Resource resource, InstrumentationScope scope) {
    // Fresh copies: grouping compares resources and scopes by value, not identity.
    return Span.newBuilder(TestRecords.span()).setName(name).setSpanId("000000000000000" + name)
        .setResource(Resource.newBuilder(resource).build())
        .setScope(InstrumentationScope.newBuilder(scope).build())
        .build();
  }
}
