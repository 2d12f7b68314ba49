package io.tributary.k8smetadata;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The keys of a compacted topic whose latest record is a value, read once from the beginning (no consumer group). */
final class TopicKeys {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private TopicKeys() {}

  /**
   * @param clientOverrides the role's Kafka client settings (security.protocol, sasl.*...); producer-only
   *     ones are ignored by the consumer
   */
  static Set<String> present(String bootstrapServers, String topic, Map<String, String> clientOverrides) {
    Map<String, Object> config = new HashMap<>(clientOverrides);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-k8s-metadata-reader");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      Set<String> keys = new HashSet<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Reading topic " + topic + " to its end " + end + " took over " + TIMEOUT
              + ": is the broker reachable, and may this role read the topic?");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() == null) {
            continue; // not written by k8s-metadata; nothing to remove
          }
          if (record.value() == null) {
            keys.remove(record.key());
          } else {
            keys.add(record.key());
          }
        }
      }
      return keys;
    }
  }
}
