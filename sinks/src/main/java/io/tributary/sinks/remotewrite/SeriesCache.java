package io.tributary.sinks.remotewrite;

import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series a task has worked out the labels of, so that a point of a known series costs a
 * check that its label inputs did not change instead of naming, sorting and encoding them again:
 * by series id for decoded points, and by the label bytes of their records for points read
 * straight from their bytes ({@link PointBytes}). Bounded: the oldest entries go first.
 *
 * <p>Not thread-safe (one per task).
 */
final class SeriesCache {

  /**
   * How many series a task remembers the labels of. Working out a point's labels (naming, sorting,
   * encoding) costs several times more than checking that they did not change; a few hundred bytes
   * per series.
   */
  static final int SERIES_MEMORY = 50_000;

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
  /** The point last translated and its entry, so {@link #lastEntry} finds the entry without a lookup. */
  private MetricPoint lastPoint;
  private KnownSeries lastKnown;

  /**
   * The entry of the point's series id when its label inputs are the same as when it was
   * remembered; null otherwise (the point's labels are then worked out again).
   */
  KnownSeries get(MetricPoint point) {
    KnownSeries known = knownSeries.get(point.getSeriesId());
    return known != null && known.sameLabelInputs(point) ? known : null;
  }

  /**
   * After {@code point} was translated into samples of {@code slots}: they become the entry of
   * its series id, keeping the target_info of the entry they replace ({@code replaced}, or null).
   */
  void put(MetricPoint point, KnownSeries replaced, List<SeriesSlot> slots) {
    KnownSeries fresh = new KnownSeries(point, slots);
    if (replaced != null) {
      fresh.targetInfo = replaced.targetInfo;
    }
    knownSeries.put(point.getSeriesId(), fresh);
    lastKnown = fresh;
    lastPoint = point;
  }

  /** After {@code point} was translated into the samples of {@code entry} as they were. */
  void reused(MetricPoint point, KnownSeries entry) {
    lastKnown = entry;
    lastPoint = point;
  }

  /** The entry of {@code point} when it is the point last translated, else null. */
  KnownSeries lastEntry(MetricPoint point) {
    return point == lastPoint ? lastKnown : null;
  }

  /**
   * What is known of the record {@code point} was read from, when a record of its series was
   * decoded before with the same label bytes and the values after them could be read; null
   * otherwise (the record must be decoded).
   */
  LabelBytes knownRecord(PointBytes point) {
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
    return known;
  }

  /** After {@code decoded} was translated: its series is known by the label bytes of the record it came from. */
  void rememberLabelBytes(MetricPoint decoded, PointBytes bytes) {
    if (decoded == lastPoint && lastKnown != null && bytes.readLabels()) {
      LabelBytes key = LabelBytes.copyOf(bytes, lastKnown);
      knownLabels.remove(key);
      knownLabels.put(key, key);
    }
  }

  /** A sample's series with what names it within its point. */
  record SeriesSlot(String suffix, String extraName, double extraBound, Series series) {
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
  static final class KnownSeries {
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
    /** The target_info of the series' resource, once {@link TargetInfoEmitter} worked it out. */
    TargetInfoEmitter.Target targetInfo;

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

  /**
   * The label bytes (tenant through attributes) of a record of a known series, with what a point of
   * it needs: equal and hashed by the tenant and series id bytes at their start. The probe points
   * into the record being read; entries are copies.
   */
  static final class LabelBytes {
    private byte[] bytes;
    private int from;
    private int idLength;
    private int hash;
    /**
     * What a point of the series needs, copied from its entry so that reading one touches only this
     * and its bytes: its one sample's series when a point of it is one plain sample (else null),
     * tenant (one instance per tenant), target_info, monotonicity.
     */
    Series series;
    String tenant;
    TargetInfoEmitter.Target targetInfo;
    int isMonotonic;

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
