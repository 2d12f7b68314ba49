package io.tributary.sinks.remotewrite;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.ExponentialBuckets;
import io.tributary.schemas.avro.ExponentialHistogramValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.QuantileValue;
import io.tributary.schemas.avro.SummaryValue;
import io.tributary.sinks.internal.PoisonRecordException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One {@link MetricPoint} to the Prometheus samples it stands for, after the OpenTelemetry
 * specification's OTLP-to-Prometheus rules ({@link PrometheusNaming} for names):
 *
 * <ul>
 *   <li>gauge: one sample; sum: one sample, {@code _total} when monotonic (a non-monotonic sum is a
 *       gauge);
 *   <li>histogram: cumulative {@code _bucket{le=...}} samples ending with {@code le="+Inf"} (the
 *       count), {@code _sum} when the point has one, {@code _count};
 *   <li>exponential histogram: converted to the same classic buckets, one per exponential bucket
 *       (upper bounds {@code base^(index+1)}, the zero bucket at the zero threshold, negative
 *       buckets below it), so any Prometheus-compatible store takes it (no native histograms
 *       needed); bounds follow the point's scale, so a series whose scale changes gets new
 *       {@code le} values;
 *   <li>summary: {@code {quantile=...}} samples, {@code _sum}, {@code _count};
 *   <li>labels: the point's attributes, {@code otel_scope_name}/{@code otel_scope_version},
 *       {@code job} ({@code service.namespace/service.name}) and {@code instance}
 *       ({@code service.instance.id}), plus chosen resource attributes; attributes whose names
 *       collide after sanitizing are joined with {@code ;} in the order of their original keys;
 *   <li>{@code target_info}: the other resource attributes as labels of a gauge of value 1 with
 *       the same {@code job}/{@code instance}, written at most once per interval per resource
 *       (best effort: a store that already has a newer {@code target_info} refuses it, which is
 *       counted, not dead-lettered);
 *   <li>a point flagged "no recorded value" becomes Prometheus' staleness marker;
 *   <li>delta temporality has no Prometheus equivalent: such points are refused (dead-lettered)
 *       with the reason, never written wrong or dropped silently.
 * </ul>
 *
 * Not thread-safe (one per task): it remembers when it last wrote each {@code target_info}.
 */
final class MetricPointTranslator {

  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_NAMESPACE = "service.namespace";
  static final String SERVICE_INSTANCE_ID = "service.instance.id";
  static final String TARGET_INFO = "target_info";
  private static final int TARGET_INFO_MEMORY = 10_000;
  private static final Comparator<String[]> ENTRY_ORDER = (x, y) -> {
    int c = x[0].compareTo(y[0]);
    return c != 0 ? c : x[1].compareTo(y[1]);
  };

  /** What the translation adds; see the connector's options. */
  record Options(boolean suffixes, boolean scopeLabels, boolean targetInfo, long targetInfoIntervalMs,
      Set<String> resourceLabels, String tenantLabel) {

    static Options defaults() {
      return new Options(true, true, true, 60_000, Set.of(), "");
    }
  }

