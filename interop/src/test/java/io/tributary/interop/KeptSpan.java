package io.tributary.interop;

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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A span kept by tail sampling, in the two forms the Jaeger tests compare, built side by side from
 * one description: the Avro record the traces pipeline writes to {@code telemetry.spans} (with its
 * deciding policy) and the OTLP resource, scope and span a trace store must show for it, the policy
 * being the span's last attribute, {@value #POLICY_ATTRIBUTE}.
 */
record KeptSpan(io.tributary.schemas.avro.Span avro, Service service, Scope scope, Span otlp) {

  /** The attribute the OTLP sink gives a kept span for its deciding policy. */
  static final String POLICY_ATTRIBUTE = "tributary.sampling.policy";

  String traceId() {
    return avro.getTraceId().toString();
  }

  String spanId() {
    return avro.getSpanId().toString();
  }

  String policy() {
    return avro.getSamplingPolicy().toString();
  }

  /** An attribute value in both forms. */
  record Value(io.tributary.schemas.avro.AnyValue avro, AnyValue otlp) {
    static Value of(String s) {
      return new Value(new io.tributary.schemas.avro.AnyValue(s), AnyValue.newBuilder().setStringValue(s).build());
    }

    static Value of(long l) {
      return new Value(new io.tributary.schemas.avro.AnyValue(l), AnyValue.newBuilder().setIntValue(l).build());
    }

    static Value of(boolean b) {
      return new Value(new io.tributary.schemas.avro.AnyValue(b), AnyValue.newBuilder().setBoolValue(b).build());
    }

    static Value of(double d) {
      return new Value(new io.tributary.schemas.avro.AnyValue(d), AnyValue.newBuilder().setDoubleValue(d).build());
    }

    static Value bytes(byte... bytes) {
      return new Value(new io.tributary.schemas.avro.AnyValue(ByteBuffer.wrap(bytes.clone())),
          AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(bytes)).build());
    }

