package io.tributary.sinks;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * The metrics every Tributary sink task registers as Connect plugin metrics, next to Connect's own:
 * JMX {@code kafka.connect:type=plugins,connector=NAME,task=N}, Kafka metric group {@value #GROUP}
 * with the tags {@code connector} and {@code task}. {@code tributary connect} serves them on its
 * {@code /metrics} as {@link Metric#prometheusName()} with the labels {@code connector} and {@code task}.
 */
public final class SinkTaskMetrics {

  /** The Kafka metric group Connect gives plugin metrics. */
  public static final String GROUP = "plugins";
  /** The Kafka metric tags (and Prometheus labels) of a task's metrics. */
  public static final String CONNECTOR_TAG = "connector";
  public static final String TASK_TAG = "task";

  /** Whether a metric only grows (a total since the task started) or goes up and down. */
  public enum Kind { COUNTER, GAUGE }

  /** One task metric: its Connect name (a counter's ends in {@code -total}), its kind and what it counts. */
  public record Metric(String name, Kind kind, String description) {
    public Metric {
      requireNonNull(name, "name");
      requireNonNull(kind, "kind");
      requireNonNull(description, "description");
      if ((kind == Kind.COUNTER) != name.endsWith("-total")) {
        throw new IllegalArgumentException("name: " + name + " (expected: ending in -total exactly for counters)");
      }
    }

    /** The Prometheus name: {@code items-delivered-total} is {@code tributary_sink_items_delivered_total}. */
    public String prometheusName() {
      return "tributary_sink_" + name.replace('-', '_').toLowerCase(Locale.ROOT);
    }
  }

  public static final Metric ITEMS_DELIVERED = new Metric("items-delivered-total", Kind.COUNTER,
      "Items (documents, samples, spans, alerts) the store took since the task started, including documents "
          + "Elasticsearch already had (409, a re-delivery).");
  public static final Metric ITEMS_RETRIED = new Metric("items-retried-total", Kind.COUNTER,
      "Item sends that failed for a transient reason (429, 5xx, I/O) and were retried after a backoff: an item "
          + "retried three times counts three.");
  public static final Metric RECORDS_FAILED = new Metric("records-failed-total", Kind.COUNTER,
      "Records that could not be delivered (refused by the store, or not decodable) and went to the dead-letter "
          + "queue, or were dropped under errors.tolerance=all without one.");
  public static final Metric REQUESTS = new Metric("requests-total", Kind.COUNTER,
      "Requests sent to the store, retries included.");
  public static final Metric REQUESTS_FAILED = new Metric("requests-failed-total", Kind.COUNTER,
      "Requests the store did not take as a whole: no answer, a transient error (retried), or a refusal of "
          + "the content (bisected or dead-lettered).");
  public static final Metric BUFFERED_ITEMS = new Metric("buffered-items", Kind.GAUGE,
      "Items (documents, samples, spans) the task holds in memory, queued or being sent.");
  public static final Metric BUFFERED_ITEMS_PEAK = new Metric("buffered-items-peak", Kind.GAUGE,
      "The most items the task held in memory at once since it started.");
  public static final Metric BUFFER_MAX_ITEMS = new Metric("buffer-max-items", Kind.GAUGE,
      "buffer.max.size: the task takes no more records while it holds this many items (one poll's records may "
          + "go beyond it).");

  /** Every task metric, counters first. */
  public static final List<Metric> ALL = List.of(ITEMS_DELIVERED, ITEMS_RETRIED, RECORDS_FAILED, REQUESTS,
      REQUESTS_FAILED, BUFFERED_ITEMS, BUFFERED_ITEMS_PEAK, BUFFER_MAX_ITEMS);

  private SinkTaskMetrics() {}
}
