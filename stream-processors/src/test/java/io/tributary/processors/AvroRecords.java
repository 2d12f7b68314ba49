package io.tributary.processors;

import static io.tributary.testsupport.AvroValues.attributes;

import io.tributary.processors.internal.normalize.StableIds;
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
import java.util.List;

/** Small Avro spans, log records and metric points, as the normalize step makes them, for step tests. */
public final class AvroRecords {

  public static final String TENANT = "acme";
  /** 2026-01-02T03:04:05Z in epoch nanoseconds. */
  public static final long T0_NANOS = 1_767_323_045_000_000_000L;

  private AvroRecords() {}

  public static Resource resource(Object... keysAndValues) {
    return new Resource(attributes(keysAndValues), 0, null);
  }

  /** A span of {@code service} lasting {@code durationMicros}, with status UNSET and kind SERVER. */
  public static Span span(String service, String name, long durationMicros) {
    return Span.newBuilder()
        .setTenant(TENANT)
        .setTraceId("0102030405060708090a0b0c0d0e0f10")
        .setSpanId("1112131415161718")
        .setName(name)
        .setKind(SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(T0_NANOS)
        .setEndTimeUnixNano(T0_NANOS + durationMicros * 1_000)
        .setStatus(new SpanStatus(StatusCode.UNSET, null))
        .setResource(resource("service.name", service))
        .setScope(new InstrumentationScope("test", null, List.of(), 0, null))
        .build();
  }

  public static LogRecord log(String service, List<KeyValue> attributes) {
    return LogRecord.newBuilder()
        .setTenant(TENANT)
        .setBody(new AnyValue("hello"))
        .setAttributes(attributes)
        .setResource(resource("service.name", service))
        .setScope(new InstrumentationScope("test", null, List.of(), 0, null))
        .build();
  }

  /** A gauge point of {@code tenant} with its series id set. */
  public static MetricPoint gauge(String tenant, String name, Resource resource, List<KeyValue> attributes, double value) {
    MetricPoint point = MetricPoint.newBuilder()
        .setTenant(tenant)
        .setSeriesId("")
        .setResource(resource)
        .setScope(new InstrumentationScope("test", null, List.of(), 0, null))
        .setName(name)
        .setType(MetricType.GAUGE)
        .setAttributes(attributes)
        .setTimeUnixNano(T0_NANOS)
        .setValue(new NumberValue(value))
        .build();
    point.setSeriesId(StableIds.seriesId(point));
    return point;
  }
}
