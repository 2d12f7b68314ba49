package io.tributary.sinks.internal.batching;

import io.tributary.sinks.SinkTaskMetrics;
import io.tributary.sinks.internal.ErrantRecords;
import io.tributary.sinks.internal.PluginVersion;
import io.tributary.sinks.internal.batching.SinkDelivery.Parts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink task that turns each record into parts sent through the sharded batching engine: the task
 * says how a record becomes parts and where batches go; putting, committing only what is delivered
 * or dead-lettered, and closing are the same for every such sink.
 */
public abstract class BatchingSinkTask<T> extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(BatchingSinkTask.class);

  private SinkDelivery<T> delivery;
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** Adds the parts of one record to {@code parts} (a poison record throws {@code PoisonRecordException}). */
  protected abstract void parts(SinkRecord record, Parts<T> parts);

  /**
   * Starts delivery through {@code sender} with {@code shards} concurrent batches and the shared HTTP
   * options; the sender is closed with the batcher when the task stops.
   */
  protected final void startDelivery(String connector, BatchSender<T> sender, int shards,
      HttpSinkOptions.Settings settings) {
    startDelivery(connector, sender, shards, settings, b -> b, new OffsetTracker(),
        new ErrantRecords(context, connector));
  }

  /**
   * Like {@link #startDelivery(String, BatchSender, int, HttpSinkOptions.Settings)}, with more
   * batcher settings ({@code tuning}, e.g. a byte limit), the offset tracker and how refused
   * records are reported.
   */
  protected final void startDelivery(String connector, BatchSender<T> sender, int shards,
      HttpSinkOptions.Settings settings, UnaryOperator<ShardedBatcher.Builder<T>> tuning, OffsetTracker tracker,
      ErrantRecords errantRecords) {
    ShardedBatcher<T> batcher = tuning.apply(ShardedBatcher.builder(connector, sender)
        .shards(shards)
        .batchMaxItems(settings.batchSize())
        .batchMaxAge(settings.batchMaxAge())
        .bufferMaxItems(settings.bufferMaxSize())
        .backoff(settings.backoff()))
        .build();
    this.delivery = new SinkDelivery<>(connector, batcher, errantRecords, context, settings.retryTimeout(),
        settings.flushTimeout(), settings.backoff().max(), tracker);
    registerMetrics(batcher, settings.bufferMaxSize());
  }

  /**
   * What the task delivered, retried and dead-lettered, and the buffer's fill and bound, as task metrics
   * ({@link SinkTaskMetrics}; JMX {@code kafka.connect:type=plugins,connector=...,task=...}): an operator sees
   * a failing store as retries and a slow one fill the buffer while the backlog stays in Kafka as consumer lag.
   * Totals are read from the delivery's own counters (also logged when the task stops), so the two agree.
   */
  private void registerMetrics(ShardedBatcher<T> batcher, long bufferMaxSize) {
    PluginMetrics metrics;
    try {
      metrics = context == null ? null : context.pluginMetrics();
    } catch (LinkageError | UnsupportedOperationException e) {
      // Connect before 4.1 has no plugin metrics: the sink runs the same without them.
      log.debug("No task metrics on this Connect runtime", e);
      return;
    }
    if (metrics == null) {
      return;
    }
    SinkDelivery<T> d = delivery;
    add(metrics, SinkTaskMetrics.ITEMS_DELIVERED, () -> batcher.counters().delivered());
    add(metrics, SinkTaskMetrics.ITEMS_RETRIED, () -> batcher.counters().itemRetries());
    add(metrics, SinkTaskMetrics.RECORDS_FAILED, d::recordsFailed);
    add(metrics, SinkTaskMetrics.REQUESTS, () -> batcher.counters().requests());
    add(metrics, SinkTaskMetrics.REQUESTS_FAILED, () -> batcher.counters().failedRequests());
    add(metrics, SinkTaskMetrics.BUFFERED_ITEMS, batcher::buffered);
    add(metrics, SinkTaskMetrics.BUFFERED_ITEMS_PEAK, batcher::bufferedPeak);
    add(metrics, SinkTaskMetrics.BUFFER_MAX_ITEMS, () -> bufferMaxSize);
  }

  private static void add(PluginMetrics metrics, SinkTaskMetrics.Metric metric, LongSupplier value) {
    // Connect adds the connector and task tags; a cumulative total read at scrape time, like Kafka's CumulativeSum.
    metrics.addMetric(metrics.metricName(metric.name(), metric.description(), new LinkedHashMap<>()),
        (Gauge<Long>) (config, now) -> value.getAsLong());
  }

  /** What was delivered so far (tests, benchmarks). */
  protected final ShardedBatcher.Counters counters() {
    return delivery.counters();
  }

  /** Closed when the task stops, after delivery. */
  protected final <R extends AutoCloseable> R closeOnStop(R resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public final String version() {
    return PluginVersion.get();
  }

  @Override
  public final void put(Collection<SinkRecord> records) {
    delivery.put(records, this::parts);
  }

  @Override
  public final Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    return delivery.preCommit(currentOffsets);
  }

  @Override
  public final void close(Collection<TopicPartition> partitions) {
    delivery.close(partitions);
  }

  /** Runs first when the task stops, before delivery ends (e.g. to stop a timer that sends). */
  protected void beforeStop() {}

  @Override
  public final void stop() {
    beforeStop();
    if (delivery != null) {
      delivery.close();
    }
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("Closing {} failed", resource, e);
      }
    }
  }
}
