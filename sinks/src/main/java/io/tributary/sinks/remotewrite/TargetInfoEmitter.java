package io.tributary.sinks.remotewrite;

import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code target_info} series of each resource: a gauge of value 1 whose labels are the
 * resource's attributes beyond {@code job}/{@code instance} ({@link SeriesNaming#targetInfoSeries}),
 * written at most once per interval (metric time) per resource and tenant. Best effort: a store
 * that already has a newer {@code target_info} refuses it, which is counted, not dead-lettered.
 *
 * <p>Not thread-safe (one per task): it remembers when it last wrote each {@code target_info}.
 */
final class TargetInfoEmitter {

  private static final int TARGET_INFO_MEMORY = 10_000;

  private final boolean enabled;
  private final long intervalMs;
  private final boolean tenantLabelled;
  private final SeriesNaming naming;
  private final Map<String, Target> written = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Target> eldest) {
      return size() > TARGET_INFO_MEMORY;
    }
  };

  TargetInfoEmitter(MetricPointTranslator.Options options, SeriesNaming naming) {
    this.enabled = options.targetInfo();
    this.intervalMs = options.targetInfoIntervalMs();
    this.tenantLabelled = !options.tenantLabel().isEmpty();
    this.naming = naming;
  }

  /** Whether {@code target_info} is written at all (the connector's option). */
  boolean enabled() {
    return enabled;
  }

  /**
   * The {@code target_info} sample for the point's resource, when it has attributes beyond
   * {@code job}/{@code instance} and none was written for it in the last interval.
   *
   * @param entry the cached entry of the point's series (or null): holds its target_info once worked
   *     out, which skips building the resource's key for the next points of the series
   */
  Optional<RemoteWriteSample> forPoint(MetricPoint point, SeriesCache.KnownSeries entry) {
    if (!enabled || (point.getFlags() & 1) != 0) {
      return Optional.empty();
    }
    long timestampMs = point.getTimeUnixNano() / 1_000_000L;
    // Same resource and tenant as when the series was cached: the same target_info.
    Target known = entry == null ? null : entry.targetInfo;
    if (known == null) {
      String key = resourceKey(point);
      known = written.get(key);
      if (known == null) {
        known = new Target(naming.targetInfoSeries(point));
        written.put(key, known);
      }
      if (entry != null) {
        entry.targetInfo = known;
      }
    }
    return due(known, timestampMs);
  }

  /** The sample of {@code known} at {@code timestampMs} when its interval has passed (and it is then written). */
  Optional<RemoteWriteSample> due(Target known, long timestampMs) {
    if (known.series == null || timestampMs < known.lastWrittenMs + intervalMs) {
      return Optional.empty();
    }
    known.lastWrittenMs = timestampMs;
    return Optional.of(new RemoteWriteSample(known.series, timestampMs, 1));
  }

  /** What identifies a target_info series: tenant (when labelled) and every resource attribute. */
  private String resourceKey(MetricPoint point) {
    StringBuilder b = new StringBuilder(128);
    if (tenantLabelled) {
      b.append(point.getTenant()).append('\u0000');
    }
    for (KeyValue kv : point.getResource().getAttributes()) {
      Object v = kv.getValue() == null ? null : kv.getValue().getValue();
      b.append(kv.getKey()).append('\u0001')
          .append(v instanceof CharSequence cs ? cs : SeriesNaming.valueString(kv.getValue())).append('\u0000');
    }
    return b.toString();
  }

  /** One resource's target_info series (null when it has nothing beyond job and instance) and when it was last written. */
  static final class Target {
    final Series series;
    long lastWrittenMs = Long.MIN_VALUE / 2;

    Target(Series series) {
      this.series = series;
    }
  }
}
