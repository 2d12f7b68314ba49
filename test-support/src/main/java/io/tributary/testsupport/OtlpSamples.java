package io.tributary.testsupport;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * OTLP protobuf messages for tests: deterministic ids, every attribute type, fixed timestamps, and the
 * three export requests around them.
 */
public final class OtlpSamples {

  /** 2026-01-02T03:04:05Z in nanoseconds. */
  public static final long T0 = 1_767_323_045_000_000_000L;

  private OtlpSamples() {}

  /** A valid 16-byte trace id derived from {@code n} (never all zero). */
  public static ByteString traceId(long n) {
    return ByteString.copyFrom(HexFormat.of().parseHex(String.format("%016x%016x", 0x5eed0000L + n, n * 7919 + 1)));
  }

  public static ByteString spanId(long n) {
    return ByteString.copyFrom(HexFormat.of().parseHex(String.format("%016x", 0xabc00000000L + n)));
  }

  /** The id written as lowercase hex, e.g. {@code "0102030405060708090a0b0c0d0e0f10"}. */
  public static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  public static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  public static KeyValue attribute(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  public static KeyValue attribute(String key, String value) {
    return attribute(key, string(value));
  }

  public static AnyValue string(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  /** One attribute of every OTLP value type. */
  public static List<KeyValue> allTypesAttributes(String prefix) {
    return List.of(
        attribute(prefix + ".string", string("välue ✓")),
        attribute(prefix + ".bool", AnyValue.newBuilder().setBoolValue(true).build()),
        attribute(prefix + ".int", AnyValue.newBuilder().setIntValue(-42).build()),
        attribute(prefix + ".double", AnyValue.newBuilder().setDoubleValue(3.25).build()),
        attribute(prefix + ".bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, 1, -1})).build()),
        attribute(prefix + ".array", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(string("a")).addValues(AnyValue.newBuilder().setIntValue(7))).build()),
        attribute(prefix + ".map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(attribute("nested", string("x")))).build()));
  }

  public static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(attribute("service.name", string(service)))
        .addAttributes(attribute("deployment.environment", string("test")))
        .build();
  }

  public static InstrumentationScope scope(String name) {
    return InstrumentationScope.newBuilder().setName(name).setVersion("1.2.3").build();
  }

  public static Span span(ByteString traceId, ByteString spanId, ByteString parentSpanId, String name) {
    Span.Builder span = Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(T0)
        .setEndTimeUnixNano(T0 + 1_500_000)
        .addAllAttributes(allTypesAttributes("attr"))
        .addEvents(Span.Event.newBuilder().setName("event").setTimeUnixNano(T0 + 1000)
            .addAttributes(attribute("event.key", string("v"))))
        .addLinks(Span.Link.newBuilder().setTraceId(traceId(999)).setSpanId(spanId(999))
            .addAttributes(attribute("link.key", string("v"))))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"));
    if (parentSpanId != null) {
      span.setParentSpanId(parentSpanId);
    }
    return span.build();
  }

  public static Span span(long trace, long spanNumber) {
    return span(traceId(trace), spanId(spanNumber), null, "span-" + spanNumber);
  }

  /** Spans of {@code traces} traces, {@code spansPerTrace} each, interleaved, under two resources and scopes. */
  public static ExportTraceServiceRequest interleavedTraces(int traces, int spansPerTrace, long firstTrace) {
    List<Span> spans = new ArrayList<>();
    long spanNumber = firstTrace * 10_000;
    for (int s = 0; s < spansPerTrace; s++) {
      for (int t = 0; t < traces; t++) {
        spans.add(span(firstTrace + t, spanNumber++));
      }
    }
    int half = spans.size() / 2;
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("checkout")).setSchemaUrl("https://schema/1")
            .addScopeSpans(ScopeSpans.newBuilder().setScope(scope("http")).addAllSpans(spans.subList(0, half / 2)))
            .addScopeSpans(ScopeSpans.newBuilder().setScope(scope("db")).setSchemaUrl("https://schema/s")
                .addAllSpans(spans.subList(half / 2, half))))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("payments"))
            .addScopeSpans(ScopeSpans.newBuilder().setScope(scope("grpc")).addAllSpans(spans.subList(half, spans.size()))))
        .build();
  }

  public static ExportTraceServiceRequest traces(Resource resource, InstrumentationScope scope, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
        .addScopeSpans(ScopeSpans.newBuilder().setScope(scope).addAllSpans(spans))).build();
  }

  public static LogRecord logRecord(String body, ByteString traceId, ByteString spanId) {
    LogRecord.Builder log = LogRecord.newBuilder()
        .setTimeUnixNano(T0)
        .setObservedTimeUnixNano(T0 + 5)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
        .setSeverityText("WARN")
        .setBody(string(body))
        .addAllAttributes(allTypesAttributes("log"));
    if (traceId != null) {
      log.setTraceId(traceId);
    }
    if (spanId != null) {
      log.setSpanId(spanId);
    }
    return log.build();
  }

  public static ExportLogsServiceRequest logs(Resource resource, List<LogRecord> records) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource)
        .addScopeLogs(ScopeLogs.newBuilder().setScope(scope("logger")).addAllLogRecords(records))).build();
  }

  public static Metric gauge(String name, double... values) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < values.length; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T0 + i).setAsDouble(values[i])
          .addAttributes(attribute("point", string("p" + i))));
    }
    return Metric.newBuilder().setName(name).setUnit("1").setDescription("a gauge").setGauge(gauge).build();
  }

  public static Metric counter(String name, long value) {
    return Metric.newBuilder().setName(name).setUnit("{requests}")
        .setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(T0).setTimeUnixNano(T0 + 10).setAsInt(value)))
        .build();
  }

  public static Metric histogram(String name) {
    return Metric.newBuilder().setName(name).setUnit("ms")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(T0).setTimeUnixNano(T0 + 10)
                .setCount(3).setSum(7.5).addBucketCounts(1).addBucketCounts(2).addExplicitBounds(2.0)
                .setMin(1).setMax(4)))
        .build();
  }

  public static ExportMetricsServiceRequest metrics(Resource resource, List<Metric> metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope("meter")).addAllMetrics(metrics))).build();
  }
}
