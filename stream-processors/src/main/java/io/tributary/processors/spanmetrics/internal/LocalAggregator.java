package io.tributary.processors.spanmetrics.internal;

import io.tributary.processors.spanmetrics.SpanMetrics;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.StatusCode;
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
 * Stage one of span metrics, in the task that reads the spans: counts each span into its series'
 * delta in a changelogged store (cached, so a busy series costs one changelog write per commit,
 * not per span), and every flush interval (wall-clock) sends every delta keyed by series and
 * clears it. With exactly-once processing a span is in exactly one delta that reaches stage two.
 */
public final class LocalAggregator implements Processor<String, List<Span>, String, SpanCounts> {

  private final SpanMetricsConfig config;
  private final SpanMetricsCounters counters;
  private final double[] boundsMs;
  private ProcessorContext<String, SpanCounts> context;
  private KeyValueStore<String, SpanCounts> deltas;

  private LocalAggregator(SpanMetricsConfig config, SpanMetricsCounters counters) {
    this.config = config;
    this.counters = counters;
    this.boundsMs = config.histogramBoundsMillis();
  }

  /** New processors per task, owning the local store. */
  public static ProcessorSupplier<String, List<Span>, String, SpanCounts> supplier(SpanMetricsConfig config,
      SpanMetricsCounters counters) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, List<Span>, String, SpanCounts> get() {
        return new LocalAggregator(config, counters);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SpanMetrics.LOCAL_STORE),
            Serdes.String(), SpanMetricsSerdes.counts()).withCachingEnabled().withLoggingEnabled(Map.of()));
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, SpanCounts> context) {
    this.context = context;
    this.deltas = context.getStateStore(SpanMetrics.LOCAL_STORE);
    context.schedule(config.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flush);
  }

  /** Counts the spans of one request: each series they touch is read and written once. */
  @Override
  public void process(Record<String, List<Span>> record) {
    List<Span> spans = record.value();
    if (spans == null || spans.isEmpty()) {
      return;
    }
    Map<String, SpanCounts> touched = new HashMap<>();
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      add(touched.computeIfAbsent(SeriesKey.encode(span, config), this::delta), span);
    }
    touched.forEach(deltas::put);
  }

  /** The series' delta since the last flush, or a new one. */
  private SpanCounts delta(String series) {
    SpanCounts delta = deltas.get(series);
    return delta == null || delta.buckets.length != boundsMs.length + 1 ? new SpanCounts(boundsMs.length + 1) : delta;
  }

  private void add(SpanCounts delta, Span span) {
    long nanos = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    delta.add(Math.max(0, nanos) / 1_000_000.0, span.getStatus().getCode() == StatusCode.ERROR, boundsMs);
    counters.spans.increment();
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
