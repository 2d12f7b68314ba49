package io.tributary.platform.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.sinks.SinkTaskMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sink task metrics registered as Connect registers plugin metrics (Kafka's {@code PluginMetricsImpl} on the
 * worker's {@link Metrics}), read into Prometheus text as the connect role's /metrics serves it. The same through a
 * real worker and a real store: {@code SpanDerivedMetricsThroughDevIT}, {@code ConsoleBrowserIT}.
 */
class SinkTaskMetersTest {

  private final Metrics worker = new Metrics();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SinkTaskMeters meters = new SinkTaskMeters(registry, () -> worker);

  @AfterEach
  void close() {
    registry.close();
    worker.close();
  }

  @Test
  void shouldServeEachTasksCountsWithConnectorAndTaskLabelsAndFollowTasksThatComeAndGo() throws Exception {
    PluginMetricsImpl task0 = task("es", "0", 12, 3);
    task("rw", "1", 40, 0);
    worker.addMetric(worker.metricName("sink-record-read-total", "sink-task-metrics", "Connect's own",
        Map.of("connector", "es", "task", "0")), (Gauge<Long>) (config, now) -> 99L);

    meters.refresh();
    String text = registry.scrape();

    assertThat(text).contains("tributary_sink_items_delivered_total{connector=\"es\",task=\"0\"} 12.0",
        "tributary_sink_items_delivered_total{connector=\"rw\",task=\"1\"} 40.0",
        "tributary_sink_items_retried_total{connector=\"es\",task=\"0\"} 3.0",
        "tributary_sink_buffered_items{connector=\"es\",task=\"0\"} 5.0",
        "# HELP tributary_sink_items_delivered_total " + SinkTaskMetrics.ITEMS_DELIVERED.description())
        .as("Connect's own metrics and other groups are not served").doesNotContain("sink_record_read", "99.0");

    // The task restarts: its metrics go and come back, counting from zero.
    task0.close();
    meters.refresh();
    assertThat(registry.scrape()).doesNotContain("connector=\"es\"").contains("connector=\"rw\"");
    task("es", "0", 1, 0);
    meters.refresh();
    assertThat(registry.scrape()).contains("tributary_sink_items_delivered_total{connector=\"es\",task=\"0\"} 1.0");
  }

  /** A task's metrics as the delivery core registers them, with these counts. */
  private PluginMetricsImpl task(String connector, String task, long delivered, long retried) {
    PluginMetricsImpl metrics = new PluginMetricsImpl(worker, Map.of(SinkTaskMetrics.CONNECTOR_TAG, connector,
        SinkTaskMetrics.TASK_TAG, task));
    for (SinkTaskMetrics.Metric metric : SinkTaskMetrics.ALL) {
      AtomicLong value = new AtomicLong(metric == SinkTaskMetrics.ITEMS_DELIVERED ? delivered
          : metric == SinkTaskMetrics.ITEMS_RETRIED ? retried : metric == SinkTaskMetrics.BUFFERED_ITEMS ? 5 : 0);
      metrics.addMetric(metrics.metricName(metric.name(), metric.description(), new LinkedHashMap<>()),
          (Gauge<Long>) (config, now) -> value.get());
    }
    return metrics;
  }
}
