package io.tributary.processors.spanmetrics.internal;

import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.spanmetrics.SpanDimension;
import io.tributary.processors.spanmetrics.SpanMetrics;
import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * The metric points of one span metrics series at one time: calls, errors (once there are any), duration
 * histogram; and the point and histogram builders other metrics counted from spans share.
 */
public final class SpanMetricPoints {

  private static final long NANOS_PER_MILLI = 1_000_000L;

  private SpanMetricPoints() {}

  public static List<MetricPoint> of(SeriesKey series, SeriesState state, long timeMs, double[] boundsMs) {
    List<KeyValue> resource = new ArrayList<>(1);
    List<KeyValue> attributes = new ArrayList<>(series.dimensions().size() / 2);
    for (int i = 0; i < series.dimensions().size(); i += 2) {
      KeyValue kv = new KeyValue(series.dimensions().get(i), new AnyValue(series.dimensions().get(i + 1)));
      (kv.getKey().equals(SpanDimension.SERVICE_NAME.key()) ? resource : attributes).add(kv);
    }
    SpanCounts counts = state.counts;
    List<MetricPoint> points = new ArrayList<>(3);
    points.add(sum(series, resource, attributes, state, timeMs, SpanMetrics.CALLS_METRIC,
        "Spans counted, before sampling", counts.calls));
    if (counts.errors > 0) { // like a labelled counter: the series appears with its first error
      points.add(sum(series, resource, attributes, state, timeMs, SpanMetrics.ERRORS_METRIC,
          "Spans with status ERROR, before sampling", counts.errors));
    }
    HistogramValue histogram = histogram(counts, boundsMs);
    if (histogram != null) { // else counted under other bounds (a config change): no histogram
      points.add(point(series, resource, attributes, state, timeMs, SpanMetrics.DURATION_METRIC,
          "Span durations, before sampling", "ms", MetricType.HISTOGRAM, null, histogram));
    }
    return points;
  }

  /** {@code counts}' durations as a histogram value; null if they were counted under other bounds. */
  public static HistogramValue histogram(SpanCounts counts, double[] bounds) {
    if (counts.buckets.length != bounds.length + 1) {
      return null;
    }
    List<Long> buckets = new ArrayList<>(counts.buckets.length);
    for (long bucket : counts.buckets) {
      buckets.add(bucket);
    }
    List<Double> boundList = new ArrayList<>(bounds.length);
    for (double bound : bounds) {
      boundList.add(bound);
    }
    return new HistogramValue(counts.calls, counts.sum, counts.calls == 0 ? null : counts.min,
        counts.calls == 0 ? null : counts.max, buckets, boundList);
  }

  private static MetricPoint sum(SeriesKey series, List<KeyValue> resource, List<KeyValue> attributes,
      SeriesState state, long timeMs, String name, String description, long value) {
    return point(series, resource, attributes, state, timeMs, name, description, "{call}", MetricType.SUM, true,
        new NumberValue(value));
  }

  private static MetricPoint point(SeriesKey series, List<KeyValue> resource, List<KeyValue> attributes,
      SeriesState state, long timeMs, String name, String description, String unit, MetricType type,
      Boolean monotonic, Object value) {
    return point(SpanMetrics.SCOPE_NAME, series.tenant(), resource, attributes, state, timeMs, name, description, unit,
        type, monotonic, value);
  }

  /**
   * A cumulative point of a series of {@code tenant} that {@code state} holds, at {@code timeMs}, its series id
   * computed ({@link MetricType#SUM} points are monotonic when {@code monotonic}; others pass null).
   */
  public static MetricPoint point(String scope, String tenant, List<KeyValue> resource, List<KeyValue> attributes,
      SeriesState state, long timeMs, String name, String description, String unit, MetricType type,
      Boolean monotonic, Object value) {
    MetricPoint point = MetricPoint.newBuilder()
        .setTenant(tenant)
        .setSeriesId("")
        .setResource(new Resource(resource, 0, null))
        .setScope(InstrumentationScope.newBuilder().setName(scope).build())
        .setName(name)
        .setDescription(description)
        .setUnit(unit)
        .setType(type)
        .setAttributes(attributes)
        .setStartTimeUnixNano(state.startMs * NANOS_PER_MILLI)
        .setTimeUnixNano(timeMs * NANOS_PER_MILLI)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setIsMonotonic(monotonic)
        .setValue(value)
        .build();
    point.setSeriesId(StableIds.seriesId(point));
    return point;
  }
}
