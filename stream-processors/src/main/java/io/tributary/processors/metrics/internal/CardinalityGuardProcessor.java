package io.tributary.processors.metrics.internal;

import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.metrics.CardinalityConfig;
import io.tributary.processors.metrics.CardinalityGuard;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cardinality guard of one stream task. Every series it let through is in a changelogged store
 * under (tenant, metric name, series id) with when it was last seen (refreshed at most every quarter
 * of the expiry, so a steady series costs a read per point, not a write); the number of series per
 * metric is kept in memory and recounted from the store at start and at every check. A point of a
 * series not in the store passes while its metric is under the cap, else it is dropped and counted
 * in a second store. Every check interval (wall-clock) expired series free their slots, and each
 * metric with new drops gets a {@link CardinalityGuard#DROPPED_METRIC} point and a log line.
 */
public final class CardinalityGuardProcessor implements Processor<String, MetricPoint, String, MetricPoint> {

  private static final Logger log = LoggerFactory.getLogger(CardinalityGuardProcessor.class);
  private static final char SERIES_SEPARATOR = '\u0000';
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final CardinalityConfig config;
  private final CardinalityCounters counters;
  private final String pipeline;
  private final long expiryMs;
  private final long refreshMs;
  private ProcessorContext<String, MetricPoint> context;
  private KeyValueStore<String, Long> series;
  private KeyValueStore<String, DropCount> drops;
  private Map<String, Integer> seriesPerMetric = new HashMap<>();

  private CardinalityGuardProcessor(CardinalityConfig config, CardinalityCounters counters, String pipeline) {
    this.config = config;
    this.counters = counters;
    this.pipeline = pipeline;
    this.expiryMs = config.seriesExpiry().toMillis();
    this.refreshMs = Math.max(1, expiryMs / 4);
  }

  /** New processors per task, owning both stores (persistent, changelogged, cached). */
  public static ProcessorSupplier<String, MetricPoint, String, MetricPoint> supplier(CardinalityConfig config,
      CardinalityCounters counters, String pipeline) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, MetricPoint, String, MetricPoint> get() {
        return new CardinalityGuardProcessor(config, counters, pipeline);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(
            Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CardinalityGuard.SERIES_STORE), Serdes.String(),
                Serdes.Long()).withCachingEnabled().withLoggingEnabled(Map.of()),
            Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CardinalityGuard.DROPS_STORE), Serdes.String(),
                DropCount.serde()).withCachingEnabled().withLoggingEnabled(Map.of()));
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, MetricPoint> context) {
    this.context = context;
    this.series = context.getStateStore(CardinalityGuard.SERIES_STORE);
    this.drops = context.getStateStore(CardinalityGuard.DROPS_STORE);
    expireAndCount(context.currentSystemTimeMs(), false); // restored series keep their slots
    context.schedule(config.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
  }

  @Override
  public void process(Record<String, MetricPoint> record) {
    MetricPoint point = record.value();
    if (point == null || point.getSeriesId() == null) {
      context.forward(record);
      return;
    }
    String metric = metricKey(point.getTenant(), point.getName());
    String key = metric + SERIES_SEPARATOR + point.getSeriesId();
    long now = context.currentSystemTimeMs();
    Long lastSeen = series.get(key);
    if (lastSeen != null) {
      if (now - lastSeen >= refreshMs) {
        series.put(key, now);
      }
      context.forward(record);
      return;
    }
    int count = seriesPerMetric.getOrDefault(metric, 0);
    if (count < config.maxSeriesPerMetric()) {
      series.put(key, now);
      seriesPerMetric.put(metric, count + 1);
      context.forward(record);
      return;
    }
    counters.dropped(point.getName());
    DropCount drop = drops.get(metric);
    if (drop == null) {
      drop = new DropCount(0, 0, now, now, 0);
    }
    drop.count++;
    drop.lastDropMs = now;
    drops.put(metric, drop);
  }

  private void check(long now) {
    expireAndCount(now, true);
    reportDrops(now);
  }

  /** Recounts the series per metric from the store, first freeing expired series if {@code expire}. */
  private void expireAndCount(long now, boolean expire) {
    Map<String, Integer> counts = new HashMap<>();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = series.all()) {
      while (all.hasNext()) {
        org.apache.kafka.streams.KeyValue<String, Long> entry = all.next();
        if (expire && (entry.value == null || now - entry.value >= expiryMs)) {
          expired.add(entry.key);
        } else {
          counts.merge(entry.key.substring(0, entry.key.lastIndexOf(SERIES_SEPARATOR)), 1, Integer::sum);
        }
      }
    }
    for (String key : expired) {
      series.delete(key);
      counters.seriesExpired.increment();
    }
    seriesPerMetric = counts;
  }

  private void reportDrops(long now) {
    List<org.apache.kafka.streams.KeyValue<String, DropCount>> entries = new ArrayList<>();
    try (KeyValueIterator<String, DropCount> all = drops.all()) {
      all.forEachRemaining(entries::add);
    }
    for (org.apache.kafka.streams.KeyValue<String, DropCount> entry : entries) {
      DropCount drop = entry.value;
      if (drop == null) {
        drops.delete(entry.key);
      } else if (drop.count != drop.reported) {
        report(entry.key, drop, now);
        drop.reported = drop.count;
        drops.put(entry.key, drop);
      } else if (now - drop.lastDropMs >= expiryMs) {
        drops.delete(entry.key); // no drops for a whole expiry: the counter starts anew if it ever comes back
      }
    }
  }

  private void report(String metric, DropCount drop, long now) {
    int tenantLength = Integer.parseInt(metric, 0, metric.indexOf(':'), 10);
    String tenant = metric.substring(metric.indexOf(':') + 1, metric.indexOf(':') + 1 + tenantLength);
    String name = metric.substring(metric.indexOf(':') + 1 + tenantLength);
    int partition = context.taskId().partition();
    log.warn("Metric {} of tenant {} is at its cap of {} series on partition {}: {} points of new series dropped since "
            + "the last report, {} in all. Drop its high-cardinality labels or raise cardinality.max-series-per-metric.",
        name, tenant, config.maxSeriesPerMetric(), partition, drop.count - drop.reported, drop.count);
    drop.lastReportMs = Math.max(now, drop.lastReportMs + 1);
    MetricPoint point = MetricPoint.newBuilder()
        .setTenant(tenant)
        .setSeriesId("")
        .setResource(new Resource(List.of(attribute("service.name", "tributary-" + pipeline)), 0, null))
        .setScope(InstrumentationScope.newBuilder().setName(CardinalityGuard.SCOPE_NAME).build())
        .setName(CardinalityGuard.DROPPED_METRIC)
        .setDescription("Points dropped because their metric reached its series cap (cardinality.max-series-per-metric)")
        .setUnit("{point}")
        .setType(MetricType.SUM)
        .setAttributes(List.of(attribute(CardinalityGuard.METRIC_NAME_ATTRIBUTE, name),
            new KeyValue(CardinalityGuard.PARTITION_ATTRIBUTE, new AnyValue((long) partition))))
        .setStartTimeUnixNano(drop.startMs * NANOS_PER_MILLI)
        .setTimeUnixNano(drop.lastReportMs * NANOS_PER_MILLI)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setIsMonotonic(true)
        .setValue(new NumberValue(drop.count))
        .build();
    point.setSeriesId(StableIds.seriesId(point));
    RecordHeaders headers = new RecordHeaders();
    headers.add(TelemetryHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<>(point.getSeriesId(), point, drop.lastReportMs, headers));
  }

  private static KeyValue attribute(String key, String value) {
    return new KeyValue(key, new AnyValue(value));
  }

  /** Tenant length-prefixed, so no tenant and name pair can read as another. */
  private static String metricKey(String tenant, String name) {
    return tenant.length() + ":" + tenant + name;
  }
}