  private final Options options;
  private final Map<String, TargetInfo> targetInfoWritten = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TargetInfo> eldest) {
      return size() > TARGET_INFO_MEMORY;
    }
  };

  MetricPointTranslator(Options options) {
    this.options = options;
  }

  /** The samples of {@code point}, in the order they must be written. */
  List<RemoteWriteSample> samples(MetricPoint point) {
    long timestampMs = point.getTimeUnixNano() / 1_000_000L;
    if (point.getTimeUnixNano() <= 0) {
      throw new PoisonRecordException("metric " + point.getName() + ": timeUnixNano " + point.getTimeUnixNano()
          + " (expected: > 0)");
    }
    boolean stale = (point.getFlags() & 1) != 0;
    String[] base = baseLabels(point);
    String unit = point.getUnit() == null ? null : point.getUnit().toString();
    String name = point.getName().toString();
    List<RemoteWriteSample> out = new ArrayList<>();
    Object value = point.getValue();
    switch (point.getType()) {
      case GAUGE -> {
        String metric = PrometheusNaming.metricName(name, unit, false, true, options.suffixes());
        out.add(sample(base, metric, null, null, timestampMs, stale ? RemoteWriteSample.STALE_NAN : number(point, value)));
      }
      case SUM -> {
        requireCumulative(point);
        boolean monotonic = Boolean.TRUE.equals(point.getIsMonotonic());
        String metric = PrometheusNaming.metricName(name, unit, monotonic, !monotonic, options.suffixes());
        out.add(sample(base, metric, null, null, timestampMs, stale ? RemoteWriteSample.STALE_NAN : number(point, value)));
      }
      case HISTOGRAM -> {
        requireCumulative(point);
        HistogramValue h = as(point, value, HistogramValue.class);
        String metric = PrometheusNaming.metricName(name, unit, false, false, options.suffixes());
        List<Long> counts = h.getBucketCounts();
        List<Double> bounds = h.getExplicitBounds();
        if (!counts.isEmpty() && counts.size() != bounds.size() + 1) {
          throw new PoisonRecordException("histogram " + name + ": " + counts.size() + " bucket counts for "
              + bounds.size() + " bounds (expected: bounds + 1)");
        }
        long cumulative = 0;
        for (int i = 0; i < bounds.size() && !counts.isEmpty(); i++) {
          cumulative += counts.get(i);
          out.add(sample(base, metric + "_bucket", "le", PrometheusNaming.formatFloat(bounds.get(i)), timestampMs,
              stale ? RemoteWriteSample.STALE_NAN : cumulative));
        }
        addSumAndCount(out, base, metric, "le", h.getCount(), h.getSum(), timestampMs, stale);
      }
      case EXPONENTIAL_HISTOGRAM -> {
        requireCumulative(point);
        ExponentialHistogramValue h = as(point, value, ExponentialHistogramValue.class);
        String metric = PrometheusNaming.metricName(name, unit, false, false, options.suffixes());
        long cumulative = 0;
        for (double[] bucket : exponentialBuckets(h)) {
          cumulative += (long) bucket[1];
          out.add(sample(base, metric + "_bucket", "le", PrometheusNaming.formatFloat(bucket[0]), timestampMs,
              stale ? RemoteWriteSample.STALE_NAN : cumulative));
        }
        addSumAndCount(out, base, metric, "le", h.getCount(), h.getSum(), timestampMs, stale);
      }
      case SUMMARY -> {
        SummaryValue s = as(point, value, SummaryValue.class);
        String metric = PrometheusNaming.metricName(name, unit, false, false, options.suffixes());
        for (QuantileValue q : s.getQuantileValues()) {
          out.add(sample(base, metric, "quantile", PrometheusNaming.formatFloat(q.getQuantile()), timestampMs,
              stale ? RemoteWriteSample.STALE_NAN : q.getValue()));
        }
        out.add(sample(base, metric + "_sum", null, null, timestampMs, stale ? RemoteWriteSample.STALE_NAN : s.getSum()));
        out.add(sample(base, metric + "_count", null, null, timestampMs,
            stale ? RemoteWriteSample.STALE_NAN : s.getCount()));
      }
    }
    return out;
  }

  /**
   * The {@code target_info} sample for the point's resource, when it has attributes beyond
   * {@code job}/{@code instance} and none was written for it in the last interval.
   */
  Optional<RemoteWriteSample> targetInfo(MetricPoint point) {
    if (!options.targetInfo() || (point.getFlags() & 1) != 0) {
      return Optional.empty();
    }
    long timestampMs = point.getTimeUnixNano() / 1_000_000L;
    String key = resourceKey(point);
    TargetInfo known = targetInfoWritten.get(key);
    if (known != null && timestampMs < known.lastWrittenMs + options.targetInfoIntervalMs()) {
      return Optional.empty();
    }
    if (known == null) {
      known = new TargetInfo(targetInfoSeries(point));
      targetInfoWritten.put(key, known);
    }
    if (known.series == null) {
      return Optional.empty();
    }
    known.lastWrittenMs = timestampMs;
    return Optional.of(new RemoteWriteSample(known.series, timestampMs, 1));
  }

  /** What identifies a target_info series: tenant (when labelled) and every resource attribute. */
  private String resourceKey(MetricPoint point) {
    StringBuilder b = new StringBuilder(128);
    if (!options.tenantLabel().isEmpty()) {
      b.append(point.getTenant()).append('\u0000');
    }
    for (KeyValue kv : point.getResource().getAttributes()) {
      Object v = kv.getValue() == null ? null : kv.getValue().getValue();
      b.append(kv.getKey()).append('\u0001').append(v instanceof CharSequence cs ? cs : valueString(kv.getValue()))
          .append('\u0000');
    }
    return b.toString();
  }

  /** The target_info series of the point's resource, or null when it has nothing beyond job and instance. */
  private Series targetInfoSeries(MetricPoint point) {
    List<String[]> entries = new ArrayList<>();
    for (KeyValue kv : point.getResource().getAttributes()) {
      String key = kv.getKey().toString();
      if (!key.equals(SERVICE_NAME) && !key.equals(SERVICE_NAMESPACE) && !key.equals(SERVICE_INSTANCE_ID)) {
        entries.add(new String[] {PrometheusNaming.labelName(key), key, valueString(kv.getValue())});
      }
    }
    if (entries.isEmpty()) {
      return null;
    }
    Map<String, String> generated = new LinkedHashMap<>();
    addJobAndInstance(point, generated);
    if (!options.tenantLabel().isEmpty()) {
      generated.put(options.tenantLabel(), point.getTenant().toString());
    }
    generated.put("__name__", TARGET_INFO);
    return new Series(merge(entries, generated));
  }

  /** When a resource's target_info was last written (metric time). */
  private static final class TargetInfo {
    final Series series;
    long lastWrittenMs = Long.MIN_VALUE / 2;

    TargetInfo(Series series) {
      this.series = series;
    }
  }

  private void addSumAndCount(List<RemoteWriteSample> out, String[] base, String metric, String bucketLabel,
      long count, Double sum, long timestampMs, boolean stale) {
    out.add(sample(base, metric + "_bucket", bucketLabel, "+Inf", timestampMs,
        stale ? RemoteWriteSample.STALE_NAN : count));
    if (sum != null) {
      out.add(sample(base, metric + "_sum", null, null, timestampMs, stale ? RemoteWriteSample.STALE_NAN : sum));
    }
    out.add(sample(base, metric + "_count", null, null, timestampMs, stale ? RemoteWriteSample.STALE_NAN : count));
  }

  /**
   * Exponential buckets as (upper bound, count) pairs from lowest to highest: negative buckets
   * (largest magnitude first), the zero bucket, positive buckets.
   */
  static List<double[]> exponentialBuckets(ExponentialHistogramValue h) {
    int scale = h.getScale();
    List<double[]> buckets = new ArrayList<>();
    ExponentialBuckets negative = h.getNegative();
    List<Long> negativeCounts = negative.getBucketCounts();
    for (int i = negativeCounts.size() - 1; i >= 0; i--) {
      // Negative bucket at index k holds (-base^(k+1), -base^k]: its upper bound is -base^k.
      buckets.add(new double[] {-power(scale, negative.getOffset() + i), negativeCounts.get(i)});
    }
    if (h.getZeroCount() > 0 || !negativeCounts.isEmpty()) {
      buckets.add(new double[] {h.getZeroThreshold(), h.getZeroCount()});
    }
    ExponentialBuckets positive = h.getPositive();
    List<Long> positiveCounts = positive.getBucketCounts();
    for (int i = 0; i < positiveCounts.size(); i++) {
      // Positive bucket at index k holds (base^k, base^(k+1)].
      buckets.add(new double[] {power(scale, positive.getOffset() + i + 1), positiveCounts.get(i)});
    }
    return buckets;
  }

  /** base^index with base = 2^(2^-scale). */
  private static double power(int scale, int index) {
    return Math.pow(2, Math.scalb((double) index, -scale));
  }

  private String[] baseLabels(MetricPoint point) {
    List<String[]> entries = new ArrayList<>(point.getAttributes().size() + options.resourceLabels().size());
    for (KeyValue kv : point.getAttributes()) {
      String key = kv.getKey().toString();
      entries.add(new String[] {PrometheusNaming.labelName(key), key, valueString(kv.getValue())});
    }
    if (!options.resourceLabels().isEmpty()) {
      for (KeyValue kv : point.getResource().getAttributes()) {
        String key = kv.getKey().toString();
        if (options.resourceLabels().contains(key)) {
          entries.add(new String[] {PrometheusNaming.labelName(key), key, valueString(kv.getValue())});
        }
      }
    }
    Map<String, String> generated = new LinkedHashMap<>();
    if (options.scopeLabels()) {
      generated.put("otel_scope_name", point.getScope().getName().toString());
      if (point.getScope().getVersion() != null) {
        generated.put("otel_scope_version", point.getScope().getVersion().toString());
      }
    }
    addJobAndInstance(point, generated);
    if (!options.tenantLabel().isEmpty()) {
      generated.put(options.tenantLabel(), point.getTenant().toString());
    }
    return merge(entries, generated);
  }

  private static void addJobAndInstance(MetricPoint point, Map<String, String> labels) {
    String name = null;
    String namespace = null;
    String instance = null;
    for (KeyValue kv : point.getResource().getAttributes()) {
      switch (kv.getKey().toString()) {
        case SERVICE_NAME -> name = valueString(kv.getValue());
        case SERVICE_NAMESPACE -> namespace = valueString(kv.getValue());
        case SERVICE_INSTANCE_ID -> instance = valueString(kv.getValue());
        default -> { }
      }
    }
    if (name != null && !name.isEmpty()) {
      labels.put("job", namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }
    if (instance != null && !instance.isEmpty()) {
      labels.put("instance", instance);
    }
  }

  /**
   * Sorted name/value pairs from attribute entries (sanitized name, original key, value) and
   * generated labels, which win over attributes of the same name. Empty values are dropped
   * (Prometheus treats them as absent).
   */
  private static String[] merge(List<String[]> entries, Map<String, String> generated) {
    if (entries.size() > 1) {
      entries.sort(ENTRY_ORDER);
    }
    List<String> pairs = new ArrayList<>(entries.size() * 2 + generated.size() * 2);
    for (int i = 0; i < entries.size(); i++) {
      String[] e = entries.get(i);
      if (generated.containsKey(e[0])) {
        continue;
      }
      String value = e[2];
      while (i + 1 < entries.size() && entries.get(i + 1)[0].equals(e[0])) {
        value = value + ";" + entries.get(++i)[2];
      }
      if (!value.isEmpty()) {
        pairs.add(e[0]);
        pairs.add(value);
      }
    }
    generated.forEach((k, v) -> {
      if (v != null && !v.isEmpty()) {
        pairs.add(k);
        pairs.add(v);
      }
    });
    return sortPairs(pairs);
  }

  private static String[] sortPairs(List<String> pairs) {
    return sortPairs(pairs.toArray(new String[0]), pairs.size());
  }

  /**
   * Sorts the first {@code length} entries of name/value pairs by name, in place (insertion sort:
   * label sets are small and nearly sorted); returns the array trimmed to {@code length}.
   */
  private static String[] sortPairs(String[] pairs, int length) {
    for (int i = 2; i < length; i += 2) {
      String name = pairs[i];
      String value = pairs[i + 1];
      int j = i - 2;
      while (j >= 0 && pairs[j].compareTo(name) > 0) {
        pairs[j + 2] = pairs[j];
        pairs[j + 3] = pairs[j + 1];
        j -= 2;
      }
      pairs[j + 2] = name;
      pairs[j + 3] = value;
    }
    return length == pairs.length ? pairs : Arrays.copyOf(pairs, length);
  }

  /** The base labels plus {@code __name__} and an optional extra label (both win over base labels), sorted. */
  private static RemoteWriteSample sample(String[] base, String metric, String extraName, String extraValue,
      long timestampMs, double value) {
    String[] labels = new String[base.length + 4];
    int n = 0;
    for (int i = 0; i < base.length; i += 2) {
      if (!base[i].equals("__name__") && !base[i].equals(extraName)) {
        labels[n++] = base[i];
        labels[n++] = base[i + 1];
      }
    }
    labels[n++] = "__name__";
    labels[n++] = metric;
    if (extraName != null) {
      labels[n++] = extraName;
      labels[n++] = extraValue;
    }
    return new RemoteWriteSample(new Series(sortPairs(labels, n)), timestampMs, value);
  }

  private static void requireCumulative(MetricPoint point) {
    if (point.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
      throw new PoisonRecordException("metric " + point.getName() + " (" + point.getType() + ") has delta "
          + "temporality, which Prometheus cannot store: export it as cumulative (SDK temporality preference "
          + "or a deltatocumulative step before Tributary)");
    }
  }

  private static double number(MetricPoint point, Object value) {
    NumberValue n = as(point, value, NumberValue.class);
    Object v = n.getValue();
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Long l) {
      return l;
    }
    throw new PoisonRecordException("metric " + point.getName() + ": number value is " + v);
  }

  private static <V> V as(MetricPoint point, Object value, Class<V> type) {
    if (!type.isInstance(value)) {
      throw new PoisonRecordException("metric " + point.getName() + " of type " + point.getType() + " holds a "
          + (value == null ? "null" : value.getClass().getSimpleName()) + " (expected: " + type.getSimpleName() + ")");
    }
    return type.cast(value);
  }

  /** An attribute value as a label value: strings as they are, other types in their JSON form. */
  static String valueString(AnyValue value) {
    if (value == null) {
      return "";
    }
    Object v = value.getValue();
    if (v == null) {
      return "";
    }
    if (v instanceof CharSequence s) {
      return s.toString();
    }
    StringBuilder b = new StringBuilder();
    appendJson(b, v);
    return b.toString();
  }

  private static void appendJson(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case CharSequence s -> appendJsonString(b, s.toString());
      case Boolean bool -> b.append(bool);
      case Long l -> b.append(l);
      case Double d -> b.append(d.isNaN() || d.isInfinite() ? "\"" + d + "\"" : PrometheusNaming.formatFloat(d));
      case ByteBuffer buf -> {
        ByteBuffer dup = buf.duplicate();
        byte[] bytes = new byte[dup.remaining()];
        dup.get(bytes);
        appendJsonString(b, Base64.getEncoder().encodeToString(bytes));
      }
      case ArrayValue array -> {
        b.append('[');
        for (int i = 0; i < array.getValues().size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          appendJson(b, array.getValues().get(i).getValue());
        }
        b.append(']');
      }
      case KeyValueList list -> {
        b.append('{');
        for (int i = 0; i < list.getValues().size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          appendJsonString(b, list.getValues().get(i).getKey().toString());
          b.append(':');
          AnyValue av = list.getValues().get(i).getValue();
          appendJson(b, av == null ? null : av.getValue());
        }
        b.append('}');
      }
      default -> appendJsonString(b, v.toString());
    }
  }

  private static void appendJsonString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
