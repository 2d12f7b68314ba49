package io.tributary.schemas.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.schemas.avro.ExponentialBuckets;
import io.tributary.schemas.avro.ExponentialHistogramValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.QuantileValue;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SummaryValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Tributary's Avro records back to OTLP protobuf: the inverse of the pipelines' normalization, field
 * for field (ids from hex, attribute values with their OTLP types, events, links, status, kind,
 * flags, dropped counts, log bodies, the five metric data kinds with exemplars and flags). Resource
 * and scope schema URLs belong to the request's grouping ({@link OtlpRequests}).
 *
 * <p>One addition: a span kept by tail sampling carries the deciding policy as the string attribute
 * {@value #SAMPLING_POLICY_ATTRIBUTE}, so an OTLP consumer sees why the trace was kept (it replaces
 * an attribute of that key a sender may have set).
 *
 * <p>Every method throws {@link OtlpConversionException} for a record no OTLP message can hold (an
 * id that is not hex of the right length, a metric value of another kind than its type).
 */
public final class AvroToOtlp {

  /** The span attribute holding the tail-sampling policy that kept the span ({@code Span.samplingPolicy}). */
  public static final String SAMPLING_POLICY_ATTRIBUTE = "tributary.sampling.policy";

  private static final HexFormat HEX = HexFormat.of();

  private AvroToOtlp() {}

