package io.tributary.sinks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The part of Connect's task context the sinks use, for unit tests: the errant record reporter, which
 * adds {@code "<offset> <reason>"} for each record reported to {@code reported}, and the task's metrics.
 */
public final class ReportingTaskContext implements SinkTaskContext {

  private final List<String> reported;
  private final PluginMetrics pluginMetrics;

  public ReportingTaskContext(List<String> reported) {
    this(reported, null);
  }

  /** With {@code pluginMetrics} as the task's metrics (null: a runtime without plugin metrics). */
  public ReportingTaskContext(List<String> reported, PluginMetrics pluginMetrics) {
    this.reported = reported;
    this.pluginMetrics = pluginMetrics;
  }

  @Override
  public ErrantRecordReporter errantRecordReporter() {
    return (record, error) -> {
      reported.add(record.kafkaOffset() + " " + error.getMessage());
      return CompletableFuture.completedFuture(null);
    };
  }

  @Override
  public Map<String, String> configs() {
    return Map.of();
  }

  @Override
  public void offset(Map<TopicPartition, Long> offsets) {}

  @Override
  public void offset(TopicPartition tp, long offset) {}

  @Override
  public void timeout(long timeoutMs) {}

  @Override
  public Set<TopicPartition> assignment() {
    return Set.of();
  }

  @Override
  public void pause(TopicPartition... partitions) {}

  @Override
  public void resume(TopicPartition... partitions) {}

  @Override
  public void requestCommit() {}

  @Override
  public PluginMetrics pluginMetrics() {
    return pluginMetrics;
  }
}