    static Value array(Value... values) {
      return new Value(
          new io.tributary.schemas.avro.AnyValue(new io.tributary.schemas.avro.ArrayValue(
              new ArrayList<>(Arrays.stream(values).map(Value::avro).toList()))),
          AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
              .addAllValues(Arrays.stream(values).map(Value::otlp).toList())).build());
    }

    static Value map(Attr... entries) {
      return new Value(
          new io.tributary.schemas.avro.AnyValue(new io.tributary.schemas.avro.KeyValueList(avroAttributes(entries))),
          AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addAllValues(otlpAttributes(entries))).build());
    }

    /** No value: OTLP's empty AnyValue, Avro's null. */
    static Value empty() {
      return new Value(new io.tributary.schemas.avro.AnyValue(null), AnyValue.getDefaultInstance());
    }
  }

  /** A key and its value. */
  record Attr(String key, Value value) {
    static Attr of(String key, Value value) {
      return new Attr(key, value);
    }

    static Attr of(String key, String value) {
      return new Attr(key, Value.of(value));
    }
  }

  /** A resource in both forms: {@code service.name} first, then {@code attributes}. */
  record Service(io.tributary.schemas.avro.Resource avro, Resource otlp) {
    static Service of(String name, Attr... attributes) {
      Attr[] all = new Attr[attributes.length + 1];
      all[0] = Attr.of("service.name", name);
      System.arraycopy(attributes, 0, all, 1, attributes.length);
      return new Service(new io.tributary.schemas.avro.Resource(avroAttributes(all), 0, null),
          Resource.newBuilder().addAllAttributes(otlpAttributes(all)).build());
    }
  }

  /** An instrumentation scope in both forms. */
  record Scope(io.tributary.schemas.avro.InstrumentationScope avro, InstrumentationScope otlp) {
    static Scope of(String name, String version, Attr... attributes) {
      return new Scope(new io.tributary.schemas.avro.InstrumentationScope(name, version, avroAttributes(attributes), 0, null),
          InstrumentationScope.newBuilder().setName(name).setVersion(version).addAllAttributes(otlpAttributes(attributes)).build());
    }
  }

  static Builder builder(String tenant, String traceId, String spanId, String name) {
    return new Builder(tenant, traceId, spanId, name);
  }

  /** Builds both forms at once; every setter sets the field in both. */
  static final class Builder {
    private final io.tributary.schemas.avro.Span.Builder avro = io.tributary.schemas.avro.Span.newBuilder();
    private final Span.Builder otlp = Span.newBuilder();
    private Service service;
    private Scope scope;
    private String policy;

    private Builder(String tenant, String traceId, String spanId, String name) {
      avro.setTenant(tenant).setTraceId(traceId).setSpanId(spanId).setName(name)
          .setStatus(new SpanStatus(StatusCode.UNSET, null));
      // OTLP's status is a message: UNSET is still a status present on the wire (and in Jaeger's answer).
      otlp.setTraceId(id(traceId)).setSpanId(id(spanId)).setName(name).setStatus(Status.getDefaultInstance());
    }

    Builder parent(String spanId) {
      avro.setParentSpanId(spanId);
      otlp.setParentSpanId(id(spanId));
      return this;
    }

    Builder traceState(String state, int flags) {
      avro.setTraceState(state).setFlags(flags);
      otlp.setTraceState(state).setFlags(flags);
      return this;
    }

    Builder kind(SpanKind kind) {
      avro.setKind(kind);
      otlp.setKind(Span.SpanKind.valueOf(kind.name()));
      return this;
    }

    Builder time(long startUnixNano, long endUnixNano) {
      avro.setStartTimeUnixNano(startUnixNano).setEndTimeUnixNano(endUnixNano);
      otlp.setStartTimeUnixNano(startUnixNano).setEndTimeUnixNano(endUnixNano);
      return this;
    }

    Builder attributes(Attr... attributes) {
      avro.setAttributes(avroAttributes(attributes));
      otlp.clearAttributes().addAllAttributes(otlpAttributes(attributes));
      return this;
    }

    Builder event(long timeUnixNano, String name, Attr... attributes) {
      List<SpanEvent> events = new ArrayList<>(avro.hasEvents() ? avro.getEvents() : List.of());
      events.add(new SpanEvent(timeUnixNano, name, avroAttributes(attributes), 0));
      avro.setEvents(events);
      otlp.addEvents(Span.Event.newBuilder().setTimeUnixNano(timeUnixNano).setName(name)
          .addAllAttributes(otlpAttributes(attributes)));
      return this;
    }

    Builder link(String traceId, String spanId, Attr... attributes) {
      List<SpanLink> links = new ArrayList<>(avro.hasLinks() ? avro.getLinks() : List.of());
      links.add(new SpanLink(traceId, spanId, null, avroAttributes(attributes), 0, 0));
      avro.setLinks(links);
      otlp.addLinks(Span.Link.newBuilder().setTraceId(id(traceId)).setSpanId(id(spanId))
          .addAllAttributes(otlpAttributes(attributes)));
      return this;
    }

    /** What the span's source had to drop: attributes, events and links. */
    Builder dropped(int attributes, int events, int links) {
      avro.setDroppedAttributesCount(attributes).setDroppedEventsCount(events).setDroppedLinksCount(links);
      otlp.setDroppedAttributesCount(attributes).setDroppedEventsCount(events).setDroppedLinksCount(links);
      return this;
    }

    Builder status(StatusCode code, String message) {
      avro.setStatus(new SpanStatus(code, message));
      Status.Builder status = Status.newBuilder().setCode(Status.StatusCode.valueOf("STATUS_CODE_" + code.name()));
      if (message != null) {
        status.setMessage(message);
      }
      otlp.setStatus(status);
      return this;
    }

    Builder resource(Service service, Scope scope) {
      this.service = service;
      this.scope = scope;
      avro.setResource(service.avro()).setScope(scope.avro());
      return this;
    }

    /** The deciding tail-sampling policy. */
    Builder policy(String policy) {
      this.policy = policy;
      avro.setSamplingPolicy(policy);
      return this;
    }

    KeptSpan build() {
      if (service == null || policy == null) {
        throw new IllegalStateException("a kept span needs resource(...) and policy(...)");
      }
      Span expected = otlp.clone().addAttributes(KeyValue.newBuilder().setKey(POLICY_ATTRIBUTE)
          .setValue(AnyValue.newBuilder().setStringValue(policy))).build();
      return new KeptSpan(avro.build(), service, scope, expected);
    }
  }

  private static List<io.tributary.schemas.avro.KeyValue> avroAttributes(Attr... attributes) {
    return new ArrayList<>(Arrays.stream(attributes)
        .map(a -> new io.tributary.schemas.avro.KeyValue(a.key(), a.value().avro())).toList());
  }

  private static List<KeyValue> otlpAttributes(Attr... attributes) {
    return Arrays.stream(attributes).map(a -> KeyValue.newBuilder().setKey(a.key()).setValue(a.value().otlp()).build())
        .toList();
  }
}
