package io.tributary.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Waits until a consumer group (a Streams application) has committed the end of a topic. */
final class ConsumedOffsets {

  /** Blocks until {@code group} committed every partition of {@code topic} to its end; returns the nanoTime then. */
  static long awaitCaughtUp(Admin admin, String group, String topic, Duration timeout) throws Exception {
    Map<TopicPartition, Long> end = endOffsets(admin, topic);
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

  /** How many records {@code topic} holds (its partitions' end offsets, summed; nothing is ever deleted here). */
  static long records(Admin admin, String topic) throws Exception {
    return endOffsets(admin, topic).values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> end = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
    return end;
  }

  /**
   * Blocks until {@code group} committed at least {@code records} records of {@code topic} (summed
   * over its partitions, counted from offset 0); returns how many it had committed then.
   */
  static long awaitCommitted(Admin admin, String group, String topic, long records, Duration timeout) {
    return poll(timeout).alias(group + " committing " + records + " records of " + topic)
        .until(() -> committed(admin, group, topic), committed -> committed >= records);
  }

  private static long committed(Admin admin, String group, String topic) throws Exception {
    long committed = 0;
    for (var e : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
        .entrySet()) {
      if (e.getKey().topic().equals(topic) && e.getValue() != null) {
        committed += e.getValue().offset();
      }
    }
    return committed;
  }

  /**
   * Blocks until {@code group} is stable with all {@code partitions} of its topic assigned, over
   * {@code members} members that each hold some: a task that joins late moves partitions (and stalls
   * them) while the clock runs.
   */
  static void awaitAssigned(Admin admin, String group, int partitions, int members, Duration timeout) {
    poll(timeout).alias(group + " getting its " + partitions + " partitions over " + members + " members")
        .until(() -> describe(admin, group), d -> d.groupState() == GroupState.STABLE
            && d.members().size() == members
            && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())
            && d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum() == partitions);
  }

  /** Blocks until {@code group} has no members (its consumers closed). */
  static void awaitNoMembers(Admin admin, String group, Duration timeout) {
    poll(timeout).alias(group + " emptying after its connector was deleted")
        .until(() -> describe(admin, group).members().isEmpty());
  }

  private static ConsumerGroupDescription describe(Admin admin, String group) throws Exception {
    return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
  }

  /** Checks the broker's group state every 20 ms, a small part of the shortest timed phase. */
  private static ConditionFactory poll(Duration timeout) {
    return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20));
  }

  private ConsumedOffsets() {}
}
