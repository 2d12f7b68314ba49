package io.tributary.sinks.internal.batching;

import static io.tributary.sinks.internal.batching.ShardedBatcherTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
}
