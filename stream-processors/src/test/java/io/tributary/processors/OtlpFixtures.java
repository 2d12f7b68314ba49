package io.tributary.processors;

import static io.tributary.testsupport.AvroValues.kv;
import static io.tributary.testsupport.OtlpSamples.attribute;
import static io.tributary.testsupport.OtlpSamples.id;
import static io.tributary.testsupport.OtlpSamples.string;

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
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full OTLP requests of each signal, every field set, and the Avro records they must normalize to,
 * written out by hand (not derived by the code under test).
 */
public final class OtlpFixtures {

  public static final String TENANT = "acme";
  public static final String TRACE_ID = "0102030405060708090a0b0c0d0e0f10";
  public static final String OTHER_TRACE_ID = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";
  public static final String SPAN_ID = "1112131415161718";
  public static final String PARENT_SPAN_ID = "2122232425262728";
  public static final String ROOT_SPAN_ID = "3132333435363738";
  public static final String LINKED_SPAN_ID = "4142434445464748";
  public static final long T0 = 1_700_000_000_000_000_000L;
  static final String RESOURCE_SCHEMA = "https://opentelemetry.io/schemas/1.26.0";
  static final String SCOPE_SCHEMA = "https://opentelemetry.io/schemas/1.25.0";

  private OtlpFixtures() {}

  // ---- the resource and scope every fixture uses: every AnyValue type ----

  public static Resource resource() {
    return Resource.newBuilder()
        .addAttributes(attribute("service.name", "checkout"))
        .addAttributes(attribute("host.cores", AnyValue.newBuilder().setIntValue(8).build()))
        .addAttributes(attribute("debug", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(attribute("sample.ratio", AnyValue.newBuilder().setDoubleValue(0.25).build()))
        .addAttributes(attribute("raw", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3})).build()))
        .addAttributes(attribute("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(string("a")).addValues(AnyValue.newBuilder().setIntValue(1).build())).build()))
        .addAttributes(attribute("nested", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(attribute("inner", "v"))).build()))
        .addAttributes(attribute("empty", AnyValue.getDefaultInstance()))
        .addAttributes(attribute("profiling.only", AnyValue.newBuilder().setStringValueStrindex(3).build()))
        .setDroppedAttributesCount(1)
        .build();
  }

  /**
   * {@link #resource()} as a pipeline writes it back as OTLP: {@code string_value_strindex} belongs to
   * profiles (other signals treat it as absent, says OTLP), so that value comes back empty.
   */
  public static Resource resourceAsWritten() {
    return resource().toBuilder().setAttributes(8, attribute("profiling.only", AnyValue.getDefaultInstance())).build();
  }

  public static io.tributary.schemas.avro.Resource avroResource() {
    return new io.tributary.schemas.avro.Resource(List.of(
        kv("service.name", "checkout"),
        kv("host.cores", 8L),
        kv("debug", true),
        kv("sample.ratio", 0.25),
        kv("raw", ByteBuffer.wrap(new byte[] {1, 2, 3})),
        kv("tags", new io.tributary.schemas.avro.ArrayValue(List.of(
            new io.tributary.schemas.avro.AnyValue("a"), new io.tributary.schemas.avro.AnyValue(1L)))),
        kv("nested", new io.tributary.schemas.avro.KeyValueList(List.of(kv("inner", "v")))),
        kv("empty", null),
        kv("profiling.only", null)), 1, RESOURCE_SCHEMA);
  }

