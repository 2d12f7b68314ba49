package io.tributary.sinks.internal.batching;

import io.tributary.sinks.internal.ErrantRecords;
import io.tributary.sinks.internal.PluginVersion;
import io.tributary.sinks.internal.batching.SinkDelivery.Parts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Task metric: items held in memory now. */
  public static final String BUFFERED_ITEMS_METRIC = "buffered-items";
  /** Task metric: the most items held in memory at once since the task started. */
  public static final String BUFFERED_ITEMS_PEAK_METRIC = "buffered-items-peak";
  /** Task metric: the configured bound, {@code buffer.max.size}. */
  public static final String BUFFER_MAX_ITEMS_METRIC = "buffer-max-items";

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
   * The buffer's fill and bound as task metrics (JMX {@code kafka.connect:type=plugins,connector=...,task=...}),
   * so an operator sees a slow store fill the buffer while the backlog stays in Kafka as consumer lag.
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
    LinkedHashMap<String, String> noTags = new LinkedHashMap<>();
    metrics.addMetric(metrics.metricName(BUFFERED_ITEMS_METRIC, "Items (documents, samples, spans) the task holds in "
        + "memory, queued or being sent.", noTags), (Gauge<Long>) (config, now) -> batcher.buffered());
    metrics.addMetric(metrics.metricName(BUFFERED_ITEMS_PEAK_METRIC, "The most items the task held in memory at once "
        + "since it started.", noTags), (Gauge<Long>) (config, now) -> batcher.bufferedPeak());
    metrics.addMetric(metrics.metricName(BUFFER_MAX_ITEMS_METRIC, "buffer.max.size: the task takes no more records "
        + "while it holds this many items (one poll's records may go beyond it).", noTags),
        (Gauge<Long>) (config, now) -> bufferMaxSize);
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
