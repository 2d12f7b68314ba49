package io.tributary.sinks.remotewrite;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.Exemplar;
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
 *   <li>exemplars (of monotonic sums and histograms; those of other points are dropped, as the
 *       rules ask): a counter's go with its sample, a histogram's with the {@code _bucket} sample
 *       of the bucket they fall in ({@code +Inf} for values above every bound), labelled
 *       {@code trace_id}, {@code span_id} and the filtered attributes as far as OpenMetrics' 128
 *       characters allow (ids first, then attributes in label order), oldest first per sample;
 *       stores without exemplar storage ignore them;
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
  /** OpenMetrics: an exemplar's label names and values hold at most 128 characters together. */
  static final int EXEMPLAR_LABEL_CHARS = 128;
  /**
   * How many series a task remembers the labels of. Working out a point's labels (naming, sorting,
   * encoding) costs several times more than checking that they did not change; a few hundred bytes
   * per series.
   */
  static final int SERIES_MEMORY = 50_000;
  private static final int DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA.ordinal();
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

  /** Series id -> the labels last worked out for it; see {@link KnownSeries}. */
  private final Map<String, KnownSeries> knownSeries = new LinkedHashMap<>(1024) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, KnownSeries> eldest) {
      return size() > SERIES_MEMORY;
    }
  };
  /**
   * The label bytes of records (see {@link PointBytes}) whose series is known, found by their
   * tenant and series id bytes. Insertion order: a lookup writes nothing.
   */
  private final Map<LabelBytes, LabelBytes> knownLabels = new LinkedHashMap<>(1024) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<LabelBytes, LabelBytes> eldest) {
      return size() > SERIES_MEMORY;
    }
  };
  private final LabelBytes probe = new LabelBytes();
  /** The point last translated and its entry, so {@link #targetInfo} finds the entry without a lookup. */
  private MetricPoint lastPoint;
  private KnownSeries lastKnown;

  MetricPointTranslator(Options options) {
    this.options = options;
  }

  /** The samples of {@code point}, in the order they must be written. */
  List<RemoteWriteSample> samples(MetricPoint point) {
    if (point.getTimeUnixNano() <= 0) {
      throw new PoisonRecordException("metric " + point.getName() + ": timeUnixNano " + point.getTimeUnixNano()
          + " (expected: > 0)");
    }
    Translation t = new Translation(point, knownSeries(point));
    Object value = point.getValue();
    switch (point.getType()) {
      case GAUGE -> t.add("", null, 0, t.stale ? 0 : number(point, value));
      case SUM -> {
        requireCumulative(point);
        boolean counter = Boolean.TRUE.equals(point.getIsMonotonic());
        t.add("", null, 0, t.stale ? 0 : number(point, value), counter ? exemplars(point, t).rest() : List.of());
      }
      case HISTOGRAM -> {
        requireCumulative(point);
        HistogramValue h = as(point, value, HistogramValue.class);
        List<Long> counts = h.getBucketCounts();
        List<Double> bounds = h.getExplicitBounds();
        if (!counts.isEmpty() && counts.size() != bounds.size() + 1) {
          throw new PoisonRecordException("histogram " + point.getName() + ": " + counts.size()
              + " bucket counts for " + bounds.size() + " bounds (expected: bounds + 1)");
        }
        ExemplarsByValue exemplars = exemplars(point, t);
        long cumulative = 0;
        for (int i = 0; i < bounds.size() && !counts.isEmpty(); i++) {
          cumulative += counts.get(i);
          t.add("_bucket", "le", bounds.get(i), cumulative, exemplars.upTo(bounds.get(i)));
        }
        addSumAndCount(t, h.getCount(), h.getSum(), exemplars.rest());
      }
      case EXPONENTIAL_HISTOGRAM -> {
        requireCumulative(point);
        ExponentialHistogramValue h = as(point, value, ExponentialHistogramValue.class);
        ExemplarsByValue exemplars = exemplars(point, t);
        long cumulative = 0;
        for (double[] bucket : exponentialBuckets(h)) {
          cumulative += (long) bucket[1];
          t.add("_bucket", "le", bucket[0], cumulative, exemplars.upTo(bucket[0]));
        }
        addSumAndCount(t, h.getCount(), h.getSum(), exemplars.rest());
      }
      case SUMMARY -> {
        SummaryValue s = as(point, value, SummaryValue.class);
        for (QuantileValue q : s.getQuantileValues()) {
          t.add("", "quantile", q.getQuantile(), q.getValue());
        }
        t.add("_sum", null, 0, s.getSum());
        t.add("_count", null, 0, s.getCount());
      }
    }
    return t.finish();
  }

  /** A point's samples, its best-effort {@code target_info} sample (or null) and its tenant. */
  record Translated(List<RemoteWriteSample> samples, RemoteWriteSample targetInfo, String tenant) {}

  /**
   * The samples of the record {@code point} was read from, when its series is known (a record of
   * it was decoded before) and its value is a number: the common case, a gauge or counter seen
   * before, needs no decoding. Null when the record must be decoded and translated.
   */
  Translated knownSamples(PointBytes point) {
    LabelBytes known = knownLabels.get(probe.of(point));
    if (known == null || known.series == null) {
      return null;
    }
    byte[] data = point.data();
    int labelsEnd = point.labelsStart + known.bytes.length;
    if (labelsEnd > data.length
        || !Arrays.equals(data, point.seriesIdEnd, labelsEnd, known.bytes, known.idLength, known.bytes.length)
        || !point.readValues(labelsEnd)) {
      return null;
    }
    if (!point.isNumber || point.timeUnixNano <= 0 || point.aggregationTemporality == DELTA
        || point.isMonotonic != known.isMonotonic || (point.hasExemplars && known.isMonotonic == 1)) {
      return null; // the decoding path translates it (a counter's exemplars too), or refuses it with the reason
    }
    long timestampMs = point.timeUnixNano / 1_000_000L;
    boolean stale = (point.flags & 1) != 0;
    RemoteWriteSample targetInfo = null;
    if (options.targetInfo() && !stale) {
      if (known.targetInfo == null) {
        return null;
      }
      targetInfo = targetInfoSample(known.targetInfo, timestampMs).orElse(null);
    }
    RemoteWriteSample sample = new RemoteWriteSample(known.series, timestampMs,
        stale ? RemoteWriteSample.STALE_NAN : point.number);
    return new Translated(List.of(sample), targetInfo, known.tenant);
  }

  /** After {@code decoded} was translated: its series is known by the label bytes of the record it came from. */
  void rememberLabelBytes(MetricPoint decoded, PointBytes bytes) {
    if (decoded == lastPoint && lastKnown != null && bytes.readLabels()) {
      LabelBytes key = LabelBytes.copyOf(bytes, lastKnown);
      knownLabels.remove(key);
      knownLabels.put(key, key);
    }
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
    // Same resource and tenant as when the series was cached: the same target_info (skips building the key).
    KnownSeries series = point == lastPoint ? lastKnown : null;
    TargetInfo known = series == null ? null : series.targetInfo;
    if (known == null) {
      String key = resourceKey(point);
      known = targetInfoWritten.get(key);
      if (known == null) {
        known = new TargetInfo(targetInfoSeries(point));
        targetInfoWritten.put(key, known);
      }
      if (series != null) {
        series.targetInfo = known;
      }
    }
    return targetInfoSample(known, timestampMs);
  }

  private Optional<RemoteWriteSample> targetInfoSample(TargetInfo known, long timestampMs) {
    if (known.series == null || timestampMs < known.lastWrittenMs + options.targetInfoIntervalMs()) {
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

  private static void addSumAndCount(Translation t, long count, Double sum, List<RemoteWriteExemplar> aboveBounds) {
    t.add("_bucket", "le", Double.POSITIVE_INFINITY, count, aboveBounds);
    if (sum != null) {
      t.add("_sum", null, 0, sum);
    }
    t.add("_count", null, 0, count);
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
  private static Series series(String[] base, String metric, String extraName, String extraValue) {
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
    return new Series(sortPairs(labels, n));
  }

  /** The Prometheus name of the point's metric, before the {@code _bucket}/{@code _sum}/{@code _count} suffixes. */
  private String metricName(MetricPoint point) {
    String name = point.getName().toString();
    String unit = point.getUnit() == null ? null : point.getUnit().toString();
    return switch (point.getType()) {
      case GAUGE -> PrometheusNaming.metricName(name, unit, false, true, options.suffixes());
      case SUM -> {
        boolean monotonic = Boolean.TRUE.equals(point.getIsMonotonic());
        yield PrometheusNaming.metricName(name, unit, monotonic, !monotonic, options.suffixes());
      }
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY -> PrometheusNaming.metricName(name, unit, false, false,
          options.suffixes());
    };
  }

  /**
   * The cached series of the point's series id when its label inputs are the same as when they were
   * cached; null otherwise (the point's labels are then worked out again).
   */
  private KnownSeries knownSeries(MetricPoint point) {
    KnownSeries known = knownSeries.get(point.getSeriesId());
    return known != null && known.sameLabelInputs(point) ? known : null;
  }

  /**
   * One point's samples being produced. Each sample is named by (suffix, extra label name, extra
   * label bound); while those match the cached ones in order, the cached series are taken as they
   * are, and labels are only worked out (once per point) for a sample that does not match.
   */
  private final class Translation {
    final MetricPoint point;
    final long timestampMs;
    final boolean stale;
    final KnownSeries known;
    final List<RemoteWriteSample> out = new ArrayList<>(2);
    List<SeriesSlot> slots;
    boolean changed;
    String[] base;
    String metric;

    Translation(MetricPoint point, KnownSeries known) {
      this.point = point;
      this.timestampMs = point.getTimeUnixNano() / 1_000_000L;
      this.stale = (point.getFlags() & 1) != 0;
      this.known = known;
      this.changed = known == null;
      this.slots = known == null ? new ArrayList<>(2) : known.slots;
    }

    void add(String suffix, String extraName, double extraBound, double value) {
      add(suffix, extraName, extraBound, value, List.of());
    }

    void add(String suffix, String extraName, double extraBound, double value, List<RemoteWriteExemplar> exemplars) {
      int index = out.size();
      SeriesSlot slot = !changed && index < slots.size() ? slots.get(index) : null;
      if (slot == null || !slot.names(suffix, extraName, extraBound)) {
        if (!changed) {
          changed = true;
          slots = new ArrayList<>(slots.subList(0, index));
        }
        if (base == null) {
          base = baseLabels(point);
          metric = metricName(point);
        }
        slot = new SeriesSlot(suffix, extraName, extraBound, series(base, metric + suffix, extraName,
            extraName == null ? null : PrometheusNaming.formatFloat(extraBound)));
        slots.add(slot);
      }
      out.add(new RemoteWriteSample(slot.series(), timestampMs, stale ? RemoteWriteSample.STALE_NAN : value, exemplars));
    }

    List<RemoteWriteSample> finish() {
      if (changed || out.size() != slots.size()) {
        KnownSeries fresh = new KnownSeries(point, changed ? slots : List.copyOf(slots.subList(0, out.size())));
        if (known != null) {
          fresh.targetInfo = known.targetInfo;
        }
        knownSeries.put(point.getSeriesId(), fresh);
        lastKnown = fresh;
      } else {
        lastKnown = known;
      }
      lastPoint = point;
      return out;
    }
  }

  /** A sample's series with what names it within its point. */
  private record SeriesSlot(String suffix, String extraName, double extraBound, Series series) {
    boolean names(String otherSuffix, String otherExtraName, double otherExtraBound) {
      return suffix.equals(otherSuffix) && java.util.Objects.equals(extraName, otherExtraName)
          && Double.doubleToLongBits(extraBound) == Double.doubleToLongBits(otherExtraBound);
    }
  }

  /**
   * What a series' labels were worked out from (every field that goes into a label or the metric
   * name) and the series of its last point; a point's series id only finds the entry, equal inputs
   * decide whether it is used, so a wrong or colliding series id costs time, never wrong labels.
   */
  private static final class KnownSeries {
    final String tenant;
    final String name;
    final String unit;
    final MetricType type;
    final Boolean isMonotonic;
    final String scopeName;
    final String scopeVersion;
    final List<KeyValue> attributes;
    final List<KeyValue> resourceAttributes;
    final List<SeriesSlot> slots;
    TargetInfo targetInfo;

    KnownSeries(MetricPoint point, List<SeriesSlot> slots) {
      this.tenant = string(point.getTenant());
      this.name = string(point.getName());
      this.unit = string(point.getUnit());
      this.type = point.getType();
      this.isMonotonic = point.getIsMonotonic();
      this.scopeName = string(point.getScope().getName());
      this.scopeVersion = string(point.getScope().getVersion());
      this.attributes = point.getAttributes();
      this.resourceAttributes = point.getResource().getAttributes();
      this.slots = slots;
    }

    boolean sameLabelInputs(MetricPoint p) {
      return type == p.getType() && java.util.Objects.equals(isMonotonic, p.getIsMonotonic())
          && same(name, p.getName()) && same(unit, p.getUnit()) && same(tenant, p.getTenant())
          && same(scopeName, p.getScope().getName()) && same(scopeVersion, p.getScope().getVersion())
          && sameKeyValues(attributes, p.getAttributes())
          && sameKeyValues(resourceAttributes, p.getResource().getAttributes());
    }

    private static String string(CharSequence s) {
      return s == null ? null : s.toString();
    }

    private static boolean same(String known, CharSequence s) {
      return known == null ? s == null : s != null && known.contentEquals(s);
    }

    private static boolean sameKeyValues(List<KeyValue> known, List<KeyValue> other) {
      int n = known.size();
      if (other.size() != n) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        KeyValue a = known.get(i);
        KeyValue b = other.get(i);
        if (!same(a.getKey() == null ? null : a.getKey().toString(), b.getKey())) {
          return false;
        }
        Object va = a.getValue() == null ? null : a.getValue().getValue();
        Object vb = b.getValue() == null ? null : b.getValue().getValue();
        if (!java.util.Objects.equals(va, vb)) {
          return false;
        }
      }
      return true;
    }
  }

  /** The exemplars of a point that is not a staleness marker, by value. */
  private static ExemplarsByValue exemplars(MetricPoint point, Translation t) {
    List<Exemplar> exemplars = point.getExemplars();
    if (t.stale || exemplars.isEmpty()) {
      return ExemplarsByValue.NONE;
    }
    double[] values = new double[exemplars.size()];
    RemoteWriteExemplar[] converted = new RemoteWriteExemplar[exemplars.size()];
    Integer[] order = new Integer[exemplars.size()];
    for (int i = 0; i < exemplars.size(); i++) {
      Exemplar e = exemplars.get(i);
      values[i] = e.getValue() instanceof Long l ? l : e.getValue() instanceof Double d ? d : Double.NaN;
      converted[i] = new RemoteWriteExemplar(exemplarLabels(e), values[i], e.getTimeUnixNano() / 1_000_000L);
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i])); // stable: equal values keep their order
    double[] sortedValues = new double[values.length];
    RemoteWriteExemplar[] sorted = new RemoteWriteExemplar[values.length];
    for (int i = 0; i < order.length; i++) {
      sortedValues[i] = values[order[i]];
      sorted[i] = converted[order[i]];
    }
    return new ExemplarsByValue(sortedValues, sorted);
  }

  /**
   * {@code trace_id}, {@code span_id} and the filtered attributes (named as metric attributes are)
   * while the names and values together stay within {@link #EXEMPLAR_LABEL_CHARS}.
   */
  private static Series exemplarLabels(Exemplar e) {
    Map<String, String> ids = new LinkedHashMap<>();
    if (e.getTraceId() != null) {
      ids.put("trace_id", e.getTraceId().toString());
    }
    if (e.getSpanId() != null) {
      ids.put("span_id", e.getSpanId().toString());
    }
    List<String[]> attributes = new ArrayList<>(e.getFilteredAttributes().size());
    for (KeyValue kv : e.getFilteredAttributes()) {
      String key = kv.getKey().toString();
      attributes.add(new String[] {PrometheusNaming.labelName(key), key, valueString(kv.getValue())});
    }
    String[] pairs = merge(attributes, ids);
    int chars = 0;
    for (Map.Entry<String, String> id : ids.entrySet()) {
      chars += codePoints(id.getKey()) + codePoints(id.getValue());
    }
    List<String> kept = new ArrayList<>(pairs.length);
    for (int i = 0; i < pairs.length; i += 2) {
      boolean id = ids.containsKey(pairs[i]);
      int size = codePoints(pairs[i]) + codePoints(pairs[i + 1]);
      if (id || chars + size <= EXEMPLAR_LABEL_CHARS) {
        chars += id ? 0 : size;
        kept.add(pairs[i]);
        kept.add(pairs[i + 1]);
      }
    }
    return new Series(kept.toArray(new String[0]));
  }

  private static int codePoints(String s) {
    return s.codePointCount(0, s.length());
  }

  /** A point's exemplars sorted by value, handed out bucket by bucket, lowest bound first. */
  private static final class ExemplarsByValue {
    static final ExemplarsByValue NONE = new ExemplarsByValue(new double[0], new RemoteWriteExemplar[0]);

    private final double[] values;
    private final RemoteWriteExemplar[] exemplars;
    private int next;

    ExemplarsByValue(double[] values, RemoteWriteExemplar[] exemplars) {
      this.values = values;
      this.exemplars = exemplars;
    }

    /** Those not handed out yet whose value is at most {@code bound} (a bucket holds values <= its bound). */
    List<RemoteWriteExemplar> upTo(double bound) {
      int from = next;
      while (next < values.length && values[next] <= bound) {
        next++;
      }
      return inTimeOrder(from, next);
    }

    /** Those not handed out yet (above every bound, or NaN). */
    List<RemoteWriteExemplar> rest() {
      int from = next;
      next = values.length;
      return inTimeOrder(from, next);
    }

    /** Oldest first: Prometheus refuses an exemplar older than the last one of its series. */
    private List<RemoteWriteExemplar> inTimeOrder(int from, int to) {
      if (from == to) {
        return List.of();
      }
      RemoteWriteExemplar[] slice = Arrays.copyOfRange(exemplars, from, to);
      Arrays.sort(slice, Comparator.comparingLong(RemoteWriteExemplar::timestampMs));
      return List.of(slice);
    }
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

  /**
   * The label bytes (tenant through attributes) of a record of a known series, with what a point of
   * it needs: equal and hashed by the tenant and series id bytes at their start. The probe points
   * into the record being read; entries are copies.
   */
  private static final class LabelBytes {
    private byte[] bytes;
    private int from;
    private int idLength;
    private int hash;
    /**
     * What a point of the series needs, copied from its entry so that reading one touches only this
     * and its bytes: its one sample's series when a point of it is one plain sample (else null),
     * tenant (one instance per tenant), target_info, monotonicity.
     */
    private Series series;
    private String tenant;
    private TargetInfo targetInfo;
    private int isMonotonic;

    LabelBytes of(PointBytes point) {
      this.bytes = point.data();
      this.from = point.labelsStart;
      this.idLength = point.seriesIdEnd - point.labelsStart;
      this.hash = hash(bytes, from, from + idLength);
      return this;
    }

    static LabelBytes copyOf(PointBytes point, KnownSeries entry) {
      LabelBytes key = new LabelBytes();
      key.bytes = Arrays.copyOfRange(point.data(), point.labelsStart, point.labelsEnd);
      key.idLength = point.seriesIdEnd - point.labelsStart;
      key.hash = hash(key.bytes, 0, key.idLength);
      key.tenant = entry.tenant.intern();
      key.targetInfo = entry.targetInfo;
      boolean single = entry.slots.size() == 1 && entry.slots.get(0).names("", null, 0);
      key.series = single ? entry.slots.get(0).series() : null;
      key.isMonotonic = entry.isMonotonic == null ? PointBytes.NULL : entry.isMonotonic ? 1 : 0;
      return key;
    }

    private static int hash(byte[] bytes, int from, int to) {
      int h = 1;
      for (int i = from; i < to; i++) {
        h = 31 * h + bytes[i];
      }
      return h;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LabelBytes other && other.hash == hash && other.idLength == idLength
          && Arrays.equals(bytes, from, from + idLength, other.bytes, other.from, other.from + idLength);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
