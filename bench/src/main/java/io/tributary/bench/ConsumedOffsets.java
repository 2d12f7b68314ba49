package io.tributary.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Waits until a consumer group (a Streams application) has committed the end of a topic. */
final class ConsumedOffsets {

  /** Blocks until {@code group} committed every partition of {@code topic} to its end; returns the nanoTime then. */
  static long awaitCaughtUp(Admin admin, String group, String topic, Duration timeout) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> end = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastReport = 0;
    while (System.nanoTime() < deadline) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      long behind = 0;
      for (var e : end.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        behind += e.getValue() - (c == null ? 0 : c.offset());
      }
      if (behind <= 0) {
        return System.nanoTime();
      }
      if (System.nanoTime() - lastReport > 2_000_000_000L) {
        System.err.printf("  %s: %,d records to go%n", group, behind);
        lastReport = System.nanoTime();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(group + " did not catch up with " + topic + " within " + timeout);
  }

  private ConsumedOffsets() {}
}
