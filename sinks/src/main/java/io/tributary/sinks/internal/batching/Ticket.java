package io.tributary.sinks.internal.batching;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One record on its way to the store, split into {@code parts} items (samples, spans). It is
 * complete when every part was delivered or refused; a refused part makes the whole record go to
 * the dead-letter queue (once), with the store's reason. Parts complete on the shard threads;
 * reporting happens on the task thread ({@link OffsetTracker}).
 */
public final class Ticket {

  private final SinkRecord record;
  private final AtomicInteger remaining;
  private final AtomicReference<String> rejection = new AtomicReference<>();
  private final OffsetTracker tracker;
  private volatile boolean reported;

  Ticket(SinkRecord record, int parts, OffsetTracker tracker) {
    this.record = record;
    this.remaining = new AtomicInteger(parts);
    this.tracker = tracker;
  }

  public SinkRecord record() {
    return record;
  }

  /** One part was delivered. */
  public void partDelivered() {
    remaining.decrementAndGet();
  }

  /** One part was refused by the store for {@code reason}; the first reason is the one reported. */
  public void partRejected(String reason) {
    if (rejection.compareAndSet(null, reason)) {
      tracker.rejected(this);
    }
    remaining.decrementAndGet();
  }

  /** The store's reason if a part was refused. */
  public String rejection() {
    return rejection.get();
  }

  boolean isComplete() {
    return remaining.get() <= 0 && (rejection.get() == null || reported);
  }

  void markReported() {
    reported = true;
  }
}
