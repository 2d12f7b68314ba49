package io.tributary.sinks.remotewrite;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.ExponentialBuckets;
import io.tributary.schemas.avro.ExponentialHistogramValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.QuantileValue;
import io.tributary.schemas.avro.SummaryValue;
import io.tributary.sinks.internal.PoisonRecordException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One {@link MetricPoint} to the Prometheus samples it stands for, after the OpenTelemetry
 * specification's OTLP-to-Prometheus rules; the labels of each sample's series come from
 * {@link SeriesNaming}, the series of points seen before from the task's {@link SeriesCache}, the
 * {@code target_info} samples from {@link TargetInfoEmitter}:
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
 *   <li>exemplars (of monotonic sums and histograms; those of other points are dropped, as the
 *       rules ask): a counter's go with its sample, a histogram's with the {@code _bucket} sample
 *       of the bucket they fall in ({@code +Inf} for values above every bound), oldest first per
 *       sample; stores without exemplar storage ignore them;
 *   <li>a point flagged "no recorded value" becomes Prometheus' staleness marker;
 *   <li>delta temporality has no Prometheus equivalent: such points are refused (dead-lettered)
 *       with the reason, never written wrong or dropped silently.
 * </ul>
 *
 * Not thread-safe (one per task): its cache and emitter remember series and {@code target_info} writes.
 */
final class MetricPointTranslator {

  private static final int DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA.ordinal();
  /** What the translation adds; see the connector's options. */
  record Options(boolean suffixes, boolean scopeLabels, boolean targetInfo, long targetInfoIntervalMs,
      Set<String> resourceLabels, String tenantLabel) {

    static Options defaults() {
      return new Options(true, true, true, 60_000, Set.of(), "");
    }
  }

  private final SeriesNaming naming;
  private final SeriesCache cache = new SeriesCache();
  private final TargetInfoEmitter targetInfo;

  MetricPointTranslator(Options options) {
    this.naming = new SeriesNaming(options);
    this.targetInfo = new TargetInfoEmitter(options, naming);
  }

  /** The samples of {@code point}, in the order they must be written. */
  List<RemoteWriteSample> samples(MetricPoint point) {
    if (point.getTimeUnixNano() <= 0) {
      throw new PoisonRecordException("metric " + point.getName() + ": timeUnixNano " + point.getTimeUnixNano()
          + " (expected: > 0)");
    }
    Translation t = new Translation(point, cache.get(point));
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
    SeriesCache.LabelBytes known = cache.knownRecord(point);
    if (known == null) {
      return null;
    }
    if (!point.isNumber || point.timeUnixNano <= 0 || point.aggregationTemporality == DELTA
        || point.isMonotonic != known.isMonotonic || (point.hasExemplars && known.isMonotonic == 1)) {
      return null; // the decoding path translates it (a counter's exemplars too), or refuses it with the reason
    }
    long timestampMs = point.timeUnixNano / 1_000_000L;
    boolean stale = (point.flags & 1) != 0;
    RemoteWriteSample info = null;
    if (targetInfo.enabled() && !stale) {
      if (known.targetInfo == null) {
        return null;
      }
      info = targetInfo.due(known.targetInfo, timestampMs).orElse(null);
    }
    RemoteWriteSample sample = new RemoteWriteSample(known.series, timestampMs,
        stale ? RemoteWriteSample.STALE_NAN : point.number);
    return new Translated(List.of(sample), info, known.tenant);
  }

  /** After {@code decoded} was translated: its series is known by the label bytes of the record it came from. */
  void rememberLabelBytes(MetricPoint decoded, PointBytes bytes) {
    cache.rememberLabelBytes(decoded, bytes);
  }

  /**
   * The {@code target_info} sample for the point's resource, when it has attributes beyond
   * {@code job}/{@code instance} and none was written for it in the last interval.
   */
  Optional<RemoteWriteSample> targetInfo(MetricPoint point) {
    return targetInfo.forPoint(point, cache.lastEntry(point));
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

  /**
   * One point's samples being produced. Each sample is named by (suffix, extra label name, extra
   * label bound); while those match the cached ones in order, the cached series are taken as they
   * are, and labels are only worked out (once per point) for a sample that does not match.
   */
  private final class Translation {
    final MetricPoint point;
    final long timestampMs;
    final boolean stale;
    final SeriesCache.KnownSeries known;
    final List<RemoteWriteSample> out = new ArrayList<>(2);
    List<SeriesCache.SeriesSlot> slots;
    boolean changed;
    String[] base;
    String metric;

    Translation(MetricPoint point, SeriesCache.KnownSeries known) {
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
      SeriesCache.SeriesSlot slot = !changed && index < slots.size() ? slots.get(index) : null;
      if (slot == null || !slot.names(suffix, extraName, extraBound)) {
        if (!changed) {
          changed = true;
          slots = new ArrayList<>(slots.subList(0, index));
        }
        if (base == null) {
          base = naming.baseLabels(point);
          metric = naming.metricName(point);
        }
        slot = new SeriesCache.SeriesSlot(suffix, extraName, extraBound, SeriesNaming.series(base, metric + suffix, extraName,
            extraName == null ? null : PrometheusNaming.formatFloat(extraBound)));
        slots.add(slot);
      }
      out.add(new RemoteWriteSample(slot.series(), timestampMs, stale ? RemoteWriteSample.STALE_NAN : value, exemplars));
    }

    List<RemoteWriteSample> finish() {
      if (changed || out.size() != slots.size()) {
        cache.put(point, known, changed ? slots : List.copyOf(slots.subList(0, out.size())));
      } else {
        cache.reused(point, known);
      }
      return out;
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
      converted[i] = new RemoteWriteExemplar(SeriesNaming.exemplarLabels(e), values[i], e.getTimeUnixNano() / 1_000_000L);
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
}
