package io.tributary.schemas.topics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One topic of the catalog: its name, how many partitions, how long it keeps data, whether it is
 * compacted, and what its records are keyed by.
 *
 * @param name the Kafka topic name
 * @param partitions the partition count; processors scale up to this many instances
 * @param retention how long records are kept ({@code null} for compacted topics that keep the latest value forever)
 * @param compacted whether the topic is log-compacted (reference data, state)
 * @param key what the record key is, in words, for operators and docs
 * @param value what the record value is, in words
 */
public record TopicSpec(
    String name, int partitions, Duration retention, boolean compacted, String key, String value) {

  public TopicSpec {
    requireNonNull(name, "name");
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank topic name)");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions: " + partitions + " (expected: >= 1)");
    }
    if (!compacted && retention == null) {
      throw new IllegalArgumentException(name + ": retention is required for a non-compacted topic");
    }
  }

  /** The topic-level configs Tributary sets on this topic (cleanup.policy, retention.ms, ...). */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", compacted ? "compact" : "delete");
    if (retention != null) {
      configs.put("retention.ms", Long.toString(retention.toMillis()));
    }
    // Gateway requests can be large (many spans of one trace in one record).
    configs.put("max.message.bytes", Integer.toString(TopicCatalog.MAX_MESSAGE_BYTES));
    return configs;
  }

  /** The same topic with another partition count (tests, small dev setups). */
  public TopicSpec withPartitions(int newPartitions) {
    return new TopicSpec(name, newPartitions, retention, compacted, key, value);
  }
}
