package io.tributary.sinks.internal.batching;

import static java.util.Objects.requireNonNull;

import io.tributary.sinks.internal.ErrantRecords;
import io.tributary.sinks.internal.PoisonRecordException;
import io.tributary.sinks.internal.RecordDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task side of a batching sink: what {@code put}, {@code preCommit}, {@code close} and
 * {@code stop} do, shared by the sinks that write through a {@link ShardedBatcher}.
 *
 * <ul>
 *   <li>{@code put} converts each record to parts and queues them; an unconvertible record goes to
 *       the dead-letter queue at once. Before taking records it refuses them with a
 *       {@link RetriableException} (Connect redelivers the same records later; nothing is taken
 *       twice) while the store has been failing for longer than the retry timeout or the buffer
 *       stays full.
 *   <li>{@code preCommit} sends partial batches at once, waits briefly for what is in flight, reports refused records and returns
 *       only offsets below which everything is delivered or dead-lettered.
 * </ul>
 *
 * @param <T> the item type
 */
public final class SinkDelivery<T> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SinkDelivery.class);
  /** Items are queued in chunks: one lock per shard per chunk, and shards start on a put before it ends. */
  private static final int SUBMIT_CHUNK = 500;

  /**
   * Where a converter puts the parts of one record, in the order they must be written: payloads
   * for the batcher, with the hash that picks their shard and their request key (tenant).
   */
  public interface Parts<T> {
    /** A part that must be delivered (or dead-lettered with the record) before the record's offset is committed. */
    void add(T payload, int shardHash, String requestKey);

    /** A part whose refusal is only counted: it never holds the record back. */
    void addBestEffort(T payload, int shardHash, String requestKey);
  }

  /**
   * Turns a record into parts; throws {@link PoisonRecordException} for a record that cannot be
   * written, a {@link ConnectException} to fail the task.
   */
  @FunctionalInterface
  public interface Converter<T> {
    void convert(SinkRecord record, Parts<T> parts);
  }

  private final String connectorName;
  private final ShardedBatcher<T> batcher;
  private final ErrantRecords errantRecords;
  private final SinkTaskContext context;
  private final Duration retryTimeout;
  private final Duration flushTimeout;
  private final Duration redeliveryBackoff;
  private final OffsetTracker tracker;
  private RuntimeException pendingFailure;

  public SinkDelivery(String connectorName, ShardedBatcher<T> batcher, ErrantRecords errantRecords,
      SinkTaskContext context, Duration retryTimeout, Duration flushTimeout, Duration redeliveryBackoff) {
    this(connectorName, batcher, errantRecords, context, retryTimeout, flushTimeout, redeliveryBackoff,
        new OffsetTracker());
  }

  /** {@code tracker}: how records are tracked (e.g. {@link OffsetTracker#byOriginalCoordinates()}). */
  public SinkDelivery(String connectorName, ShardedBatcher<T> batcher, ErrantRecords errantRecords,
      SinkTaskContext context, Duration retryTimeout, Duration flushTimeout, Duration redeliveryBackoff,
      OffsetTracker tracker) {
    this.tracker = requireNonNull(tracker, "tracker");
    this.connectorName = requireNonNull(connectorName, "connectorName");
    this.batcher = requireNonNull(batcher, "batcher");
    this.errantRecords = requireNonNull(errantRecords, "errantRecords");
    this.context = context;
    this.retryTimeout = requireNonNull(retryTimeout, "retryTimeout");
    this.flushTimeout = requireNonNull(flushTimeout, "flushTimeout");
    this.redeliveryBackoff = requireNonNull(redeliveryBackoff, "redeliveryBackoff");
  }

  public void put(Collection<SinkRecord> records, Converter<T> converter) {
    failIfBroken();
    tracker.reportRejected(errantRecords);
    if (records.isEmpty()) {
      return;
    }
    Optional<String> stalled = batcher.stalled(retryTimeout);
    if (stalled.isPresent()) {
      refuse("the store has not taken writes for longer than the retry timeout (" + retryTimeout.toMillis()
          + " ms): " + stalled.get());
    }
    try {
      // Room for the whole put (one item per record; a record of several items may go beyond): waiting only for
      // "below the limit" let a put of max.poll.records overshoot it by that many (slow-store drill: 1,400 of 1,000).
      if (!batcher.awaitCapacity(records.size(), retryTimeout)) {
        failIfBroken();
        refuse("the buffer stayed full (" + batcher.buffered() + " items) for the retry timeout ("
            + retryTimeout.toMillis() + " ms)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException(connectorName + ": interrupted while waiting for buffer space", e);
    }
    RecordParts parts = new RecordParts();
    try {
      for (SinkRecord record : records) {
        parts.start(tracker.ticket(record));
        try {
          converter.convert(record, parts);
        } catch (PoisonRecordException e) {
          parts.dropRecord();
          errantRecords.report(record, e);
          tracker.skip(record);
          continue;
        } catch (ConnectException e) {
          // A converter that throws this on purpose says the task cannot go on (e.g. a topic it has no mapping for).
          throw e;
        } catch (RuntimeException e) {
          // A conversion bug must not stop the sink: the record goes to the dead-letter queue with the reason.
          parts.dropRecord();
          log.warn("{}: cannot convert {}", connectorName, RecordDecoder.where(record), e);
          errantRecords.report(record, new PoisonRecordException(RecordDecoder.where(record)
              + ": cannot be converted: " + e, e));
          tracker.skip(record);
          continue;
        }
        if (parts.required > 0) {
          tracker.track(parts.ticket, parts.required);
        } else {
          tracker.skip(record);
        }
        parts.recordDone();
        if (parts.items.size() >= SUBMIT_CHUNK) {
          parts.submit();
        }
      }
    } finally {
      // What was converted is queued even if a later record fails the task (its ticket is tracked); the parts
      // of a record whose conversion did not end are not.
      if (parts.converting) {
        parts.dropRecord();
      }
      parts.submit();
    }
  }

  /** The parts of the records of one put, queued in chunks; the current record's since {@link #start}. */
  private final class RecordParts implements Parts<T> {
    final List<ShardedBatcher.Item<T>> items = new ArrayList<>(SUBMIT_CHUNK + 16);
    long queuedNanos = System.nanoTime();
    Ticket ticket;
    int recordStart;
    int required;
    boolean converting;

    void start(Ticket recordTicket) {
      this.ticket = recordTicket;
      this.recordStart = items.size();
      this.required = 0;
      this.converting = true;
    }

    void recordDone() {
      converting = false;
    }

    @Override
    public void add(T payload, int shardHash, String requestKey) {
      items.add(new ShardedBatcher.Item<>(payload, shardHash, requestKey, ticket, queuedNanos));
      required++;
    }

    @Override
    public void addBestEffort(T payload, int shardHash, String requestKey) {
      items.add(new ShardedBatcher.Item<>(payload, shardHash, requestKey, null, queuedNanos));
    }

    /** The current record failed to convert: none of its parts are sent. */
    void dropRecord() {
      items.subList(recordStart, items.size()).clear();
      required = 0;
      converting = false;
    }

    void submit() {
      batcher.submitAll(items);
      items.clear();
      queuedNanos = System.nanoTime();
    }
  }

  /** The offsets safe to commit among {@code currentOffsets}' partitions. */
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    try {
      if (flushTimeout.isPositive()) {
        batcher.flush();
      }
      tracker.awaitComplete(flushTimeout, errantRecords);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ConnectException e) {
      // Connect only logs a preCommit failure (and rewinds); keep the error for the next put, which fails the task.
      pendingFailure = e;
    }
    errantRecords.awaitReported();
    Map<TopicPartition, OffsetAndMetadata> committable = tracker.committable();
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    for (TopicPartition tp : currentOffsets.keySet()) {
      OffsetAndMetadata offset = committable.get(tp);
      if (offset != null) {
        result.put(tp, offset);
      }
    }
    return result;
  }

  /** Partitions taken away from this task: stop tracking them. */
  public void close(Collection<TopicPartition> partitions) {
    tracker.forget(partitions);
  }

  @Override
  public void close() {
    batcher.close();
    ShardedBatcher.Counters c = batcher.counters();
    log.info("{}: stopped; {} items delivered in {} requests ({} failed; {} retries of {} items), {} refused by the "
            + "store, {} best-effort items refused, {} warnings; {} records dead-lettered", connectorName, c.delivered(),
        c.requests(), c.failedRequests(), c.retries(), c.itemRetries(), c.rejected(), c.bestEffortRejected(),
        c.warnings(), errantRecords.reported());
  }

  public ShardedBatcher.Counters counters() {
    return batcher.counters();
  }

  /** Records sent to the dead-letter queue (or dropped by Connect without one) since the task started. */
  public long recordsFailed() {
    return errantRecords.reported();
  }

  private void failIfBroken() {
    if (pendingFailure != null) {
      throw pendingFailure;
    }
    Optional<String> fatal = batcher.fatal();
    if (fatal.isPresent()) {
      throw new ConnectException(connectorName + ": " + fatal.get());
    }
  }

  private void refuse(String reason) {
    if (context != null) {
      context.timeout(redeliveryBackoff.toMillis());
    }
    throw new RetriableException(connectorName + ": " + reason + "; Connect redelivers these records later, "
        + "no offset is committed past undelivered ones");
  }
}
