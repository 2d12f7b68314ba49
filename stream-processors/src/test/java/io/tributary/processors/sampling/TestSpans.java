package io.tributary.processors.sampling;

import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import java.util.ArrayList;
import java.util.List;

/** Avro spans for the sampling tests, built field by field. */
public final class TestSpans {

  public static final String TENANT = "acme";
  public static final String ROOT_SPAN_ID = "00000000000000aa";
  /** 2026-01-02T03:04:05Z in epoch nanoseconds: span times, independent of the wall clock. */
  public static final long EPOCH_NANOS = 1_767_323_045_000_000_000L;
  /** Low 56 bits of a trace id that every probabilistic policy above 0% keeps. */
  public static final long HIGHEST_RANDOMNESS = (1L << 56) - 1;
  /** Low 56 bits of a trace id that no probabilistic policy below 100% keeps. */
  public static final long LOWEST_RANDOMNESS = 0;

  private TestSpans() {}

  /** A trace id whose high 36 bits say which trace of a test it is and whose low 56 bits are {@code randomness}. */
  public static String traceId(int number, long randomness) {
    return String.format("%018x%014x", number, randomness);
  }

  /** A trace id that no probabilistic policy below 100% keeps. */
  public static String unsampledTraceId(int number) {
    return traceId(number, LOWEST_RANDOMNESS);
  }

  public static Builder span(String traceId, int number) {
    return new Builder(traceId, String.format("%016x", number + 1));
  }

  public static final class Builder {
    private final String traceId;
    private String spanId;
    private String parentSpanId = ROOT_SPAN_ID;
    private String service = "checkout";
    private StatusCode status = StatusCode.UNSET;
    private long startOffsetMillis;
    private long durationMillis = 10;
    private final List<KeyValue> attributes = new ArrayList<>();
    private final List<KeyValue> resourceAttributes = new ArrayList<>();

    private Builder(String traceId, String spanId) {
      this.traceId = traceId;
      this.spanId = spanId;
    }

    public Builder root() {
      spanId = ROOT_SPAN_ID;
      parentSpanId = null;
      return this;
    }

    public Builder service(String service) {
      this.service = service;
      return this;
    }

    public Builder error() {
      status = StatusCode.ERROR;
      return this;
    }

    /** Starts {@code offsetMillis} after {@link #EPOCH_NANOS} and lasts {@code durationMillis}. */
    public Builder timing(long offsetMillis, long durationMillis) {
      this.startOffsetMillis = offsetMillis;
      this.durationMillis = durationMillis;
      return this;
    }

    public Builder attribute(String key, Object value) {
      attributes.add(new KeyValue(key, new AnyValue(value)));
      return this;
    }

    public Builder resourceAttribute(String key, Object value) {
      resourceAttributes.add(new KeyValue(key, new AnyValue(value)));
      return this;
    }

    public Span build() {
      List<KeyValue> resource = new ArrayList<>();
      resource.add(new KeyValue("service.name", new AnyValue(service)));
      resource.addAll(resourceAttributes);
      long start = EPOCH_NANOS + startOffsetMillis * 1_000_000;
      return Span.newBuilder()
          .setTenant(TENANT)
          .setTraceId(traceId)
          .setSpanId(spanId)
          .setParentSpanId(parentSpanId)
          .setName("op-" + spanId)
          .setKind(SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(start + durationMillis * 1_000_000)
          .setAttributes(attributes)
          .setStatus(new SpanStatus(status, null))
          .setResource(new Resource(resource, 0, null))
          .setScope(new InstrumentationScope("io.tributary.test", null, List.of(), 0, null))
          .build();
    }
  }
}
