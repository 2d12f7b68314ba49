package io.tributary.platform.topics;

import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.util.List;
import java.util.OptionalInt;

/**
 * How the catalog's topics are created on one cluster.
 *
 * @param replicationFactor replicas per partition of new topics, or empty for min(3, brokers)
 * @param partitions a partition count replacing the catalog's for every topic (small clusters), or empty
 */
public record TopicSettings(OptionalInt replicationFactor, OptionalInt partitions) {

  /** The catalog as it is, replicated min(3, brokers) times (one replica in {@code tributary dev}). */
  public static final TopicSettings DEFAULT = new TopicSettings(OptionalInt.empty(), OptionalInt.empty());

  public TopicSettings {
    if (replicationFactor.isPresent() && replicationFactor.getAsInt() < 1) {
      throw new IllegalArgumentException("replicationFactor: " + replicationFactor.getAsInt() + " (expected: >= 1)");
    }
    if (partitions.isPresent() && partitions.getAsInt() < 1) {
      throw new IllegalArgumentException("partitions: " + partitions.getAsInt() + " (expected: >= 1)");
    }
  }

  /** The catalog as this cluster should have it. */
  public List<TopicSpec> topics() {
    return TopicCatalog.ALL.stream()
        .map(t -> partitions.isPresent() ? t.withPartitions(partitions.getAsInt()) : t)
        .toList();
  }
}
