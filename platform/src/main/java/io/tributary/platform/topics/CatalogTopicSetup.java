package io.tributary.platform.topics;

import io.tributary.schemas.topics.TopicInstaller;
import io.tributary.schemas.topics.TopicReport;

/** Runs the schemas module's {@link TopicInstaller} for the catalog against one cluster. */
final class CatalogTopicSetup {

  private CatalogTopicSetup() {}

  /**
   * Creates what is missing and compares the rest.
   *
   * @throws org.apache.kafka.common.KafkaException if the cluster cannot be reached or refuses a call
   * @throws IllegalArgumentException if the replication factor exceeds the number of brokers
   */
  static TopicReport ensure(String bootstrapServers, TopicSettings settings) {
    TopicInstaller.Builder builder = TopicInstaller.builder().bootstrapServers(bootstrapServers);
    settings.replicationFactor().ifPresent(builder::replicationFactor);
    try (TopicInstaller installer = builder.build()) {
      return installer.ensure(settings.topics());
    }
  }
}
