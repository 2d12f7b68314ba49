package io.tributary.gateway.internal;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tributary.schemas.otlp.OtlpRecordKeys;
import io.tributary.schemas.prometheus.RemoteWriteProto;
import io.tributary.schemas.prometheus.RemoteWriteRequest;
import io.tributary.schemas.prometheus.RemoteWriteRequest.Label;
import io.tributary.schemas.prometheus.RemoteWriteRequest.MetricMetadata;
import io.tributary.schemas.prometheus.RemoteWriteRequest.MetricType;
import io.tributary.schemas.prometheus.RemoteWriteRequest.Sample;
import io.tributary.schemas.prometheus.RemoteWriteRequest.TimeSeries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A remote_write {@code WriteRequest} as OTLP metric records for {@code otlp_metrics}, after the
 * OpenTelemetry specification's Prometheus compatibility rules (Prometheus to OTLP):
 *
 * <ul>
 *   <li>{@code job} becomes {@code service.name} (the part before a first {@code /} becomes
 *       {@code service.namespace}), {@code instance} becomes {@code service.instance.id}; the other
 *       labels become the point's attributes;
 *   <li>the type comes from the request's metric metadata when it has some for the family, else from
 *       the name: {@code _total} is a counter (a cumulative monotonic sum keeping its name),
 *       {@code _bucket} series with {@code le} plus {@code _sum} and {@code _count} of one family,
 *       labels and timestamp are one histogram point when all of them are in the request (buckets up
 *       to {@code +Inf}, cumulative counts that never decrease), anything else is a gauge; the parts of
 *       an incomplete histogram stay gauges under their own names, so no sample is lost;
 *   <li>{@code target_info}'s labels become resource attributes of the series with the same
 *       {@code job}/{@code instance} in the request; a {@code target_info} without such series stays
 *       a gauge;
 *   <li>Prometheus' staleness marker becomes a point flagged {@code NO_RECORDED_VALUE}.
 * </ul>
 *
 * <p>One record per resource and metric, keyed as the gateway keys OTLP metrics but over the resource
 * with {@code service.*} attributes only: {@code target_info} comes and goes between requests
 * (Prometheus shards a target's series over several), and must not move a series to another
 * partition. Stateless: nothing is remembered between requests (Prometheus sends its metadata in
 * requests of their own, so in practice its series are typed by their names).
 */
final class RemoteWriteConverter {

  static final String TARGET_INFO = "target_info";
  private static final String NAME = "__name__";
  private static final String JOB = "job";
  private static final String INSTANCE = "instance";
  private static final String LE = "le";
  /** Tag and the largest length varint a point adds inside its metric, scope and resource. */
  private static final int POINT_OVERHEAD = 6;

  private final int maxRecordBytes;

  RemoteWriteConverter(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The records of {@code request}; refused as a whole when a series has no name or repeats a label. */
  SplitResult convert(RemoteWriteRequest request) throws MalformedRequestException {
    Map<String, MetricMetadata> metadata = new HashMap<>();
    for (MetricMetadata m : request.metadata()) {
      metadata.putIfAbsent(m.familyName(), m);
    }
    List<TimeSeries> series = request.timeseries();
    for (int i = 0; i < series.size(); i++) {
      validate(series.get(i), i);
    }
    Set<String> histogramFamilies = histogramFamilies(series, metadata);

    Map<List<String>, Target> targets = new LinkedHashMap<>();
    Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    List<TimeSeries> infos = new ArrayList<>();
    Map<HistogramKey, HistogramParts> histograms = new LinkedHashMap<>();
    for (TimeSeries ts : series) {
      if (ts.nativeHistograms() > 0) {
        rejected.merge(RejectReason.NATIVE_HISTOGRAM, (long) ts.nativeHistograms(), Long::sum);
      }
      String name = ts.label(NAME);
      if (name.equals(TARGET_INFO)) {
        infos.add(ts);
        continue;
      }
      if (ts.samples().isEmpty()) {
        continue;
      }
      Target target = targets.computeIfAbsent(targetOf(ts), Target::new);
      String family = histogramFamily(name, ts, histogramFamilies);
      if (family != null) {
        List<KeyValue> attributes = attributes(ts, LE);
        for (Sample sample : ts.samples()) {
          histograms.computeIfAbsent(new HistogramKey(target.id, family, attributes, sample.timestampMs()),
              k -> new HistogramParts()).add(name.substring(family.length()), ts, sample);
        }
        continue;
      }
      MetricMetadata meta = metadataOf(name, metadata);
      boolean counter = meta != null ? meta.type() == MetricType.COUNTER : name.endsWith("_total");
      MetricBuilder metric = target.metric(name, counter ? Kind.COUNTER : Kind.GAUGE, meta);
      List<KeyValue> attributes = attributes(ts, null);
      for (Sample sample : ts.samples()) {
        metric.number(attributes, sample);
      }
    }
    for (Map.Entry<HistogramKey, HistogramParts> e : histograms.entrySet()) {
      HistogramKey key = e.getKey();
      Target target = targets.get(key.target);
      HistogramDataPoint point = e.getValue().point(key);
      if (point != null) {
        target.metric(key.family, Kind.HISTOGRAM, metadataOf(key.family, metadata)).histogram(point);
      } else {
        for (HistogramParts.Part part : e.getValue().parts) {
          target.metric(part.name, Kind.GAUGE, null).number(attributes(part.series, null), part.sample);
        }
      }
    }
    for (TimeSeries info : infos) {
      Target target = targets.get(targetOf(info));
      if (target != null) {
        target.info(attributes(info, null));
      } else if (!info.samples().isEmpty()) {
        Target alone = targets.computeIfAbsent(targetOf(info), Target::new);
        MetricBuilder metric = alone.metric(TARGET_INFO, Kind.GAUGE, metadataOf(TARGET_INFO, metadata));
        for (Sample sample : info.samples()) {
          metric.number(attributes(info, null), sample);
        }
      }
    }
    return records(targets.values(), rejected);
  }

  private static void validate(TimeSeries ts, int index) throws MalformedRequestException {
    Set<String> names = new HashSet<>();
    for (Label label : ts.labels()) {
      if (label.name().isEmpty()) {
        throw new MalformedRequestException("timeseries[" + index + "] " + describe(ts)
            + ": a label with an empty name (every label needs a name)");
      }
      if (!names.add(label.name())) {
        throw new MalformedRequestException("timeseries[" + index + "] " + describe(ts) + ": label '"
            + label.name() + "' appears twice (each label name once per series)");
      }
    }
    String name = ts.label(NAME);
    if (name == null || name.isEmpty()) {
      throw new MalformedRequestException("timeseries[" + index + "] " + describe(ts)
          + ": no __name__ label (every series needs a metric name)");
    }
  }

  private static String describe(TimeSeries ts) {
    StringBuilder b = new StringBuilder("{");
    for (Label label : ts.labels()) {
      if (b.length() > 200) {
        return b.append("...}").toString();
      }
      b.append(b.length() > 1 ? ", " : "").append(label.name()).append("=\"").append(label.value()).append('"');
    }
    return b.append('}').toString();
  }

  /** Families with a {@code _bucket} series with {@code le} whose metadata, if any, says histogram. */
  private static Set<String> histogramFamilies(List<TimeSeries> series, Map<String, MetricMetadata> metadata) {
    Set<String> families = new HashSet<>();
    for (TimeSeries ts : series) {
      String name = ts.label(NAME);
      if (name.endsWith("_bucket") && ts.label(LE) != null) {
        String family = name.substring(0, name.length() - "_bucket".length());
        MetricMetadata meta = metadata.get(family);
        if (meta == null ? !metadata.containsKey(name) : meta.type() == MetricType.HISTOGRAM) {
          families.add(family);
        }
      }
    }
    return families;
  }

  /** The histogram family {@code name} is a part of, or null. */
  private static String histogramFamily(String name, TimeSeries ts, Set<String> families) {
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        String family = name.substring(0, name.length() - suffix.length());
        if (families.contains(family) && (!suffix.equals("_bucket") || parseLe(ts.label(LE)) != null)) {
          return family;
        }
      }
    }
    return null;
  }

  private static MetricMetadata metadataOf(String name, Map<String, MetricMetadata> metadata) {
    MetricMetadata meta = metadata.get(name);
    if (meta == null && name.endsWith("_total")) {
      meta = metadata.get(name.substring(0, name.length() - "_total".length())); // OpenMetrics' family name
    }
    return meta;
  }

  private static Double parseLe(String le) {
    if (le == null) {
      return null;
    }
    try {
      return Double.parseDouble(le.equals("+Inf") ? "Infinity" : le);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** job and instance: what the resource of a series is made of. */
  private static List<String> targetOf(TimeSeries ts) {
    return java.util.Arrays.asList(ts.label(JOB), ts.label(INSTANCE));
  }

  /** The labels other than {@code __name__}, {@code job}, {@code instance} (and {@code except}) as attributes. */
  private static List<KeyValue> attributes(TimeSeries ts, String except) {
    List<KeyValue> attributes = new ArrayList<>(ts.labels().size());
    for (Label label : ts.labels()) {
      String n = label.name();
      if (!n.equals(NAME) && !n.equals(JOB) && !n.equals(INSTANCE) && !n.equals(except) && !label.value().isEmpty()) {
        attributes.add(attribute(n, label.value()));
      }
    }
    return attributes;
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static long nanos(long timestampMs) {
    return timestampMs * 1_000_000L;
  }

  private static int flags(double value) {
    return RemoteWriteProto.isStaleMarker(value) ? DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE : 0;
  }

  private SplitResult records(Iterable<Target> targets, Map<RejectReason, Long> rejected) {
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    long accepted = 0;
    for (Target target : targets) {
      Resource resource = target.resource();
      long resourceHash = OtlpRecordKeys.resourceHash(target.identity);
      for (MetricBuilder metric : target.metrics.values()) {
        byte[] key = OtlpRecordKeys.metricKey(resourceHash, metric.name).getBytes(StandardCharsets.US_ASCII);
        int base = request(resource, metric.build(0, 0)).getSerializedSize() + POINT_OVERHEAD;
        int from = 0;
        int bytes = base;
        for (int i = 0; i < metric.size(); i++) {
          int size = metric.pointSize(i) + POINT_OVERHEAD;
          if (base + size > maxRecordBytes) {
            // Only a point with thousands of labels gets here; the rest of its metric still goes.
            if (from < i) {
              keys.add(key);
              values.add(request(resource, metric.build(from, i)).toByteArray());
            }
            rejected.merge(RejectReason.TOO_LARGE, 1L, Long::sum);
            from = i + 1;
            bytes = base;
            continue;
          }
          if (bytes + size > maxRecordBytes) {
            keys.add(key);
            values.add(request(resource, metric.build(from, i)).toByteArray());
            from = i;
            bytes = base;
          }
          bytes += size;
          accepted++;
        }
        if (from < metric.size()) {
          keys.add(key);
          values.add(request(resource, metric.build(from, metric.size())).toByteArray());
        }
      }
    }
    return new SplitResult(keys.size(), keys.toArray(new byte[0][]), values.toArray(new byte[0][]), accepted,
        rejected);
  }

  private static ExportMetricsServiceRequest request(Resource resource, Metric metric) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(resource).addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(metric))).build();
  }

  private enum Kind { GAUGE, COUNTER, HISTOGRAM }

  /** The series of one job/instance: its resource and metrics. */
  private static final class Target {
    final List<String> id;
    final Resource identity;
    final List<KeyValue> info = new ArrayList<>();
    final Map<String, MetricBuilder> metrics = new LinkedHashMap<>();

    Target(List<String> id) {
      this.id = id;
      Resource.Builder resource = Resource.newBuilder();
      String job = id.get(0);
      if (job != null && !job.isEmpty()) {
        int slash = job.indexOf('/');
        if (slash > 0 && slash < job.length() - 1) {
          resource.addAttributes(attribute("service.name", job.substring(slash + 1)));
          resource.addAttributes(attribute("service.namespace", job.substring(0, slash)));
        } else {
          resource.addAttributes(attribute("service.name", job));
        }
      }
      String instance = id.get(1);
      if (instance != null && !instance.isEmpty()) {
        resource.addAttributes(attribute("service.instance.id", instance));
      }
      this.identity = resource.build();
    }

    MetricBuilder metric(String name, Kind kind, MetricMetadata meta) {
      return metrics.computeIfAbsent(kind + "\u0000" + name, k -> new MetricBuilder(name, kind, meta));
    }

    /** target_info's labels, after the service attributes; they never replace one. */
    void info(List<KeyValue> attributes) {
      Set<String> taken = new HashSet<>();
      identity.getAttributesList().forEach(kv -> taken.add(kv.getKey()));
      info.forEach(kv -> taken.add(kv.getKey()));
      for (KeyValue kv : attributes) {
        if (taken.add(kv.getKey())) {
          info.add(kv);
        }
      }
    }

    Resource resource() {
      if (info.isEmpty()) {
        return identity;
      }
      List<KeyValue> sorted = new ArrayList<>(info);
      sorted.sort(java.util.Comparator.comparing(KeyValue::getKey));
      return identity.toBuilder().addAllAttributes(sorted).build();
    }
  }

  /** The points of one OTLP metric. */
  private static final class MetricBuilder {
    final String name;
    final Kind kind;
    final MetricMetadata meta;
    final List<NumberDataPoint> numbers = new ArrayList<>();
    final List<HistogramDataPoint> histograms = new ArrayList<>();

    MetricBuilder(String name, Kind kind, MetricMetadata meta) {
      this.name = name;
      this.kind = kind;
      this.meta = meta;
    }

    void number(List<KeyValue> attributes, Sample sample) {
      numbers.add(NumberDataPoint.newBuilder().addAllAttributes(attributes).setTimeUnixNano(nanos(sample.timestampMs()))
          .setAsDouble(sample.value()).setFlags(flags(sample.value())).build());
    }

    void histogram(HistogramDataPoint point) {
      histograms.add(point);
    }

    int size() {
      return kind == Kind.HISTOGRAM ? histograms.size() : numbers.size();
    }

    int pointSize(int i) {
      return kind == Kind.HISTOGRAM ? histograms.get(i).getSerializedSize() : numbers.get(i).getSerializedSize();
    }

    /** The metric with points {@code [from, to)}. */
    Metric build(int from, int to) {
      Metric.Builder metric = Metric.newBuilder().setName(name);
      if (meta != null && !meta.help().isEmpty()) {
        metric.setDescription(meta.help());
      }
      switch (kind) {
        case GAUGE -> metric.setGauge(Gauge.newBuilder().addAllDataPoints(numbers.subList(from, to)));
        case COUNTER -> metric.setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addAllDataPoints(numbers.subList(from, to)));
        case HISTOGRAM -> metric.setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addAllDataPoints(histograms.subList(from, to)));
      }
      return metric.build();
    }
  }

  /** One would-be histogram point: a family's series with the same other labels and timestamp. */
  private record HistogramKey(List<String> target, String family, List<KeyValue> attributes, long timestampMs) {}

  private static final class HistogramParts {
    record Part(String name, TimeSeries series, Sample sample) {}

    final List<Part> parts = new ArrayList<>();
    final TreeMap<Double, Double> buckets = new TreeMap<>();
    Double sum;
    Double count;
    boolean duplicate;

    void add(String suffix, TimeSeries ts, Sample sample) {
      parts.add(new Part(ts.label(NAME), ts, sample));
      switch (suffix) {
        case "_bucket" -> duplicate |= buckets.put(parseLe(ts.label(LE)), sample.value()) != null;
        case "_sum" -> {
          duplicate |= sum != null;
          sum = sample.value();
        }
        default -> {
          duplicate |= count != null;
          count = sample.value();
        }
      }
    }

    /** The histogram point, or null when the parts do not make a whole one. */
    HistogramDataPoint point(HistogramKey key) {
      Double total = buckets.get(Double.POSITIVE_INFINITY);
      if (duplicate || sum == null || count == null || total == null || buckets.firstKey().isInfinite() && buckets.size() > 1
          || buckets.lastKey().isNaN()) {
        return null;
      }
      HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder().addAllAttributes(key.attributes())
          .setTimeUnixNano(nanos(key.timestampMs()));
      boolean stale = RemoteWriteProto.isStaleMarker(sum) && RemoteWriteProto.isStaleMarker(count);
      double previous = 0;
      for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
        double cumulative = bucket.getValue();
        if (stale != RemoteWriteProto.isStaleMarker(cumulative)) {
          return null;
        }
        if (!stale) {
          if (!(cumulative >= previous) || cumulative != Math.rint(cumulative)) {
            return null; // not a count, or decreasing: not something a histogram point can say
          }
          point.addBucketCounts((long) (cumulative - previous));
          previous = cumulative;
        } else {
          point.addBucketCounts(0);
        }
        if (!bucket.getKey().isInfinite()) {
          point.addExplicitBounds(bucket.getKey());
        }
      }
      if (stale) {
        return point.setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE).build();
      }
      if (count.doubleValue() != total.doubleValue()) {
        return null;
      }
      return point.setCount(total.longValue()).setSum(sum).build();
    }
  }
}
