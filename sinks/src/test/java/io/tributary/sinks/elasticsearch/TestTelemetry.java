package io.tributary.sinks.elasticsearch;

import static io.tributary.testsupport.AvroValues.attributes;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import java.time.Instant;
import java.util.Map;

/** Telemetry records with fixed times, for the Elasticsearch sink's tests. */
public final class TestTelemetry {

  /** 2026-01-02T03:04:05.123456789Z in epoch nanoseconds. */
  public static final long T0 = Instant.parse("2026-01-02T03:04:05.123456789Z").getEpochSecond() * 1_000_000_000L
      + 123_456_789L;

  private TestTelemetry() {}

  public static String traceId(int n) {
    return String.format("%032x", 0xabc000L + n);
  }

  public static String spanId(int n) {
    return String.format("%016x", 0x5000L + n);
  }

  public static Span span(String tenant, String traceId, String spanId, String name, long startNanos, long durationNanos) {
    return Span.newBuilder()
        .setTenant(tenant)
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setName(name)
        .setKind(SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(startNanos)
        .setEndTimeUnixNano(startNanos + durationNanos)
        .setAttributes(attributes("http.route", "/checkout", "http.response.status_code", 200L))
        .setStatus(SpanStatus.newBuilder().setCode(StatusCode.OK).build())
        .setResource(resource("checkout"))
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.okhttp").setVersion("1.0").build())
        .build();
  }

  public static LogRecord log(String tenant, String body, long timeNanos) {
    return LogRecord.newBuilder()
        .setTenant(tenant)
        .setTimeUnixNano(timeNanos)
        .setObservedTimeUnixNano(timeNanos + 1_000)
        .setSeverityNumber(17)
        .setSeverityText("ERROR")
        .setBody(AnyValue.newBuilder().setValue(body).build())
        .setAttributes(attributes("exception.type", "java.io.IOException"))
        .setTraceId(traceId(1))
        .setSpanId(spanId(1))
        .setResource(resource("checkout"))
        .setScope(InstrumentationScope.newBuilder().build())
        .build();
  }

  public static MetricPoint gauge(String tenant, String name, double value, long timeNanos) {
    return MetricPoint.newBuilder()
        .setTenant(tenant)
        .setSeriesId("series-" + name)
        .setResource(resource("checkout"))
        .setScope(InstrumentationScope.newBuilder().build())
        .setName(name)
        .setUnit("ms")
        .setType(MetricType.SUM)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setIsMonotonic(true)
        .setAttributes(attributes("span.name", "GET /checkout"))
        .setStartTimeUnixNano(timeNanos - 60_000_000_000L)
        .setTimeUnixNano(timeNanos)
        .setValue(NumberValue.newBuilder().setValue(value).build())
        .build();
  }

  public static Alert alert(String tenant, String name, AlertState state, long evaluatedAtMillis) {
    return Alert.newBuilder()
        .setFingerprint("fp-" + name)
        .setTenant(tenant)
        .setAlertName(name)
        .setState(state)
        .setLabels(Map.of("service.name", "checkout", "severity", "page"))
        .setAnnotations(Map.of("summary", "error ratio above 5%"))
        .setValue(0.07)
        .setActiveAt(Instant.ofEpochMilli(evaluatedAtMillis - 60_000))
        .setEvaluatedAt(Instant.ofEpochMilli(evaluatedAtMillis))
        .setSource("spans")
        .build();
  }

  public static Resource resource(String service) {
    return Resource.newBuilder().setAttributes(attributes("service.name", service, "host.name", "node-1")).build();
  }
}
