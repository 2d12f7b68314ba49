package io.tributary.sinks;

import static io.tributary.testsupport.AvroValues.kv;
import static io.tributary.testsupport.AvroValues.nanos;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Metric points for the sink tests, built the way the metrics pipeline writes them. */
public final class MetricPoints {

  /** A fixed instant the tests count from (stores are started empty, so any past instant works). */
  public static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  private MetricPoints() {}

  public static Resource resource(String namespace, String service, String instance, String... moreKeyValues) {
    List<KeyValue> attributes = new ArrayList<>();
    if (namespace != null) {
      attributes.add(kv("service.namespace", namespace));
    }
    attributes.add(kv("service.name", service));
    if (instance != null) {
      attributes.add(kv("service.instance.id", instance));
    }
    for (int i = 0; i < moreKeyValues.length; i += 2) {
      attributes.add(kv(moreKeyValues[i], moreKeyValues[i + 1]));
    }
    return new Resource(attributes, 0, null);
  }

  public static InstrumentationScope scope() {
    return new InstrumentationScope("io.tributary.test", "1.0", new ArrayList<>(), 0, null);
  }

  public static MetricPoint.Builder base(String tenant, Resource resource, String name, String unit, MetricType type,
      Instant time, KeyValue... attributes) {
    return MetricPoint.newBuilder()
        .setTenant(tenant)
        .setSeriesId(name + List.of(attributes))
        .setResource(resource)
        .setScope(scope())
        .setName(name)
        .setUnit(unit)
        .setType(type)
        .setAttributes(new ArrayList<>(List.of(attributes)))
        .setTimeUnixNano(nanos(time));
  }

  public static MetricPoint gauge(Resource resource, String name, String unit, Instant time, double value,
      KeyValue... attributes) {
    return base("default", resource, name, unit, MetricType.GAUGE, time, attributes)
        .setValue(new NumberValue(value)).build();
  }

  public static MetricPoint counter(Resource resource, String name, String unit, Instant time, long value,
      KeyValue... attributes) {
    return base("default", resource, name, unit, MetricType.SUM, time, attributes)
        .setStartTimeUnixNano(nanos(T0))
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setIsMonotonic(true)
        .setValue(new NumberValue(value)).build();
  }

  public static MetricPoint histogram(Resource resource, String name, String unit, Instant time, List<Double> bounds,
      List<Long> counts, double sum, KeyValue... attributes) {
    long count = counts.stream().mapToLong(Long::longValue).sum();
    return base("default", resource, name, unit, MetricType.HISTOGRAM, time, attributes)
        .setStartTimeUnixNano(nanos(T0))
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setValue(new HistogramValue(count, sum, null, null, new ArrayList<>(counts), new ArrayList<>(bounds)))
        .build();
  }
}
