package io.tributary.sinks.elasticsearch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private static final TopicPartition P0 = new TopicPartition("telemetry.spans", 0);
  private static final TopicPartition P1 = new TopicPartition("telemetry.spans", 1);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void shouldCommitOnlyUpToTheFirstRecordNotDone() {
    OffsetTracker.Entry a = tracker.track(P0, 10);
    OffsetTracker.Entry b = tracker.track(P0, 11);
    OffsetTracker.Entry c = tracker.track(P0, 12);

    assertThat(tracker.committable()).isEmpty();
    c.done();
    assertThat(tracker.committable()).isEmpty();
    a.done();
    assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(11)));
    b.done();
    assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void shouldTrackPartitionsApartAndForgetRevokedOnes() {
    tracker.track(P0, 5).done();
    OffsetTracker.Entry pending = tracker.track(P1, 7);
    tracker.track(P1, 8).done();

    assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(6)));
    assertThat(tracker.inFlight()).isEqualTo(1);

    tracker.forget(List.of(P0));
    pending.done();

    assertThat(tracker.committable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(9)));
  }

  @Test
  void shouldFollowGapsInOffsets() {
    tracker.track(P0, 3).done();
    tracker.track(P0, 9).done(); // e.g. a transaction marker or compaction in between

    assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));
  }
}
