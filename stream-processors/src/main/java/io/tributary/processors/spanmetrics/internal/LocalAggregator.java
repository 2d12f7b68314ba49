package io.tributary.processors.spanmetrics.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/**
 * Stage one of an {@link Aggregation}, in the task that reads the values: counts each observation into its series'
 * delta in a changelogged store (cached, so a busy series costs one changelog write per commit,
 * not per span), and every flush interval (wall-clock) sends every delta keyed by series and
 * clears it. With exactly-once processing an observation is in exactly one delta that reaches stage two.
 */
final class LocalAggregator<V> implements Processor<String, V, String, SpanCounts> {

  private final Aggregation aggregation;
  private final Aggregation.Observations<V> observations;
  private final double[] bounds;
  private ProcessorContext<String, SpanCounts> context;
  private KeyValueStore<String, SpanCounts> deltas;

  private LocalAggregator(Aggregation aggregation, Aggregation.Observations<V> observations) {
    this.aggregation = aggregation;
    this.observations = observations;
    this.bounds = aggregation.bounds();
  }

  /** New processors per task, owning the local store. */
  static <V> ProcessorSupplier<String, V, String, SpanCounts> supplier(Aggregation aggregation,
      Aggregation.Observations<V> observations) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, V, String, SpanCounts> get() {
        return new LocalAggregator<>(aggregation, observations);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(aggregation.localStore()),
            Serdes.String(), SpanMetricsSerdes.counts()).withCachingEnabled().withLoggingEnabled(Map.of()));
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, SpanCounts> context) {
    this.context = context;
    this.deltas = context.getStateStore(aggregation.localStore());
    context.schedule(aggregation.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flush);
  }

  /** Counts the observations of one value (the spans of a request): each series they touch is read and written once. */
  @Override
  public void process(Record<String, V> record) {
    if (record.value() == null) {
      return;
    }
    Map<String, SpanCounts> touched = new HashMap<>();
    observations.observe(record.value(), (series, duration, error) -> {
      touched.computeIfAbsent(series, this::delta).add(Math.max(0, duration), error, bounds);
      aggregation.counters().spans.increment();
    });
    touched.forEach(deltas::put);
  }

  /** The series' delta since the last flush, or a new one. */
  private SpanCounts delta(String series) {
    SpanCounts delta = deltas.get(series);
    return delta == null || delta.buckets.length != bounds.length + 1 ? new SpanCounts(bounds.length + 1) : delta;
  }

  private void flush(long now) {
    List<KeyValue<String, SpanCounts>> pending = new ArrayList<>();
    try (KeyValueIterator<String, SpanCounts> all = deltas.all()) {
      all.forEachRemaining(pending::add);
    }
    for (KeyValue<String, SpanCounts> delta : pending) {
      if (delta.value != null) {
        context.forward(new Record<>(delta.key, delta.value, now));
      }
      deltas.delete(delta.key);
    }
  }
}
