package io.tributary.sinks.internal.batching;

import static io.tributary.sinks.internal.batching.ShardedBatcherTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private static final TopicPartition T0 = new TopicPartition("t", 0);

  @Test
  void shouldNeverCommitPastARecordStillInFlight() {
    OffsetTracker tracker = new OffsetTracker();
    Ticket a = tracker.track(record(10), 2);
    Ticket b = tracker.track(record(11), 1);
    Ticket c = tracker.track(record(12), 1);

    c.partDelivered();
    b.partDelivered();
    assertThat(tracker.committable()).containsEntry(T0, new OffsetAndMetadata(10));
    a.partDelivered();
    assertThat(tracker.committable()).containsEntry(T0, new OffsetAndMetadata(10));
    a.partDelivered();
    assertThat(tracker.committable()).containsEntry(T0, new OffsetAndMetadata(13));
  }

  @Test
  void shouldMoveOverSkippedRecordsAndKeepPartitionsApart() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.skip(record(3));
    Ticket other = tracker.track(new SinkRecord("t", 1, null, null, null, new byte[0], 7), 1);
    assertThat(tracker.committable()).containsEntry(T0, new OffsetAndMetadata(4))
        .containsEntry(new TopicPartition("t", 1), new OffsetAndMetadata(7));
    other.partDelivered();
    assertThat(tracker.committable()).containsEntry(new TopicPartition("t", 1), new OffsetAndMetadata(8));
    tracker.forget(java.util.List.of(T0));
    assertThat(tracker.committable()).doesNotContainKey(T0);
  }

  @Test
  void shouldKeepOffsetsOfInterleavedTopicsAndPartitionsApart() {
    OffsetTracker tracker = new OffsetTracker();
    List<Ticket> tickets = new ArrayList<>();
    // Runs of one partition, switching between partitions and topics, as Connect hands them over.
    for (int i = 0; i < 12; i++) {
      String topic = i % 4 < 2 ? "t" : "u";
      tickets.add(tracker.track(new SinkRecord(topic, i % 2, null, null, null, new byte[0], 100 + i), 1));
    }
    tracker.skip(new SinkRecord("u", 0, null, null, null, new byte[0], 200));

    assertThat(tracker.committable()).containsOnly(Map.entry(T0, new OffsetAndMetadata(100)),
        Map.entry(new TopicPartition("t", 1), new OffsetAndMetadata(101)),
        Map.entry(new TopicPartition("u", 0), new OffsetAndMetadata(102)),
        Map.entry(new TopicPartition("u", 1), new OffsetAndMetadata(103)));
    tickets.forEach(Ticket::partDelivered);
    assertThat(tracker.committable()).containsOnly(Map.entry(T0, new OffsetAndMetadata(109)),
        Map.entry(new TopicPartition("t", 1), new OffsetAndMetadata(110)),
        Map.entry(new TopicPartition("u", 0), new OffsetAndMetadata(201)),
        Map.entry(new TopicPartition("u", 1), new OffsetAndMetadata(112)));

    tracker.forget(List.of(new TopicPartition("u", 0)));
    tracker.skip(new SinkRecord("u", 0, null, null, null, new byte[0], 300));
    assertThat(tracker.committable()).containsEntry(new TopicPartition("u", 0), new OffsetAndMetadata(301));
  }

  @Test
  void shouldLetGoOfDeliveredRecordsButKeepRefusedOnesForTheDeadLetterQueue() {
    OffsetTracker tracker = new OffsetTracker();
    Ticket delivered = tracker.track(record(1), 2);
    Ticket refused = tracker.track(record(2), 2);

    delivered.partDelivered();
    assertThat(delivered.record()).as("one part still in flight").isNotNull();
    delivered.partDelivered();
    refused.partRejected("HTTP 400: out of order sample");
    refused.partDelivered();

    assertThat(delivered.record()).isNull();
    assertThat(delivered.offset()).isEqualTo(1);
    assertThat(refused.record()).isNotNull();
    assertThat(refused.record().kafkaOffset()).isEqualTo(2);
    assertThat(tracker.committable()).containsEntry(T0, new OffsetAndMetadata(2));
  }

  @Test
  void shouldFollowGapsInOffsets() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.track(record(3), 1).partDelivered();
    tracker.track(record(9), 1).partDelivered(); // e.g. a transaction marker or compaction in between

    assertThat(tracker.committable()).containsOnly(Map.entry(T0, new OffsetAndMetadata(10)));
  }

  @Test
  void shouldTrackUnderTheOriginalCoordinatesWhenAsked() {
    // A transformation renamed the topic and the record keeps where it was read from.
    SinkRecord renamed = new SinkRecord("renamed", 5, null, null, null, new byte[0], 40, null,
        TimestampType.NO_TIMESTAMP_TYPE, null, "t", 0, 40);

    OffsetTracker original = OffsetTracker.byOriginalCoordinates();
    original.track(renamed, 1).partDelivered();
    OffsetTracker own = new OffsetTracker();
    own.track(renamed, 1).partDelivered();

    assertThat(original.committable()).containsOnly(Map.entry(T0, new OffsetAndMetadata(41)));
    assertThat(own.committable()).containsOnly(Map.entry(new TopicPartition("renamed", 5), new OffsetAndMetadata(41)));
  }

  @Test
  void shouldWaitUntilTheLastRecordIsCompleteOrTheTimeout() throws Exception {
    OffsetTracker tracker = new OffsetTracker();
    Ticket early = tracker.track(record(1), 1);
    Ticket late = tracker.track(record(2), 2);
    early.partDelivered();
    late.partDelivered();

    // No refused records: the dead-letter queue is never used.
    assertThat(tracker.awaitComplete(Duration.ofMillis(50), null)).as("one part still in flight").isFalse();

    CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
      try {
        return tracker.awaitComplete(Duration.ofSeconds(60), null);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await("waiting while a part is in flight").during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5))
        .until(() -> !waited.isDone());
    late.partDelivered();
    // Far below the wait's timeout: the completing part wakes it.
    assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(tracker.committable()).containsOnly(Map.entry(T0, new OffsetAndMetadata(3)));
  }
}
