package io.tributary.schemas.otlp;

import static io.tributary.schemas.TestRecords.PARENT_SPAN_ID;
import static io.tributary.schemas.TestRecords.SPAN_ID;
import static io.tributary.schemas.TestRecords.T0_NANOS;
import static io.tributary.schemas.TestRecords.TRACE_ID;
import static io.tributary.schemas.otlp.OtlpSamples.id;
import static io.tributary.schemas.otlp.OtlpSamples.integer;
import static io.tributary.schemas.otlp.OtlpSamples.kv;
import static io.tributary.schemas.otlp.OtlpSamples.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.schemas.TestRecords;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvroToOtlpTest {

  private static final long START = T0_NANOS - 60_000_000_000L;

  @Test
  void shouldConvertEveryFieldOfASpanWithItsSamplingPolicyAsAnAttribute() {
    List<KeyValue> attributes = new ArrayList<>(OtlpSamples.everyAnyValueVariant());
    attributes.add(kv(AvroToOtlp.SAMPLING_POLICY_ATTRIBUTE, "errors"));
    Span expected = Span.newBuilder()
        .setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID)).setParentSpanId(id(PARENT_SPAN_ID))
        .setTraceState("vendor=abc").setFlags(0x101).setName("POST /api/orders")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(T0_NANOS).setEndTimeUnixNano(T0_NANOS + 1_250_000)
        .addAllAttributes(attributes).setDroppedAttributesCount(2)
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(T0_NANOS + 1_000).setName("exception")
            .addAttributes(kv("exception.type", "java.io.IOException")).addAttributes(kv("exception.message", "reset")))
        .setDroppedEventsCount(1)
        .addLinks(Span.Link.newBuilder().setTraceId(id("0af7651916cd43dd8448eb211c80319c"))
            .setSpanId(id("b7ad6b7169203331")).addAttributes(kv("link.kind", "batch")).setFlags(1))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("upstream timed out"))
        .build();

    assertThat(AvroToOtlp.span(TestRecords.span())).isEqualTo(expected);
  }

  @Test
  void shouldLetTheDecidingPolicyReplaceAnAttributeOfItsKeyAndLeaveItWithoutOne() {
    io.tributary.schemas.avro.Span forged = io.tributary.schemas.avro.Span.newBuilder(TestRecords.span())
        .setAttributes(List.of(TestRecords.kv(AvroToOtlp.SAMPLING_POLICY_ATTRIBUTE, "forged"), TestRecords.kv("a", "b")))
        .setSamplingPolicy("slow")
        .build();

    assertThat(AvroToOtlp.span(forged).getAttributesList())
        .containsExactly(kv("a", "b"), kv(AvroToOtlp.SAMPLING_POLICY_ATTRIBUTE, "slow"));
    assertThat(AvroToOtlp.span(io.tributary.schemas.avro.Span.newBuilder(forged).setSamplingPolicy(null).build())
        .getAttributesList()).as("not sampled: the attribute stays as sent")
        .containsExactly(kv(AvroToOtlp.SAMPLING_POLICY_ATTRIBUTE, "forged"), kv("a", "b"));
  }

  @Test
  void shouldConvertEveryFieldOfALogRecord() {
    LogRecord expected = LogRecord.newBuilder()
        .setTimeUnixNano(T0_NANOS).setObservedTimeUnixNano(T0_NANOS + 5)
        .setSeverityNumberValue(17).setSeverityText("ERROR")
        .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(kv("message", "payment failed")).addValues(kv("attempt", integer(3)))))
        .addAttributes(kv("code.function", "charge"))
        .setFlags(1).setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID)).setEventName("payment.failure")
        .build();

    assertThat(AvroToOtlp.logRecord(TestRecords.logRecord())).isEqualTo(expected);
    assertThat(AvroToOtlp.logRecord(TestRecords.minimalLogRecord()))
        .isEqualTo(LogRecord.newBuilder().setBody(str("hello")).build());
  }

  @Test
  void shouldLeaveTheBodyOfALogRecordWithoutOneUnset() {
    io.tributary.schemas.avro.LogRecord noBody = io.tributary.schemas.avro.LogRecord.newBuilder(
        TestRecords.minimalLogRecord()).setBody(TestRecords.value(null)).build();

    assertThat(AvroToOtlp.logRecord(noBody).hasBody()).isFalse();
  }

  @Test
  void shouldConvertAPointOfEveryMetricTypeWithItsExemplarsAndFlags() {
    List<KeyValue> attributes = List.of(kv("http.method", "GET"), kv("shard", integer(3)));
    List<Exemplar> exemplars = List.of(
        Exemplar.newBuilder().setTimeUnixNano(T0_NANOS - 1).setAsDouble(12.5d).setTraceId(id(TRACE_ID))
            .setSpanId(id(SPAN_ID)).addFilteredAttributes(kv("user", "u1")).build(),
        Exemplar.newBuilder().setTimeUnixNano(T0_NANOS - 2).setAsInt(7).build());
    List<Metric> expected = List.of(
        metric("system.cpu.utilization", "1").setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .addAllAttributes(attributes).setStartTimeUnixNano(START).setTimeUnixNano(T0_NANOS).setAsDouble(0.42d)
            .addAllExemplars(exemplars))).build(),
        metric("http.server.requests", "{request}").setSum(Sum.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).setIsMonotonic(true)
            .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(attributes).setStartTimeUnixNano(START)
                .setTimeUnixNano(T0_NANOS).setAsInt(1234).addAllExemplars(exemplars))).build(),
        metric("http.server.duration", "ms").setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(HistogramDataPoint.newBuilder().addAllAttributes(attributes).setStartTimeUnixNano(START)
                .setTimeUnixNano(T0_NANOS).setCount(10).setSum(123.5d).setMin(0.5d).setMax(80.0d)
                .addAllBucketCounts(List.of(1L, 4L, 5L)).addAllExplicitBounds(List.of(5.0d, 25.0d))
                .addAllExemplars(exemplars))).build(),
        metric("rpc.duration", "s").setExponentialHistogram(ExponentialHistogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().addAllAttributes(attributes)
                .setStartTimeUnixNano(START).setTimeUnixNano(T0_NANOS).setCount(7).setSum(3.25d).setScale(3)
                .setZeroCount(1).setZeroThreshold(1e-9d)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-2)
                    .addAllBucketCounts(List.of(1L, 2L, 3L)))
                .setNegative(ExponentialHistogramDataPoint.Buckets.getDefaultInstance())
                .setMin(0.01d).setMax(1.5d).addAllExemplars(exemplars))).build(),
        metric("jvm.gc.pause", "ms").setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
            .addAllAttributes(attributes).setStartTimeUnixNano(START).setTimeUnixNano(T0_NANOS).setCount(3)
            .setSum(42.0d)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5d).setValue(10.0d))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99d).setValue(30.0d))))
            .build());

    assertThat(TestRecords.metricPoints()).extracting(AvroToOtlp::metric).containsExactlyElementsOf(expected);
  }

  @Test
  void shouldKeepTheStalenessFlagOfAPoint() {
    MetricPoint stale = MetricPoint.newBuilder(TestRecords.metricPoints().get(0)).setFlags(1).build();

    assertThat(AvroToOtlp.metric(stale).getGauge().getDataPoints(0).getFlags()).isEqualTo(1);
  }

  @Test
  void shouldRefuseAnIdThatIsNotHexOfItsLengthNamingTheField() {
    io.tributary.schemas.avro.Span badTrace = io.tributary.schemas.avro.Span.newBuilder(TestRecords.span())
        .setTraceId("abc").build();
    io.tributary.schemas.avro.LogRecord badSpan = io.tributary.schemas.avro.LogRecord.newBuilder(TestRecords.logRecord())
        .setSpanId("zzzzzzzzzzzzzzzz").build();

    assertThatThrownBy(() -> AvroToOtlp.span(badTrace)).isInstanceOf(OtlpConversionException.class)
        .hasMessage("traceId: 'abc' (expected: 32 hex characters)");
    assertThatThrownBy(() -> AvroToOtlp.logRecord(badSpan)).isInstanceOf(OtlpConversionException.class)
        .hasMessage("spanId: 'zzzzzzzzzzzzzzzz' is not hex");
  }

  @Test
  void shouldRefuseAValueOfAnotherKindThanTheMetricType() {
    MetricPoint histogramWithNumber = MetricPoint.newBuilder(TestRecords.metricPoints().get(2))
        .setType(MetricType.HISTOGRAM).setValue(new NumberValue(1.0d)).build();

    assertThatThrownBy(() -> AvroToOtlp.metric(histogramWithNumber)).isInstanceOf(OtlpConversionException.class)
        .hasMessage("value of HISTOGRAM metric 'http.server.duration': NumberValue (expected: HistogramValue)");
  }

  private static Metric.Builder metric(String name, String unit) {
    return Metric.newBuilder().setName(name).setDescription("about " + name).setUnit(unit);
  }
}
