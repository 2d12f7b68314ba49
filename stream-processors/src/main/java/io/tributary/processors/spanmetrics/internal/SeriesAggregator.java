package io.tributary.processors.spanmetrics.internal;

import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
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
 * Stage two of an {@link Aggregation}, after the repartition by series: every delta of a series, from every
 * instance, reaches this one task, which adds it to the series' cumulative counts in a changelogged
 * store. Every flush interval (wall-clock) it writes the series that changed as cumulative points
 * (one start time per series, strictly increasing point times), and forgets series idle for longer
 * than the expiry. So the store downstream sees one cumulative series however many instances count.
 */
final class SeriesAggregator implements Processor<String, SpanCounts, String, MetricPoint> {

  private static final Logger log = LoggerFactory.getLogger(SeriesAggregator.class);

  private final Aggregation aggregation;
  private final SpanMetricsCounters counters;
  private final double[] bounds;
  private final long expiryMs;
  private ProcessorContext<String, MetricPoint> context;
  private KeyValueStore<String, SeriesState> series;

  private SeriesAggregator(Aggregation aggregation) {
    this.aggregation = aggregation;
    this.counters = aggregation.counters();
    this.bounds = aggregation.bounds();
    this.expiryMs = aggregation.seriesExpiry().toMillis();
  }

  /** New processors per task, owning the per-series store. */
  static ProcessorSupplier<String, SpanCounts, String, MetricPoint> supplier(Aggregation aggregation) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, SpanCounts, String, MetricPoint> get() {
        return new SeriesAggregator(aggregation);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(aggregation.seriesStore()),
            Serdes.String(), SpanMetricsSerdes.state()).withCachingEnabled().withLoggingEnabled(Map.of()));
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, MetricPoint> context) {
    this.context = context;
    this.series = context.getStateStore(aggregation.seriesStore());
    context.schedule(aggregation.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flush);
  }

  @Override
  public void process(Record<String, SpanCounts> record) {
    SpanCounts delta = record.value();
    if (delta == null || record.key() == null) {
      counters.unreadableDeltas.increment();
      return;
    }
    long now = context.currentSystemTimeMs();
    SeriesState state = series.get(record.key());
    if (state == null || state.counts.buckets.length != delta.buckets.length) {
      // New, expired or counted under other bounds: a new cumulative series (a reset, with its own start).
      state = new SeriesState(new SpanCounts(delta.buckets.length), now, now, state == null ? 0 : state.lastEmitMs, true);
    }
    state.counts.merge(delta);
    state.lastUpdateMs = now;
    state.dirty = true;
    series.put(record.key(), state);
  }

  private void flush(long now) {
    List<KeyValue<String, SeriesState>> changed = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, SeriesState> all = series.all()) {
      while (all.hasNext()) {
        KeyValue<String, SeriesState> entry = all.next();
        if (entry.value == null) {
          expired.add(entry.key);
        } else if (entry.value.dirty) {
          changed.add(entry);
        } else if (now - entry.value.lastUpdateMs >= expiryMs) {
          expired.add(entry.key);
        }
      }
    }
    for (KeyValue<String, SeriesState> entry : changed) {
      SeriesState state = entry.value;
      SeriesKey key = SeriesKey.decode(entry.key);
      state.lastEmitMs = Math.max(now, state.lastEmitMs + 1);
      state.dirty = false;
      series.put(entry.key, state);
      if (key == null) {
        log.warn("{} series key {} cannot be decoded; its points are not written", aggregation.step(), entry.key);
        continue;
      }
      RecordHeaders headers = new RecordHeaders();
      headers.add(TelemetryHeaders.TENANT, key.tenant().getBytes(StandardCharsets.UTF_8));
      for (MetricPoint point : aggregation.points().of(key, state, state.lastEmitMs, bounds)) {
        context.forward(new Record<>(point.getSeriesId(), point, state.lastEmitMs, headers));
        counters.points.increment();
      }
    }
    for (String key : expired) {
      series.delete(key);
      counters.seriesExpired.increment();
    }
  }
}
