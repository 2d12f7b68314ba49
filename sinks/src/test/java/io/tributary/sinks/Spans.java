package io.tributary.sinks;

import static io.tributary.testsupport.OtlpSamples.id;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import io.tributary.testsupport.AvroValues;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Spans for the OTLP sink tests, each in both forms written by hand: the Avro record the pipeline
 * writes to {@code telemetry.spans} and the OTLP span a receiver must get for it.
 */
public final class Spans {

  public static final long START = AvroValues.nanos(MetricPoints.T0);

  private Spans() {}

  /** An Avro span with every field set: attributes of every type, events, links, status, parent. */
  public static io.tributary.schemas.avro.Span rich(String tenant, String traceId, String spanId, String name,
      io.tributary.schemas.avro.Resource resource, io.tributary.schemas.avro.InstrumentationScope scope) {
    return io.tributary.schemas.avro.Span.newBuilder()
        .setTenant(tenant)
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setParentSpanId("00000000000000aa")
        .setTraceState("vendor=1")
        .setFlags(0x101)
        .setName(name)
        .setKind(SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START)
        .setEndTimeUnixNano(START + 5_000_000)
        .setAttributes(new ArrayList<>(List.of(
            AvroValues.kv("http.route", "/cart"),
            AvroValues.kv("http.response.status_code", 503L),
            AvroValues.kv("retry", true),
            AvroValues.kv("ratio", 0.5),
            AvroValues.kv("blob", ByteBuffer.wrap(new byte[] {1, 2, 3})),
            AvroValues.kv("tags", new io.tributary.schemas.avro.ArrayValue(new ArrayList<>(List.of(
                new io.tributary.schemas.avro.AnyValue("a"), new io.tributary.schemas.avro.AnyValue(2L))))),
            AvroValues.kv("map", new io.tributary.schemas.avro.KeyValueList(new ArrayList<>(List.of(
                AvroValues.kv("k", "v"))))),
            AvroValues.kv("empty", null))))
        .setDroppedAttributesCount(1)
        .setEvents(new ArrayList<>(List.of(new SpanEvent(START + 1_000, "exception",
            new ArrayList<>(List.of(AvroValues.kv("exception.type", "IOException"))), 2))))
        .setDroppedEventsCount(3)
        .setLinks(new ArrayList<>(List.of(new SpanLink("0102030405060708090a0b0c0d0e0f10", "1112131415161718",
            "other=2", new ArrayList<>(List.of(AvroValues.kv("link.kind", "follows"))), 4, 1))))
        .setDroppedLinksCount(5)
        .setStatus(new SpanStatus(StatusCode.ERROR, "upstream unavailable"))
        .setResource(resource)
        .setScope(scope)
        .build();
  }

  /** What a receiver must get for {@link #rich}. */
  public static Span richOtlp(String traceId, String spanId, String name) {
    return Span.newBuilder()
        .setTraceId(id(traceId))
        .setSpanId(id(spanId))
        .setParentSpanId(id("00000000000000aa"))
        .setTraceState("vendor=1")
        .setFlags(0x101)
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START)
        .setEndTimeUnixNano(START + 5_000_000)
        .addAttributes(kv("http.route", AnyValue.newBuilder().setStringValue("/cart")))
        .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(503)))
        .addAttributes(kv("retry", AnyValue.newBuilder().setBoolValue(true)))
        .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.5)))
        .addAttributes(kv("blob", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3}))))
        .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setStringValue("a")).addValues(AnyValue.newBuilder().setIntValue(2)))))
        .addAttributes(kv("map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(kv("k", AnyValue.newBuilder().setStringValue("v"))))))
        .addAttributes(kv("empty", AnyValue.newBuilder()))
        .setDroppedAttributesCount(1)
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(START + 1_000).setName("exception")
            .addAttributes(kv("exception.type", AnyValue.newBuilder().setStringValue("IOException")))
            .setDroppedAttributesCount(2))
        .setDroppedEventsCount(3)
        .addLinks(Span.Link.newBuilder().setTraceId(id("0102030405060708090a0b0c0d0e0f10"))
            .setSpanId(id("1112131415161718")).setTraceState("other=2")
            .addAttributes(kv("link.kind", AnyValue.newBuilder().setStringValue("follows")))
            .setDroppedAttributesCount(4).setFlags(1))
        .setDroppedLinksCount(5)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("upstream unavailable"))
        .build();
  }

  /** A minimal Avro span (no parent: a root). */
  public static io.tributary.schemas.avro.Span simple(String tenant, String traceId, String spanId, String name,
      io.tributary.schemas.avro.Resource resource, io.tributary.schemas.avro.InstrumentationScope scope) {
    return io.tributary.schemas.avro.Span.newBuilder()
        .setTenant(tenant).setTraceId(traceId).setSpanId(spanId).setName(name)
        .setStartTimeUnixNano(START).setEndTimeUnixNano(START + 1_000_000)
        .setStatus(new SpanStatus(StatusCode.UNSET, null))
        .setResource(resource).setScope(scope).build();
  }

  public static io.tributary.schemas.avro.InstrumentationScope avroScope(String name, String version) {
    return new io.tributary.schemas.avro.InstrumentationScope(name, version,
        new ArrayList<>(List.of(AvroValues.kv("scope.attr", "x"))), 0, "https://opentelemetry.io/schemas/1.26.0");
  }

  public static InstrumentationScope otlpScope(String name, String version) {
    return InstrumentationScope.newBuilder().setName(name).setVersion(version)
        .addAttributes(kv("scope.attr", AnyValue.newBuilder().setStringValue("x"))).build();
  }

  public static Resource otlpResource(String service, String instance) {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue(service)))
        .addAttributes(kv("service.instance.id", AnyValue.newBuilder().setStringValue(instance)))
        .build();
  }

  public static io.tributary.schemas.avro.Resource avroResource(String service, String instance) {
    return MetricPoints.resource(null, service, instance);
  }

  private static KeyValue kv(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }
}