  public static Span span(io.tributary.schemas.avro.Span s) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(id(s.getTraceId(), 16, "traceId"))
        .setSpanId(id(s.getSpanId(), 8, "spanId"))
        .setFlags(s.getFlags())
        .setName(s.getName())
        .setKind(kind(s.getKind()))
        .setStartTimeUnixNano(s.getStartTimeUnixNano())
        .setEndTimeUnixNano(s.getEndTimeUnixNano())
        .setDroppedAttributesCount(s.getDroppedAttributesCount())
        .setDroppedEventsCount(s.getDroppedEventsCount())
        .setDroppedLinksCount(s.getDroppedLinksCount());
    String policy = s.getSamplingPolicy();
    for (io.tributary.schemas.avro.KeyValue kv : s.getAttributes()) {
      if (policy == null || !SAMPLING_POLICY_ATTRIBUTE.equals(kv.getKey())) {
        b.addAttributes(keyValue(kv));
      }
    }
    if (policy != null) {
      b.addAttributes(KeyValue.newBuilder().setKey(SAMPLING_POLICY_ATTRIBUTE)
          .setValue(AnyValue.newBuilder().setStringValue(policy)));
    }
    if (s.getParentSpanId() != null) {
      b.setParentSpanId(id(s.getParentSpanId(), 8, "parentSpanId"));
    }
    if (s.getTraceState() != null) {
      b.setTraceState(s.getTraceState());
    }
    for (SpanEvent e : s.getEvents()) {
      b.addEvents(Span.Event.newBuilder()
          .setTimeUnixNano(e.getTimeUnixNano())
          .setName(e.getName())
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
        link.setTraceState(l.getTraceState());
      }
      b.addLinks(link);
    }
    Status.Builder status = Status.newBuilder().setCode(switch (s.getStatus().getCode()) {
      case OK -> Status.StatusCode.STATUS_CODE_OK;
      case ERROR -> Status.StatusCode.STATUS_CODE_ERROR;
      case UNSET -> Status.StatusCode.STATUS_CODE_UNSET;
    });
    if (s.getStatus().getMessage() != null) {
      status.setMessage(s.getStatus().getMessage());
    }
    return b.setStatus(status).build();
  }

  public static LogRecord logRecord(io.tributary.schemas.avro.LogRecord log) {
    LogRecord.Builder b = LogRecord.newBuilder()
        .setTimeUnixNano(log.getTimeUnixNano())
        .setObservedTimeUnixNano(log.getObservedTimeUnixNano())
        .setSeverityNumberValue(log.getSeverityNumber()) // the number as kept, also values newer than this build
        .addAllAttributes(attributes(log.getAttributes()))
        .setDroppedAttributesCount(log.getDroppedAttributesCount())
        .setFlags(log.getFlags());
    if (log.getBody() != null && log.getBody().getValue() != null) {
      b.setBody(anyValue(log.getBody()));
    }
    if (log.getSeverityText() != null) {
      b.setSeverityText(log.getSeverityText());
    }
    if (log.getTraceId() != null) {
      b.setTraceId(id(log.getTraceId(), 16, "traceId"));
    }
    if (log.getSpanId() != null) {
      b.setSpanId(id(log.getSpanId(), 8, "spanId"));
    }
    if (log.getEventName() != null) {
      b.setEventName(log.getEventName());
    }
    return b.build();
  }

  /**
   * A metric holding this one point: name, description, unit and, for sums and histograms, the
   * aggregation temporality (and for sums whether monotonic). {@link OtlpRequests#metrics} merges the
   * points of one metric into one.
   */
  public static Metric metric(MetricPoint point) {
    Metric.Builder b = Metric.newBuilder().setName(point.getName());
    if (point.getDescription() != null) {
      b.setDescription(point.getDescription());
    }
    if (point.getUnit() != null) {
      b.setUnit(point.getUnit());
    }
    Object value = point.getValue();
    switch (point.getType()) {
      case GAUGE -> b.setGauge(Gauge.newBuilder().addDataPoints(numberPoint(point, value)));
      case SUM -> b.setSum(Sum.newBuilder()
          .setAggregationTemporality(temporality(point))
          .setIsMonotonic(Boolean.TRUE.equals(point.getIsMonotonic()))
          .addDataPoints(numberPoint(point, value)));
      case HISTOGRAM -> b.setHistogram(Histogram.newBuilder()
          .setAggregationTemporality(temporality(point))
          .addDataPoints(histogramPoint(point, expect(value, HistogramValue.class, point))));
      case EXPONENTIAL_HISTOGRAM -> b.setExponentialHistogram(ExponentialHistogram.newBuilder()
          .setAggregationTemporality(temporality(point))
          .addDataPoints(exponentialPoint(point, expect(value, ExponentialHistogramValue.class, point))));
      case SUMMARY -> b.setSummary(Summary.newBuilder()
          .addDataPoints(summaryPoint(point, expect(value, SummaryValue.class, point))));
    }
    return b.build();
  }

  private static NumberDataPoint numberPoint(MetricPoint point, Object value) {
    NumberDataPoint.Builder b = NumberDataPoint.newBuilder()
        .addAllAttributes(attributes(point.getAttributes()))
        .setStartTimeUnixNano(point.getStartTimeUnixNano())
        .setTimeUnixNano(point.getTimeUnixNano())
        .addAllExemplars(exemplars(point))
        .setFlags(point.getFlags());
    Object number = expect(value, NumberValue.class, point).getValue();
    switch (number) {
      case Double d -> b.setAsDouble(d);
      case Long l -> b.setAsInt(l);
      case null, default -> throw new OtlpConversionException(
          "value of metric '" + point.getName() + "': " + number + " (expected: double or long)");
    }
    return b.build();
  }

  private static HistogramDataPoint histogramPoint(MetricPoint point, HistogramValue value) {
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder()
        .addAllAttributes(attributes(point.getAttributes()))
        .setStartTimeUnixNano(point.getStartTimeUnixNano())
        .setTimeUnixNano(point.getTimeUnixNano())
        .setCount(value.getCount())
        .addAllBucketCounts(value.getBucketCounts())
        .addAllExplicitBounds(value.getExplicitBounds())
        .addAllExemplars(exemplars(point))
        .setFlags(point.getFlags());
    setIfPresent(value.getSum(), b::setSum);
    setIfPresent(value.getMin(), b::setMin);
    setIfPresent(value.getMax(), b::setMax);
    return b.build();
  }

  private static ExponentialHistogramDataPoint exponentialPoint(MetricPoint point, ExponentialHistogramValue value) {
    ExponentialHistogramDataPoint.Builder b = ExponentialHistogramDataPoint.newBuilder()
        .addAllAttributes(attributes(point.getAttributes()))
        .setStartTimeUnixNano(point.getStartTimeUnixNano())
        .setTimeUnixNano(point.getTimeUnixNano())
        .setCount(value.getCount())
        .setScale(value.getScale())
        .setZeroCount(value.getZeroCount())
        .setZeroThreshold(value.getZeroThreshold())
        .setPositive(buckets(value.getPositive()))
        .setNegative(buckets(value.getNegative()))
        .addAllExemplars(exemplars(point))
        .setFlags(point.getFlags());
    setIfPresent(value.getSum(), b::setSum);
    setIfPresent(value.getMin(), b::setMin);
    setIfPresent(value.getMax(), b::setMax);
    return b.build();
  }

  private static SummaryDataPoint summaryPoint(MetricPoint point, SummaryValue value) {
    SummaryDataPoint.Builder b = SummaryDataPoint.newBuilder()
        .addAllAttributes(attributes(point.getAttributes()))
        .setStartTimeUnixNano(point.getStartTimeUnixNano())
        .setTimeUnixNano(point.getTimeUnixNano())
        .setCount(value.getCount())
        .setSum(value.getSum())
        .setFlags(point.getFlags());
    for (QuantileValue q : value.getQuantileValues()) {
      b.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q.getQuantile()).setValue(q.getValue()));
    }
    return b.build();
  }

  /** Sets an optional OTLP double ({@code sum}, {@code min}, {@code max}) when the Avro field holds one. */
  private static void setIfPresent(Double value, DoubleConsumer setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  private static ExponentialHistogramDataPoint.Buckets buckets(ExponentialBuckets buckets) {
    return ExponentialHistogramDataPoint.Buckets.newBuilder()
        .setOffset(buckets.getOffset())
        .addAllBucketCounts(buckets.getBucketCounts())
        .build();
  }

  private static List<Exemplar> exemplars(MetricPoint point) {
    List<Exemplar> exemplars = new ArrayList<>(point.getExemplars().size());
    for (io.tributary.schemas.avro.Exemplar e : point.getExemplars()) {
      Exemplar.Builder b = Exemplar.newBuilder()
          .setTimeUnixNano(e.getTimeUnixNano())
          .addAllFilteredAttributes(attributes(e.getFilteredAttributes()));
      switch (e.getValue()) {
        case Double d -> b.setAsDouble(d);
        case Long l -> b.setAsInt(l);
        case null, default -> throw new OtlpConversionException("exemplar value of metric '" + point.getName()
            + "': " + e.getValue() + " (expected: double or long)");
      }
      if (e.getTraceId() != null) {
        b.setTraceId(id(e.getTraceId(), 16, "exemplars.traceId"));
      }
      if (e.getSpanId() != null) {
        b.setSpanId(id(e.getSpanId(), 8, "exemplars.spanId"));
      }
      exemplars.add(b.build());
    }
    return exemplars;
  }

  private static AggregationTemporality temporality(MetricPoint point) {
    if (point.getAggregationTemporality() == null) {
      return AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
    }
    return switch (point.getAggregationTemporality()) {
      case AGGREGATION_TEMPORALITY_DELTA -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      case AGGREGATION_TEMPORALITY_CUMULATIVE -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case AGGREGATION_TEMPORALITY_UNSPECIFIED -> AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
    };
  }

  private static <T> T expect(Object value, Class<T> type, MetricPoint point) {
    if (!type.isInstance(value)) {
      throw new OtlpConversionException("value of " + point.getType() + " metric '" + point.getName() + "': "
          + (value == null ? "null" : value.getClass().getSimpleName()) + " (expected: " + type.getSimpleName() + ")");
    }
    return type.cast(value);
  }

  public static Resource resource(io.tributary.schemas.avro.Resource r) {
    return Resource.newBuilder()
        .addAllAttributes(attributes(r.getAttributes()))
        .setDroppedAttributesCount(r.getDroppedAttributesCount())
        .build();
  }

  public static InstrumentationScope scope(io.tributary.schemas.avro.InstrumentationScope s) {
    InstrumentationScope.Builder b = InstrumentationScope.newBuilder()
        .setName(s.getName())
        .addAllAttributes(attributes(s.getAttributes()))
        .setDroppedAttributesCount(s.getDroppedAttributesCount());
    if (s.getVersion() != null) {
      b.setVersion(s.getVersion());
    }
    return b.build();
  }

  public static List<KeyValue> attributes(List<io.tributary.schemas.avro.KeyValue> attributes) {
    List<KeyValue> converted = new ArrayList<>(attributes.size());
    for (io.tributary.schemas.avro.KeyValue kv : attributes) {
      converted.add(keyValue(kv));
    }
    return converted;
  }

  private static KeyValue keyValue(io.tributary.schemas.avro.KeyValue kv) {
    return KeyValue.newBuilder().setKey(kv.getKey()).setValue(anyValue(kv.getValue())).build();
  }

  /** The value with its OTLP type; an Avro null value is an empty {@code AnyValue}. */
  public static AnyValue anyValue(io.tributary.schemas.avro.AnyValue value) {
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
      default -> throw new OtlpConversionException("attribute value of unknown type " + v.getClass().getName());
    }
    return b.build();
  }

  private static ByteString id(String hex, int bytes, String field) {
    if (hex.length() != bytes * 2) {
      throw new OtlpConversionException(field + ": '" + hex + "' (expected: " + bytes * 2 + " hex characters)");
    }
    try {
      return ByteString.copyFrom(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new OtlpConversionException(field + ": '" + hex + "' is not hex");
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
