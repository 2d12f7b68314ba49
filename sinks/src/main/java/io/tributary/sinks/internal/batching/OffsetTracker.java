package io.tributary.sinks.internal.batching;

import io.tributary.sinks.internal.ErrantRecords;
import io.tributary.sinks.internal.PoisonRecordException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Which offsets are safe to commit: per partition, the offset of the first record not yet
 * complete (delivered, or refused and reported to the dead-letter queue). Records of one
 * partition complete out of order (their items sit in different shards); the committed offset
 * never passes one that is still in flight, so a crash or rebalance redelivers it instead of
 * losing it.
 *
 * <p>Used from the task thread only, except {@link Ticket}s, which the shard threads complete.
 */
public final class OffsetTracker {

  private static final boolean ORIGINAL_COORDINATES_KNOWN = hasOriginalCoordinates();

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private final ConcurrentLinkedQueue<Ticket> rejected = new ConcurrentLinkedQueue<>();
  private final boolean originalCoordinates;
  /** Signalled when a ticket's last part is done while {@link #awaitComplete} waits. */
  private final Object completion = new Object();
  private volatile boolean awaiting;
  private PartitionState lastState;

  /** Tracks records under their own topic, partition and offset. */
  public OffsetTracker() {
    this(false);
  }

  private OffsetTracker(boolean originalCoordinates) {
    this.originalCoordinates = originalCoordinates && ORIGINAL_COORDINATES_KNOWN;
  }

  /**
   * Tracks records under the partition and offset Connect commits: the original ones when a
   * transformation renamed the topic (workers since Kafka 3.6 tell them), else the record's own.
   */
  public static OffsetTracker byOriginalCoordinates() {
    return new OffsetTracker(true);
  }

  /** Tracks {@code record}, which is complete once {@code parts} parts are done. */
  public Ticket track(SinkRecord record, int parts) {
    Ticket ticket = ticket(record);
    track(ticket, parts);
    return ticket;
  }

  /** A ticket for {@code record}, not tracked yet: {@link #track(Ticket, int)} once its parts are counted. */
  public Ticket ticket(SinkRecord record) {
    return new Ticket(record, this);
  }

  /** Tracks the record of {@code ticket}, which is complete once {@code parts} parts are done. */
  public void track(Ticket ticket, int parts) {
    ticket.expect(parts);
    SinkRecord record = ticket.record();
    PartitionState state = state(record);
    // Let go of delivered records as new ones come, not only at commits: a record waiting for the
    // next commit in the queue is kept alive (and copied by every young GC) for nothing.
    state.dropCompleteHead();
    state.inFlight.addLast(ticket);
    state.next = ticket.offset() + 1;
  }

  /** The state of the record's partition; records come in runs of one partition, so the last one is kept at hand. */
  private PartitionState state(SinkRecord record) {
    String topic = originalCoordinates ? record.originalTopic() : record.topic();
    Integer partition = originalCoordinates ? record.originalKafkaPartition() : record.kafkaPartition();
    PartitionState last = lastState;
    if (last != null && last.partition == partition && last.topic.equals(topic)) {
      return last;
    }
    TopicPartition tp = new TopicPartition(topic, partition);
    last = partitions.computeIfAbsent(tp, PartitionState::new);
    lastState = last;
    return last;
  }

  /** The offset {@code record} is tracked under. */
  long offset(SinkRecord record) {
    return originalCoordinates ? record.originalKafkaOffset() : record.kafkaOffset();
  }

  void rejected(Ticket ticket) {
    rejected.add(ticket);
  }

  /** The last part of a ticket is done (on any thread): wakes {@link #awaitComplete} if it waits. */
  void partsDone() {
    // Both sides write then read a volatile (the ticket's count here, awaiting there): either this
    // sees awaiting, or the waiter sees the count; the lock makes the signal wait for the waiter's wait.
    if (awaiting) {
      synchronized (completion) {
        completion.notifyAll();
      }
    }
  }

  /**
   * Sends every record a store refused since the last call to the dead-letter queue, with the
   * store's reason. Throws (failing the task) when the connector has no dead-letter queue.
   */
  public void reportRejected(ErrantRecords errantRecords) {
    Ticket ticket;
    while ((ticket = rejected.peek()) != null) {
      String detail = ticket.rejectionDetail();
      errantRecords.report(ticket.record(), detail == null ? new PoisonRecordException(ticket.rejection())
          : new PoisonRecordException(ticket.rejection(), new DataException(detail)));
      rejected.poll();
      ticket.markReported();
    }
  }

  /**
   * The offsets that may be committed now: for every partition with records, the offset of the
   * first incomplete one, or the next offset after the last record put when all are complete.
   */
  public Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach((tp, state) -> {
      state.dropCompleteHead();
      long offset = state.inFlight.isEmpty() ? state.next : state.inFlight.peekFirst().offset();
      offsets.put(tp, new OffsetAndMetadata(offset));
    });
    return offsets;
  }

  /**
   * A record that needs no delivery (it was reported to the dead-letter queue right away): only
   * moves the partition's next offset.
   */
  public void skip(SinkRecord record) {
    state(record).next = offset(record) + 1;
  }

  /**
   * Waits up to {@code timeout} until every record put so far is complete, reporting refused ones
   * as they come; returns whether all are.
   */
  public boolean awaitComplete(Duration timeout, ErrantRecords errantRecords) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (completion) {
      awaiting = true;
      try {
        while (true) {
          reportRejected(errantRecords);
          if (allComplete()) {
            return true;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(completion, left);
        }
      } finally {
        awaiting = false;
      }
    }
  }

  private boolean allComplete() {
    for (PartitionState state : partitions.values()) {
      state.dropCompleteHead();
      if (!state.inFlight.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Stops tracking partitions this task no longer owns. */
  public void forget(Collection<TopicPartition> revoked) {
    revoked.forEach(partitions::remove);
    lastState = null;
  }

  private static boolean hasOriginalCoordinates() {
    try {
      SinkRecord.class.getMethod("originalKafkaOffset");
      return true;
    } catch (NoSuchMethodException e) {
      return false; // a worker older than Kafka 3.6
    }
  }

  private static final class PartitionState {
    final String topic;
    final int partition;
    final ArrayDeque<Ticket> inFlight = new ArrayDeque<>();
    long next;

    PartitionState(TopicPartition tp) {
      this.topic = tp.topic();
      this.partition = tp.partition();
    }

    void dropCompleteHead() {
      while (!inFlight.isEmpty() && inFlight.peekFirst().isComplete()) {
        inFlight.pollFirst();
      }
    }
  }
}
