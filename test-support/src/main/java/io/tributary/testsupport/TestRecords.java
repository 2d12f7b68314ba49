package io.tributary.testsupport;

import static io.tributary.testsupport.AvroValues.attributes;

import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Avro spans, logs and metric points as the pipelines write them (tenant {@value #TENANT}), for the tests of
 * what reads the processed topics: the alerting stream and its drill.
 */
public final class TestRecords {

  public static final String TENANT = "acme";
  private static final AtomicLong IDS = new AtomicLong();

  private TestRecords() {}

  /** A SERVER span of {@code service} ending at {@code end}, lasting {@code durationMs}. */
  public static Span span(String service, boolean error, Instant end, double durationMs, Object... attributes) {
    long endNanos = end.toEpochMilli() * 1_000_000L;
    long id = IDS.incrementAndGet();
    return Span.newBuilder()
        .setTenant(TENANT)
        .setTraceId(String.format("%032x", id))
        .setSpanId(String.format("%016x", id))
        .setName("GET /api")
        .setKind(SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(endNanos - (long) (durationMs * 1_000_000))
        .setEndTimeUnixNano(endNanos)
        .setAttributes(attributes(attributes))
        .setStatus(SpanStatus.newBuilder().setCode(error ? StatusCode.ERROR : StatusCode.OK).build())
        .setResource(resource(service))
        .setScope(InstrumentationScope.newBuilder().setName("test").build())
        .build();
  }

  /** A span of kind INTERNAL: matches no rule that filters on SERVER spans, but moves stream time. */
  public static Span internalSpan(String service, Instant end) {
    Span span = span(service, false, end, 1);
    span.setKind(SpanKind.SPAN_KIND_INTERNAL);
    return span;
  }

  public static LogRecord log(String service, int severityNumber, Instant time, Object... attributes) {
    long nanos = time.toEpochMilli() * 1_000_000L;
    return LogRecord.newBuilder()
        .setTenant(TENANT)
        .setTimeUnixNano(nanos)
        .setObservedTimeUnixNano(nanos)
        .setSeverityNumber(severityNumber)
        .setBody(new AnyValue("something happened"))
        .setAttributes(attributes(attributes))
        .setResource(resource(service))
        .setScope(InstrumentationScope.newBuilder().setName("test").build())
        .build();
  }

  public static MetricPoint gauge(String service, String name, double value, Instant time) {
    return MetricPoint.newBuilder()
        .setTenant(TENANT)
        .setSeriesId(service + "/" + name)
        .setResource(resource(service))
        .setScope(InstrumentationScope.newBuilder().setName("test").build())
        .setName(name)
        .setType(MetricType.GAUGE)
        .setTimeUnixNano(time.toEpochMilli() * 1_000_000L)
        .setValue(NumberValue.newBuilder().setValue(value).build())
        .build();
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().setAttributes(List.of(new KeyValue("service.name", new AnyValue(service)))).build();
  }
}
