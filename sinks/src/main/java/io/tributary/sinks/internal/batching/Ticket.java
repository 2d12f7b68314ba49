package io.tributary.sinks.internal.batching;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One record on its way to the store, split into parts (samples, spans). It is complete when every
 * part was delivered or refused; a refused part makes the whole record go to the dead-letter queue
 * (once), with the store's reason. Parts complete on the shard threads; reporting happens on the
 * task thread ({@link OffsetTracker}). One lives per record in flight, so its counters are fields
 * updated through var handles rather than atomic objects of their own, and a delivered ticket lets
 * go of its record: tickets wait for the commit behind the oldest record still in flight, and
 * holding their records (Connect's objects, the bytes) made every young collection copy them.
 */
public final class Ticket {

  private static final VarHandle REMAINING;
  private static final VarHandle REJECTION;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      REMAINING = lookup.findVarHandle(Ticket.class, "remaining", int.class);
      REJECTION = lookup.findVarHandle(Ticket.class, "rejection", String.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile SinkRecord record;
  private final long offset;
  private final OffsetTracker tracker;
  @SuppressWarnings("unused") // through REMAINING
  private volatile int remaining;
  @SuppressWarnings("unused") // through REJECTION
  private volatile String rejection;
  private volatile String rejectionDetail;
  private volatile boolean reported;

  /** A ticket for {@code record} whose parts are counted with {@link #expect} before any is sent. */
  Ticket(SinkRecord record, OffsetTracker tracker) {
    this.record = record;
    this.offset = tracker.offset(record);
    this.tracker = tracker;
  }

  Ticket(SinkRecord record, int parts, OffsetTracker tracker) {
    this(record, tracker);
    expect(parts);
  }

  /** Sets how many parts the record has; called before the parts are handed to the shards. */
  void expect(int parts) {
    remaining = parts;
  }

  /** The record, until it is delivered (a refused record keeps it for the dead-letter queue). */
  public SinkRecord record() {
    return record;
  }

  /** The record's offset (the one it is tracked and committed under). */
  public long offset() {
    return offset;
  }

  /** One part was delivered. */
  public void partDelivered() {
    // A rejection is set before its part counts down, so the last part sees it.
    if ((int) REMAINING.getAndAdd(this, -1) == 1) {
      if (rejection == null) {
        record = null;
      }
      tracker.partsDone();
    }
  }

  /** One part was refused by the store for {@code reason}; the first reason is the one reported. */
  public void partRejected(String reason) {
    partRejected(reason, null);
  }

  /**
   * One part was refused for {@code reason}; {@code detail} (may be null) goes with the record to
   * the dead-letter topic as the reason's cause (it may quote the record's content, so it is not logged).
   */
  public void partRejected(String reason, String detail) {
    if (detail != null && rejection == null) {
      rejectionDetail = detail;
    }
    if (REJECTION.compareAndSet(this, (String) null, reason)) {
      tracker.rejected(this);
    }
    if ((int) REMAINING.getAndAdd(this, -1) == 1) {
      tracker.partsDone();
    }
  }

  /** The store's reason if a part was refused. */
  public String rejection() {
    return rejection;
  }

  /** The store's detail on the refusal, if it gave one. */
  public String rejectionDetail() {
    return rejectionDetail;
  }

  boolean isComplete() {
    return remaining <= 0 && (rejection == null || reported);
  }

  void markReported() {
    reported = true;
  }
}
