package io.tributary.platform.connect;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tributary.sinks.SinkTaskMetrics;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;

/**
 * The sink task metrics of a Connect worker ({@link SinkTaskMetrics}, registered by each task as Connect
 * plugin metrics) as Prometheus meters with the labels {@code connector} and {@code task}, e.g.
 * {@code tributary_sink_items_delivered_total{connector="tributary-elasticsearch",task="0"}}. Tasks come and go
 * with rebalances and restarts, so {@link #refresh} (before each scrape) adds the meters of new tasks and removes
 * those of tasks gone; values are read from the worker's metrics at scrape time.
 */
final class SinkTaskMeters {

  private final MeterRegistry registry;
  private final Supplier<Metrics> worker;
  private final Map<String, SinkTaskMetrics.Metric> byName = new HashMap<>();
  private final Map<MetricName, Registered> meters = new HashMap<>();

  /** A meter and the task metric it reads (a restarted task registers a new one under the same name). */
  private record Registered(KafkaMetric metric, Meter meter) {}

  SinkTaskMeters(MeterRegistry registry, Supplier<Metrics> worker) {
    this.registry = registry;
    this.worker = worker;
    SinkTaskMetrics.ALL.forEach(m -> byName.put(m.name(), m));
  }

  /** Registers the meters of tasks started since the last call and removes those of tasks stopped. */
  synchronized void refresh() {
    Map<MetricName, KafkaMetric> current = worker.get().metrics();
    for (Iterator<Map.Entry<MetricName, Registered>> it = meters.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<MetricName, Registered> entry = it.next();
      if (current.get(entry.getKey()) != entry.getValue().metric()) {
        registry.remove(entry.getValue().meter());
        it.remove();
      }
    }
    current.forEach((name, metric) -> {
      SinkTaskMetrics.Metric sinkMetric = byName.get(name.name());
      String connector = name.tags().get(SinkTaskMetrics.CONNECTOR_TAG);
      String task = name.tags().get(SinkTaskMetrics.TASK_TAG);
      if (sinkMetric == null || !SinkTaskMetrics.GROUP.equals(name.group()) || connector == null || task == null
          || meters.containsKey(name)) {
        return;
      }
      meters.put(name, new Registered(metric, register(sinkMetric, Tags.of(SinkTaskMetrics.CONNECTOR_TAG, connector,
          SinkTaskMetrics.TASK_TAG, task), metric)));
    });
  }

  private Meter register(SinkTaskMetrics.Metric metric, Tags tags, KafkaMetric value) {
    // Micrometer's Prometheus naming turns dots into underscores and adds _total to counters.
    String prometheus = metric.prometheusName();
    ToDoubleFunction<KafkaMetric> read = m -> m.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    if (metric.kind() == SinkTaskMetrics.Kind.COUNTER) {
      return FunctionCounter.builder(prometheus.substring(0, prometheus.length() - "_total".length()).replace('_', '.'),
              value, read)
          .description(metric.description()).tags(tags).register(registry);
    }
    return Gauge.builder(prometheus.replace('_', '.'), value, read)
        .description(metric.description()).tags(tags).register(registry);
  }
}