  public static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder().setName("io.tributary.test").setVersion("1.2.3")
        .addAttributes(attribute("scope.attr", "x")).setDroppedAttributesCount(2).build();
  }

  public static io.tributary.schemas.avro.InstrumentationScope avroScope() {
    return new io.tributary.schemas.avro.InstrumentationScope("io.tributary.test", "1.2.3",
        List.of(kv("scope.attr", "x")), 2, SCOPE_SCHEMA);
  }

  // ---- traces ----

  /** Two spans of one trace: a full server span with events, links and error status, and a bare root. */
  public static ExportTraceServiceRequest traceRequest() {
    Span full = Span.newBuilder()
        .setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID)).setParentSpanId(id(PARENT_SPAN_ID))
        .setTraceState("vendor=1").setFlags(0x301).setName("GET /orders")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(T0).setEndTimeUnixNano(T0 + 5_000_000)
        .addAttributes(attribute("http.route", "/orders"))
        .addAttributes(attribute("http.status_code", AnyValue.newBuilder().setIntValue(500).build()))
        .setDroppedAttributesCount(3)
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(T0 + 1).setName("exception")
            .addAttributes(attribute("exception.type", "IllegalStateException")).setDroppedAttributesCount(6))
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(T0 + 2).setName("retry"))
        .setDroppedEventsCount(4)
        .addLinks(Span.Link.newBuilder().setTraceId(id(OTHER_TRACE_ID)).setSpanId(id(LINKED_SPAN_ID))
            .setTraceState("other=2").addAttributes(attribute("link.kind", "follows")).setDroppedAttributesCount(7)
            .setFlags(0x101))
        .setDroppedLinksCount(5)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .build();
    Span root = Span.newBuilder()
        .setTraceId(id(TRACE_ID)).setSpanId(id(ROOT_SPAN_ID)).setName("checkout")
        .setStartTimeUnixNano(T0 - 10).setEndTimeUnixNano(T0 + 10_000_000)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource()).setSchemaUrl(RESOURCE_SCHEMA)
            .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).setSchemaUrl(SCOPE_SCHEMA)
                .addSpans(full).addSpans(root)))
        .build();
  }

  public static List<io.tributary.schemas.avro.Span> expectedSpans(String tenant) {
    io.tributary.schemas.avro.Span full = new io.tributary.schemas.avro.Span(
        tenant, TRACE_ID, SPAN_ID, PARENT_SPAN_ID, "vendor=1", 0x301, "GET /orders", SpanKind.SPAN_KIND_SERVER,
        T0, T0 + 5_000_000,
        List.of(kv("http.route", "/orders"), kv("http.status_code", 500L)), 3,
        List.of(new SpanEvent(T0 + 1, "exception", List.of(kv("exception.type", "IllegalStateException")), 6),
            new SpanEvent(T0 + 2, "retry", List.of(), 0)), 4,
        List.of(new SpanLink(OTHER_TRACE_ID, LINKED_SPAN_ID, "other=2", List.of(kv("link.kind", "follows")), 7,
            0x101)), 5,
        new SpanStatus(StatusCode.ERROR, "boom"), avroResource(), avroScope(), null);
    io.tributary.schemas.avro.Span root = new io.tributary.schemas.avro.Span(
        tenant, TRACE_ID, ROOT_SPAN_ID, null, null, 0, "checkout", SpanKind.SPAN_KIND_UNSPECIFIED,
        T0 - 10, T0 + 10_000_000, List.of(), 0, List.of(), 0, List.of(), 0,
        new SpanStatus(StatusCode.OK, null), avroResource(), avroScope(), null);
    return List.of(full, root);
  }

  // ---- logs ----

  /** A correlated log with a string body and an uncorrelated one with a structured body. */
  public static ExportLogsServiceRequest logsRequest() {
    LogRecord correlated = LogRecord.newBuilder()
        .setTimeUnixNano(T0).setObservedTimeUnixNano(T0 + 7)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR2).setSeverityText("ERROR")
        .setBody(string("payment failed"))
        .addAttributes(attribute("code.function", "charge")).setDroppedAttributesCount(2)
        .setFlags(1).setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID)).setEventName("payment.failed")
        .build();
    LogRecord structured = LogRecord.newBuilder()
        .setObservedTimeUnixNano(T0 + 9)
        .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(attribute("msg", "started"))
            .addValues(attribute("attempt", AnyValue.newBuilder().setIntValue(2).build()))
            .addValues(attribute("steps", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(string("load")).addValues(string("run"))).build()))).build())
        .build();
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource()).setSchemaUrl(RESOURCE_SCHEMA)
            .addScopeLogs(ScopeLogs.newBuilder().setScope(scope()).setSchemaUrl(SCOPE_SCHEMA)
                .addLogRecords(correlated).addLogRecords(structured)))
        .build();
  }

  public static List<io.tributary.schemas.avro.LogRecord> expectedLogs(String tenant) {
    io.tributary.schemas.avro.LogRecord correlated = new io.tributary.schemas.avro.LogRecord(
        tenant, T0, T0 + 7, 18, "ERROR", new io.tributary.schemas.avro.AnyValue("payment failed"),
        List.of(kv("code.function", "charge")), 2, 1, TRACE_ID, SPAN_ID, "payment.failed",
        avroResource(), avroScope());
    io.tributary.schemas.avro.LogRecord structured = new io.tributary.schemas.avro.LogRecord(
        tenant, 0L, T0 + 9, 0, null,
        new io.tributary.schemas.avro.AnyValue(new io.tributary.schemas.avro.KeyValueList(List.of(
            kv("msg", "started"), kv("attempt", 2L),
            kv("steps", new io.tributary.schemas.avro.ArrayValue(List.of(
                new io.tributary.schemas.avro.AnyValue("load"), new io.tributary.schemas.avro.AnyValue("run"))))))),
        List.of(), 0, 0, null, null, null, avroResource(), avroScope());
    return List.of(correlated, structured);
  }

  // ---- metrics ----

  /** All five metric types, one point each, and a sum with two points. */
  public static ExportMetricsServiceRequest metricsRequest() {
    Exemplar exemplar = Exemplar.newBuilder().setTimeUnixNano(T0 + 3).setAsDouble(12.5)
        .setTraceId(id(TRACE_ID)).setSpanId(id(SPAN_ID)).addFilteredAttributes(attribute("user.tier", "gold")).build();
    Metric gauge = Metric.newBuilder().setName("cpu.utilization").setDescription("CPU use").setUnit("1")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .addAttributes(attribute("cpu", "0")).setTimeUnixNano(T0).setAsDouble(0.75).setFlags(1)))
        .build();
    Metric sum = Metric.newBuilder().setName("http.requests").setUnit("{request}")
        .setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .setIsMonotonic(true)
            .addDataPoints(NumberDataPoint.newBuilder().addAttributes(attribute("route", "/a"))
                .setStartTimeUnixNano(T0 - 100).setTimeUnixNano(T0).setAsInt(42))
            .addDataPoints(NumberDataPoint.newBuilder().addAttributes(attribute("route", "/b"))
                .setStartTimeUnixNano(T0 - 100).setTimeUnixNano(T0).setAsInt(7).addExemplars(
                    Exemplar.newBuilder().setTimeUnixNano(T0 + 4).setAsInt(1))))
        .build();
    Metric histogram = Metric.newBuilder().setName("http.duration").setUnit("ms")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(HistogramDataPoint.newBuilder().addAttributes(attribute("route", "/a"))
                .setStartTimeUnixNano(T0 - 50).setTimeUnixNano(T0).setCount(6).setSum(80.5).setMin(1).setMax(40)
                .addAllBucketCounts(List.of(1L, 2L, 3L)).addAllExplicitBounds(List.of(10.0, 20.0))
                .addExemplars(exemplar)))
        .build();
    Metric exponential = Metric.newBuilder().setName("rpc.duration").setUnit("s")
        .setExponentialHistogram(ExponentialHistogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(T0 - 60).setTimeUnixNano(T0).setCount(9).setSum(3.5).setScale(3)
                .setZeroCount(1).setZeroThreshold(0.001)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-2)
                    .addAllBucketCounts(List.of(4L, 2L)))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
                    .addAllBucketCounts(List.of(2L)))
                .setMin(-0.5).setMax(2.0).setFlags(0)))
        .build();
    Metric summary = Metric.newBuilder().setName("gc.pause").setUnit("ms")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
            .setStartTimeUnixNano(T0 - 70).setTimeUnixNano(T0).setCount(3).setSum(9.0)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(2.0))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(5.0))))
        .build();
    Metric noData = Metric.newBuilder().setName("declared.only").build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource()).setSchemaUrl(RESOURCE_SCHEMA)
            .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope()).setSchemaUrl(SCOPE_SCHEMA)
                .addAllMetrics(List.of(gauge, sum, histogram, exponential, summary, noData))))
        .build();
  }

  /** The points of {@link #metricsRequest()} in order, series ids left null (checked separately). */
  public static List<io.tributary.schemas.avro.MetricPoint> expectedPoints(String tenant) {
    io.tributary.schemas.avro.Exemplar exemplar = new io.tributary.schemas.avro.Exemplar(T0 + 3, 12.5, TRACE_ID,
        SPAN_ID, List.of(kv("user.tier", "gold")));
    List<io.tributary.schemas.avro.MetricPoint> points = new ArrayList<>();
    points.add(point(tenant, "cpu.utilization", "CPU use", "1", io.tributary.schemas.avro.MetricType.GAUGE,
        List.of(kv("cpu", "0")), 0, null, null, new io.tributary.schemas.avro.NumberValue(0.75), List.of(), 1));
    points.add(point(tenant, "http.requests", null, "{request}", io.tributary.schemas.avro.MetricType.SUM,
        List.of(kv("route", "/a")), T0 - 100,
        io.tributary.schemas.avro.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true,
        new io.tributary.schemas.avro.NumberValue(42L), List.of(), 0));
    points.add(point(tenant, "http.requests", null, "{request}", io.tributary.schemas.avro.MetricType.SUM,
        List.of(kv("route", "/b")), T0 - 100,
        io.tributary.schemas.avro.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true,
        new io.tributary.schemas.avro.NumberValue(7L),
        List.of(new io.tributary.schemas.avro.Exemplar(T0 + 4, 1L, null, null, List.of())), 0));
    points.add(point(tenant, "http.duration", null, "ms", io.tributary.schemas.avro.MetricType.HISTOGRAM,
        List.of(kv("route", "/a")), T0 - 50,
        io.tributary.schemas.avro.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, null,
        new io.tributary.schemas.avro.HistogramValue(6L, 80.5, 1.0, 40.0, List.of(1L, 2L, 3L), List.of(10.0, 20.0)),
        List.of(exemplar), 0));
    points.add(point(tenant, "rpc.duration", null, "s", io.tributary.schemas.avro.MetricType.EXPONENTIAL_HISTOGRAM,
        List.of(), T0 - 60, io.tributary.schemas.avro.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, null,
        new io.tributary.schemas.avro.ExponentialHistogramValue(9L, 3.5, 3, 1L, 0.001,
            new io.tributary.schemas.avro.ExponentialBuckets(-2, List.of(4L, 2L)),
            new io.tributary.schemas.avro.ExponentialBuckets(1, List.of(2L)), -0.5, 2.0),
        List.of(), 0));
    points.add(point(tenant, "gc.pause", null, "ms", io.tributary.schemas.avro.MetricType.SUMMARY, List.of(), T0 - 70,
        null, null, new io.tributary.schemas.avro.SummaryValue(3L, 9.0, List.of(
            new io.tributary.schemas.avro.QuantileValue(0.5, 2.0), new io.tributary.schemas.avro.QuantileValue(0.99, 5.0))),
        List.of(), 0));
    return points;
  }

  private static io.tributary.schemas.avro.MetricPoint point(String tenant, String name, String description,
      String unit, io.tributary.schemas.avro.MetricType type, List<io.tributary.schemas.avro.KeyValue> attributes,
      long start, io.tributary.schemas.avro.AggregationTemporality temporality, Boolean monotonic, Object value,
      List<io.tributary.schemas.avro.Exemplar> exemplars, int flags) {
    return new io.tributary.schemas.avro.MetricPoint(tenant, null, avroResource(), avroScope(), name, description,
        unit, type, attributes, start, T0, temporality, monotonic, value, exemplars, flags);
  }

  /**
   * {@link #traceRequest()}, {@link #logsRequest()} or {@link #metricsRequest()} ({@code "traces"},
   * {@code "logs"}, {@code "metrics"}) written by hand as a Collector's kafka exporter writes it with
   * {@code encoding: otlp_json}: hex ids, lowerCamelCase keys, enums and 64-bit integers as numbers
   * and strings.
   */
  public static byte[] collectorJson(String signal) {
    try (InputStream in = OtlpFixtures.class.getResourceAsStream("/otlp-json/" + signal + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource /otlp-json/" + signal + ".json");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes that are no protobuf message at all (a field tag announcing more bytes than there are). */
  public static byte[] garbage() {
    return Arrays.copyOf(new byte[] {0x0a, (byte) 0xff, 0x01, 0x02}, 4);
  }
}
