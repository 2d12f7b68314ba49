package io.tributary.processors.internal.normalize;

import static io.tributary.processors.internal.normalize.OtlpConversions.SPAN_ID_BYTES;
import static io.tributary.processors.internal.normalize.OtlpConversions.TRACE_ID_BYTES;
import static io.tributary.processors.internal.normalize.OtlpConversions.attributes;
import static io.tributary.processors.internal.normalize.OtlpConversions.emptyToNull;
import static io.tributary.processors.internal.normalize.OtlpConversions.optionalId;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.tributary.processors.internal.normalize.OtlpConversions.Path;
import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.ExponentialBuckets;
import io.tributary.schemas.avro.ExponentialHistogramValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.QuantileValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.SummaryValue;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ExportMetricsServiceRequest} to one Avro {@link MetricPoint} per data point, for all five
 * metric types, with its {@link StableIds#seriesId series id}. A metric without data (OTLP allows it) yields no point;
 * a number point or exemplar without a value is invalid OTLP and rejects the request. Points of one
 * resource/scope share their {@link Resource} and {@link InstrumentationScope} objects.
 *
 * <p>Not kept, for want of a schema field: {@code Metric.metadata} and {@code Resource.entity_refs}.
 */
public final class MetricNormalizer implements Normalizer<MetricPoint> {

  @Override
  public String messageName() {
    return ExportMetricsServiceRequest.getDescriptor().getFullName();
  }

  @Override
  public List<MetricPoint> normalize(byte[] payload, String tenant) throws MalformedTelemetryException {
    ExportMetricsServiceRequest request = RawRequests.parse(payload, ExportMetricsServiceRequest.getDefaultInstance());
    List<MetricPoint> points = new ArrayList<>();
    for (int r = 0; r < request.getResourceMetricsCount(); r++) {
      ResourceMetrics resourceMetrics = request.getResourceMetrics(r);
      Resource resource = OtlpConversions.resource(resourceMetrics.getResource(), resourceMetrics.getSchemaUrl());
      for (int s = 0; s < resourceMetrics.getScopeMetricsCount(); s++) {
        ScopeMetrics scopeMetrics = resourceMetrics.getScopeMetrics(s);
        InstrumentationScope scope = OtlpConversions.scope(scopeMetrics.getScope(), scopeMetrics.getSchemaUrl());
        for (int m = 0; m < scopeMetrics.getMetricsCount(); m++) {
          Path path = new Path("resourceMetrics", r, "scopeMetrics", s, "metrics", m);
          new MetricContext(tenant, resource, scope, scopeMetrics.getMetrics(m), path).addPoints(points);
        }
      }
    }
    return points;
  }

  /** One metric being converted: what its points share. */
  private record MetricContext(String tenant, Resource resource, InstrumentationScope scope, Metric metric,
      Path path) {

    void addPoints(List<MetricPoint> points) throws MalformedTelemetryException {
      switch (metric.getDataCase()) {
        case GAUGE -> {
          List<NumberDataPoint> dataPoints = metric.getGauge().getDataPointsList();
          for (int i = 0; i < dataPoints.size(); i++) {
            NumberDataPoint p = dataPoints.get(i);
            points.add(point(MetricType.GAUGE, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                null, null, new NumberValue(number(p, i)), exemplars(p.getExemplarsList(), i), p.getFlags()));
          }
        }
        case SUM -> {
          List<NumberDataPoint> dataPoints = metric.getSum().getDataPointsList();
          AggregationTemporality temporality = temporality(metric.getSum().getAggregationTemporality());
          for (int i = 0; i < dataPoints.size(); i++) {
            NumberDataPoint p = dataPoints.get(i);
            points.add(point(MetricType.SUM, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                temporality, metric.getSum().getIsMonotonic(), new NumberValue(number(p, i)),
                exemplars(p.getExemplarsList(), i), p.getFlags()));
          }
        }
        case HISTOGRAM -> {
          List<HistogramDataPoint> dataPoints = metric.getHistogram().getDataPointsList();
          AggregationTemporality temporality = temporality(metric.getHistogram().getAggregationTemporality());
          for (int i = 0; i < dataPoints.size(); i++) {
            HistogramDataPoint p = dataPoints.get(i);
            HistogramValue value = new HistogramValue(p.getCount(),
                p.hasSum() ? p.getSum() : null, p.hasMin() ? p.getMin() : null, p.hasMax() ? p.getMax() : null,
                new ArrayList<>(p.getBucketCountsList()), new ArrayList<>(p.getExplicitBoundsList()));
            points.add(point(MetricType.HISTOGRAM, p.getAttributesList(), p.getStartTimeUnixNano(),
                p.getTimeUnixNano(), temporality, null, value, exemplars(p.getExemplarsList(), i), p.getFlags()));
          }
        }
        case EXPONENTIAL_HISTOGRAM -> {
          List<ExponentialHistogramDataPoint> dataPoints = metric.getExponentialHistogram().getDataPointsList();
          AggregationTemporality temporality =
              temporality(metric.getExponentialHistogram().getAggregationTemporality());
          for (int i = 0; i < dataPoints.size(); i++) {
            ExponentialHistogramDataPoint p = dataPoints.get(i);
            ExponentialHistogramValue value = new ExponentialHistogramValue(p.getCount(),
                p.hasSum() ? p.getSum() : null, p.getScale(), p.getZeroCount(), p.getZeroThreshold(),
                buckets(p.getPositive()), buckets(p.getNegative()),
                p.hasMin() ? p.getMin() : null, p.hasMax() ? p.getMax() : null);
            points.add(point(MetricType.EXPONENTIAL_HISTOGRAM, p.getAttributesList(), p.getStartTimeUnixNano(),
                p.getTimeUnixNano(), temporality, null, value, exemplars(p.getExemplarsList(), i), p.getFlags()));
          }
        }
        case SUMMARY -> {
          for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
            List<QuantileValue> quantiles = new ArrayList<>(p.getQuantileValuesCount());
            for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
              quantiles.add(new QuantileValue(q.getQuantile(), q.getValue()));
            }
            points.add(point(MetricType.SUMMARY, p.getAttributesList(), p.getStartTimeUnixNano(),
                p.getTimeUnixNano(), null, null, new SummaryValue(p.getCount(), p.getSum(), quantiles),
                new ArrayList<>(0), p.getFlags()));
          }
        }
        case DATA_NOT_SET -> { } // allowed by OTLP, carries no point
      }
    }

    private MetricPoint point(MetricType type, List<io.opentelemetry.proto.common.v1.KeyValue> otlpAttributes,
        long startTimeUnixNano, long timeUnixNano, AggregationTemporality temporality, Boolean isMonotonic,
        Object value, List<Exemplar> exemplars, int flags) {
      List<KeyValue> pointAttributes = attributes(otlpAttributes);
      return new MetricPoint(tenant, StableIds.seriesId(tenant, resource.getAttributes(), metric.getName(), pointAttributes),
          resource, scope, metric.getName(), emptyToNull(metric.getDescription()), emptyToNull(metric.getUnit()),
          type, pointAttributes, startTimeUnixNano, timeUnixNano, temporality, isMonotonic, value, exemplars, flags);
    }

    private Object number(NumberDataPoint p, int index) throws MalformedTelemetryException {
      return switch (p.getValueCase()) {
        case AS_DOUBLE -> p.getAsDouble();
        case AS_INT -> p.getAsInt();
        case VALUE_NOT_SET -> throw new MalformedTelemetryException(
            path.field("dataPoints[" + index + "].value") + ": not set (expected: asDouble or asInt)");
      };
    }

    private List<Exemplar> exemplars(List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars, int pointIndex)
        throws MalformedTelemetryException {
      List<Exemplar> converted = new ArrayList<>(exemplars.size());
      for (int e = 0; e < exemplars.size(); e++) {
        io.opentelemetry.proto.metrics.v1.Exemplar exemplar = exemplars.get(e);
        String where = "dataPoints[" + pointIndex + "].exemplars[" + e + "].";
        Object value = switch (exemplar.getValueCase()) {
          case AS_DOUBLE -> exemplar.getAsDouble();
          case AS_INT -> exemplar.getAsInt();
          case VALUE_NOT_SET -> throw new MalformedTelemetryException(
              path.field(where + "value") + ": not set (expected: asDouble or asInt)");
        };
        converted.add(new Exemplar(exemplar.getTimeUnixNano(), value,
            optionalId(exemplar.getTraceId(), TRACE_ID_BYTES, path, where + "traceId"),
            optionalId(exemplar.getSpanId(), SPAN_ID_BYTES, path, where + "spanId"),
            attributes(exemplar.getFilteredAttributesList())));
      }
      return converted;
    }
  }

  private static ExponentialBuckets buckets(ExponentialHistogramDataPoint.Buckets buckets) {
    return new ExponentialBuckets(buckets.getOffset(), new ArrayList<>(buckets.getBucketCountsList()));
  }

  private static AggregationTemporality temporality(
      io.opentelemetry.proto.metrics.v1.AggregationTemporality temporality) {
    return switch (temporality) {
      case AGGREGATION_TEMPORALITY_DELTA -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      case AGGREGATION_TEMPORALITY_CUMULATIVE -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case AGGREGATION_TEMPORALITY_UNSPECIFIED, UNRECOGNIZED ->
          AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
    };
  }
}
