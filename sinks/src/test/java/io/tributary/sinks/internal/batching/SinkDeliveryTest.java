package io.tributary.sinks.internal.batching;

import static io.tributary.sinks.internal.batching.ShardedBatcherTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.sinks.ReportingTaskContext;
import io.tributary.sinks.internal.Backoff;
import io.tributary.sinks.internal.ErrantRecords;
import io.tributary.sinks.internal.PoisonRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What a put queues, what goes to the dead-letter queue, and which offsets a commit may take. */
class SinkDeliveryTest {

  private static final TopicPartition T0 = new TopicPartition("t", 0);
  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));

  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<String> deadLetters = new CopyOnWriteArrayList<>();

  @Test
  void shouldSendNoPartOfARecordThatFailsHalfwayAndDeadLetterIt() {
    try (SinkDelivery<String> delivery = delivery((key, batch) -> {
      sent.addAll(batch);
      return SendOutcome.DELIVERED;
    })) {
      delivery.put(List.of(record(0), record(1), record(2)), (record, parts) -> {
        long offset = record.kafkaOffset();
        parts.add(offset + "a", (int) offset, "");
        if (offset == 1) {
          throw new PoisonRecordException("record 1 is broken after its first part");
        }
        parts.add(offset + "b", (int) offset, "");
      });

      await("delivered").atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 4);
      assertThat(sent).containsExactlyInAnyOrder("0a", "0b", "2a", "2b");
      assertThat(delivery.preCommit(Map.of(T0, new OffsetAndMetadata(3)))).containsEntry(T0, new OffsetAndMetadata(3));
      assertThat(deadLetters).containsExactly("1 record 1 is broken after its first part");
    }
  }

  @Test
  void shouldCommitPastRefusedBestEffortPartsButNotPastUndeliveredRequiredOnes() {
    try (SinkDelivery<String> delivery = delivery((key, batch) ->
        batch.stream().anyMatch(p -> p.startsWith("info")) ? new SendOutcome.Reject("HTTP 400: too old")
            : SendOutcome.DELIVERED)) {
      delivery.put(List.of(record(0), record(1)), (record, parts) -> {
        parts.addBestEffort("info" + record.kafkaOffset(), 0, "");
        if (record.kafkaOffset() == 0) {
          parts.add("sample0", 0, "");
        }
      });

      await("committable").atMost(Duration.ofSeconds(10))
          .until(() -> delivery.preCommit(Map.of(T0, new OffsetAndMetadata(2))).get(T0), new OffsetAndMetadata(2)::equals);
      assertThat(deadLetters).isEmpty();
      assertThat(delivery.counters().bestEffortRejected()).isEqualTo(2);
      assertThat(delivery.counters().delivered()).isEqualTo(1);
    }
  }

  private SinkDelivery<String> delivery(BatchSender<String> sender) {
    ShardedBatcher<String> batcher = ShardedBatcher.builder("test", sender).shards(2).batchMaxItems(10)
        .batchMaxAge(Duration.ofMillis(5)).backoff(FAST).build();
    ReportingTaskContext context = new ReportingTaskContext(deadLetters);
    return new SinkDelivery<>("test", batcher, new ErrantRecords(context, "test"), context, Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofMillis(10));
  }
}
