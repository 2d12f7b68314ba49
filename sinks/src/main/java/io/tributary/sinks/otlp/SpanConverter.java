package io.tributary.sinks.otlp;

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
import io.tributary.schemas.avro.SpanLink;
import io.tributary.sinks.internal.PoisonRecordException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

/**
 * Tributary's Avro spans back to OTLP protobuf: the inverse of the gateway pipeline's
 * normalization, field for field (ids from hex, attribute values with their OTLP types, events,
 * links, status, kind, flags, dropped counts, resource and scope with their schema URLs). The
 * tail-sampling policy that kept a span, which OTLP has no field for, becomes the span attribute
 * {@value #SAMPLING_POLICY_ATTRIBUTE}, so a trace store shows why a trace was kept.
 */
final class SpanConverter {

  /** The span attribute carrying the deciding tail-sampling policy of a kept span. */
  static final String SAMPLING_POLICY_ATTRIBUTE = "tributary.sampling.policy";

  private static final HexFormat HEX = HexFormat.of();

  private SpanConverter() {}

  static Span span(io.tributary.schemas.avro.Span s) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(id(s.getTraceId(), 16, "traceId"))
        .setSpanId(id(s.getSpanId(), 8, "spanId"))
        .setFlags(s.getFlags())
        .setName(s.getName().toString())
        .setKind(kind(s.getKind()))
        .setStartTimeUnixNano(s.getStartTimeUnixNano())
        .setEndTimeUnixNano(s.getEndTimeUnixNano())
        .addAllAttributes(attributes(s.getAttributes()))
        .setDroppedAttributesCount(s.getDroppedAttributesCount())
        .setDroppedEventsCount(s.getDroppedEventsCount())
        .setDroppedLinksCount(s.getDroppedLinksCount());
    if (s.getParentSpanId() != null) {
      b.setParentSpanId(id(s.getParentSpanId(), 8, "parentSpanId"));
    }
    if (s.getTraceState() != null) {
      b.setTraceState(s.getTraceState().toString());
    }
    if (s.getSamplingPolicy() != null) {
      b.addAttributes(KeyValue.newBuilder().setKey(SAMPLING_POLICY_ATTRIBUTE)
          .setValue(AnyValue.newBuilder().setStringValue(s.getSamplingPolicy().toString())));
    }
    for (SpanEvent e : s.getEvents()) {
      b.addEvents(Span.Event.newBuilder()
          .setTimeUnixNano(e.getTimeUnixNano())
          .setName(e.getName().toString())
          .addAllAttributes(attributes(e.getAttributes()))
          .setDroppedAttributesCount(e.getDroppedAttributesCount()));
    }
    for (SpanLink l : s.getLinks()) {
      Span.Link.Builder link = Span.Link.newBuilder()
          .setTraceId(id(l.getTraceId(), 16, "links.traceId"))
          .setSpanId(id(l.getSpanId(), 8, "links.spanId"))
          .addAllAttributes(attributes(l.getAttributes()))
          .setDroppedAttributesCount(l.getDroppedAttributesCount())
          .setFlags(l.getFlags());
      if (l.getTraceState() != null) {
        link.setTraceState(l.getTraceState().toString());
      }
      b.addLinks(link);
    }
    Status.Builder status = Status.newBuilder().setCode(switch (s.getStatus().getCode()) {
      case OK -> Status.StatusCode.STATUS_CODE_OK;
      case ERROR -> Status.StatusCode.STATUS_CODE_ERROR;
      case UNSET -> Status.StatusCode.STATUS_CODE_UNSET;
    });
    if (s.getStatus().getMessage() != null) {
      status.setMessage(s.getStatus().getMessage().toString());
    }
    return b.setStatus(status).build();
  }

  static Resource resource(io.tributary.schemas.avro.Resource r) {
    return Resource.newBuilder()
        .addAllAttributes(attributes(r.getAttributes()))
        .setDroppedAttributesCount(r.getDroppedAttributesCount())
        .build();
  }

  static InstrumentationScope scope(io.tributary.schemas.avro.InstrumentationScope s) {
    InstrumentationScope.Builder b = InstrumentationScope.newBuilder()
        .setName(s.getName().toString())
        .addAllAttributes(attributes(s.getAttributes()))
        .setDroppedAttributesCount(s.getDroppedAttributesCount());
    if (s.getVersion() != null) {
      b.setVersion(s.getVersion().toString());
    }
    return b.build();
  }

  static List<KeyValue> attributes(List<io.tributary.schemas.avro.KeyValue> attributes) {
    return attributes.stream()
        .map(kv -> KeyValue.newBuilder().setKey(kv.getKey().toString()).setValue(anyValue(kv.getValue())).build())
        .toList();
  }

  static AnyValue anyValue(io.tributary.schemas.avro.AnyValue value) {
    AnyValue.Builder b = AnyValue.newBuilder();
    Object v = value == null ? null : value.getValue();
    switch (v) {
      case null -> { }
      case CharSequence s -> b.setStringValue(s.toString());
      case Boolean bool -> b.setBoolValue(bool);
      case Long l -> b.setIntValue(l);
      case Double d -> b.setDoubleValue(d);
      case ByteBuffer buf -> b.setBytesValue(ByteString.copyFrom(buf.duplicate()));
      case io.tributary.schemas.avro.ArrayValue array -> {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        array.getValues().forEach(item -> a.addValues(anyValue(item)));
        b.setArrayValue(a);
      }
      case io.tributary.schemas.avro.KeyValueList list -> b.setKvlistValue(
          KeyValueList.newBuilder().addAllValues(attributes(list.getValues())));
      default -> throw new PoisonRecordException("attribute value of unknown type " + v.getClass().getName());
    }
    return b.build();
  }

  private static ByteString id(CharSequence hex, int bytes, String field) {
    String s = hex.toString();
    if (s.length() != bytes * 2) {
      throw new PoisonRecordException(field + ": '" + s + "' (expected: " + bytes * 2 + " hex characters)");
    }
    try {
      return ByteString.copyFrom(HEX.parseHex(s));
    } catch (IllegalArgumentException e) {
      throw new PoisonRecordException(field + ": '" + s + "' is not hex");
    }
  }

  private static Span.SpanKind kind(io.tributary.schemas.avro.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> Span.SpanKind.SPAN_KIND_INTERNAL;
      case SPAN_KIND_SERVER -> Span.SpanKind.SPAN_KIND_SERVER;
      case SPAN_KIND_CLIENT -> Span.SpanKind.SPAN_KIND_CLIENT;
      case SPAN_KIND_PRODUCER -> Span.SpanKind.SPAN_KIND_PRODUCER;
      case SPAN_KIND_CONSUMER -> Span.SpanKind.SPAN_KIND_CONSUMER;
      case SPAN_KIND_UNSPECIFIED -> Span.SpanKind.SPAN_KIND_UNSPECIFIED;
    };
  }
}
