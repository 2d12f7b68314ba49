package io.tributary.schemas;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.ExponentialBuckets;
import io.tributary.schemas.avro.ExponentialHistogramValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.QuantileValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import io.tributary.schemas.avro.SummaryValue;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Fully populated records of every type, at fixed instants, for round-trip tests. */
public final class TestRecords {

  /** 2026-01-01T00:00:00Z in unix nanoseconds. */
  public static final long T0_NANOS = 1_767_225_600_000_000_000L;
  public static final Instant T0 = Instant.ofEpochSecond(1_767_225_600L);
  public static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  public static final String SPAN_ID = "eee19b7ec3c1b174";
  public static final String PARENT_SPAN_ID = "eee19b7ec3c1b173";

  private TestRecords() {}

  public static AnyValue value(Object value) {
    return new AnyValue(value);
  }

  public static KeyValue kv(String key, Object value) {
    return new KeyValue(key, value(value));
  }

  /** One attribute per AnyValue variant, nested arrays and key/value lists included. */
  public static List<KeyValue> everyAnyValueVariant() {
    return List.of(
        kv("empty", null),
        kv("http.route", "/api/orders/{id}"),
        kv("error", true),
        kv("http.status_code", 503L),
        kv("gen_ai.usage.cost", 0.0125d),
        kv("payload", ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF})),
        kv("tags", new ArrayValue(List.of(value("a"), value(2L), value(false), value(null),
            value(new ArrayValue(List.of(value(1.5d))))))),
        // Order kept and duplicate keys allowed, as in OTLP's KeyValueList.
        kv("headers", new KeyValueList(List.of(kv("b", "2"), kv("a", "1"), kv("a", "again"),
            kv("nested", new KeyValueList(List.of(kv("deep", ByteBuffer.wrap(new byte[] {7})))))))));
  }

  public static Resource resource() {
    return new Resource(List.of(kv("service.name", "checkout"), kv("k8s.pod.uid", "0b1c"), kv("host.cpu", 4L)), 1,
        "https://opentelemetry.io/schemas/1.26.0");
  }

  public static InstrumentationScope scope() {
    return new InstrumentationScope("io.opentelemetry.okhttp", "4.12.0", List.of(kv("lib.flavor", "jvm")), 0, null);
  }

  public static Span span() {
    return Span.newBuilder()
        .setTenant("acme")
        .setTraceId(TRACE_ID)
        .setSpanId(SPAN_ID)
        .setParentSpanId(PARENT_SPAN_ID)
        .setTraceState("vendor=abc")
        .setFlags(0x101)
        .setName("POST /api/orders")
        .setKind(SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(T0_NANOS)
        .setEndTimeUnixNano(T0_NANOS + 1_250_000)
        .setAttributes(everyAnyValueVariant())
        .setDroppedAttributesCount(2)
        .setEvents(List.of(new SpanEvent(T0_NANOS + 1_000, "exception",
            List.of(kv("exception.type", "java.io.IOException"), kv("exception.message", "reset")), 0)))
        .setDroppedEventsCount(1)
        .setLinks(List.of(new SpanLink("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null,
            List.of(kv("link.kind", "batch")), 0, 1)))
        .setDroppedLinksCount(0)
        .setStatus(new SpanStatus(StatusCode.ERROR, "upstream timed out"))
        .setResource(resource())
        .setScope(scope())
        .setSamplingPolicy("errors")
        .build();
  }

  public static LogRecord logRecord() {
    return LogRecord.newBuilder()
        .setTenant("acme")
        .setTimeUnixNano(T0_NANOS)
        .setObservedTimeUnixNano(T0_NANOS + 5)
        .setSeverityNumber(17)
        .setSeverityText("ERROR")
        .setBody(value(new KeyValueList(List.of(kv("message", "payment failed"), kv("attempt", 3L)))))
        .setAttributes(List.of(kv("code.function", "charge")))
        .setDroppedAttributesCount(0)
        .setFlags(1)
        .setTraceId(TRACE_ID)
        .setSpanId(SPAN_ID)
        .setEventName("payment.failure")
        .setResource(resource())
        .setScope(scope())
        .build();
  }

  /** A log record with the optional fields absent. */
  public static LogRecord minimalLogRecord() {
    return LogRecord.newBuilder()
        .setTenant("default")
        .setBody(value("hello"))
        .setResource(new Resource(List.of(), 0, null))
        .setScope(new InstrumentationScope("", null, List.of(), 0, null))
        .build();
  }

  /** A point of every metric type, each with its kind of value. */
  public static List<MetricPoint> metricPoints() {
    return List.of(
        metric(MetricType.GAUGE, "system.cpu.utilization", "1", null, null, new NumberValue(0.42d)),
        metric(MetricType.SUM, "http.server.requests", "{request}", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            true, new NumberValue(1234L)),
        metric(MetricType.HISTOGRAM, "http.server.duration", "ms", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
            null, new HistogramValue(10L, 123.5d, 0.5d, 80.0d, List.of(1L, 4L, 5L), List.of(5.0d, 25.0d))),
        metric(MetricType.EXPONENTIAL_HISTOGRAM, "rpc.duration", "s",
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, null,
            new ExponentialHistogramValue(7L, 3.25d, 3, 1L, 1e-9d, new ExponentialBuckets(-2, List.of(1L, 2L, 3L)),
                new ExponentialBuckets(0, List.of()), 0.01d, 1.5d)),
        metric(MetricType.SUMMARY, "jvm.gc.pause", "ms", null, null,
            new SummaryValue(3L, 42.0d, List.of(new QuantileValue(0.5d, 10.0d), new QuantileValue(0.99d, 30.0d)))));
  }

  private static MetricPoint metric(MetricType type, String name, String unit, AggregationTemporality temporality,
      Boolean monotonic, Object value) {
    return MetricPoint.newBuilder()
        .setTenant("acme")
        .setSeriesId("series-" + name)
        .setResource(resource())
        .setScope(scope())
        .setName(name)
        .setDescription("about " + name)
        .setUnit(unit)
        .setType(type)
        .setAttributes(List.of(kv("http.method", "GET"), kv("shard", 3L)))
        .setStartTimeUnixNano(T0_NANOS - 60_000_000_000L)
        .setTimeUnixNano(T0_NANOS)
        .setAggregationTemporality(temporality)
        .setIsMonotonic(monotonic)
        .setValue(value)
        .setExemplars(List.of(new Exemplar(T0_NANOS - 1, 12.5d, TRACE_ID, SPAN_ID, List.of(kv("user", "u1"))),
            new Exemplar(T0_NANOS - 2, 7L, null, null, List.of())))
        .setFlags(0)
        .build();
  }

  public static Alert alert() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("service", "checkout");
    labels.put("severity", "page");
    return Alert.newBuilder()
        .setFingerprint("9f86d081884c7d65")
        .setTenant("acme")
        .setAlertName("HighErrorRatio")
        .setState(AlertState.FIRING)
        .setLabels(labels)
        .setAnnotations(Map.of("summary", "checkout errors at 12%"))
        .setValue(0.12d)
        .setActiveAt(T0)
        .setFiredAt(T0.plusSeconds(120))
        .setResolvedAt(null)
        .setEvaluatedAt(T0.plusSeconds(120))
        .setSource("spans")
        .setGeneratorURL("http://tributary.example/rules/HighErrorRatio")
        .build();
  }

  /** Every sample record: each top-level type, each metric value type, a log record with only defaults. */
  public static List<SpecificRecord> all() {
    List<SpecificRecord> records = new ArrayList<>(List.of(span(), logRecord(), minimalLogRecord(), alert()));
    records.addAll(metricPoints());
    return records;
  }
}
