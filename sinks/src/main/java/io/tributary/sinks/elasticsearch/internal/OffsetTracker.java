package io.tributary.sinks.elasticsearch.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: per partition, the offset after the longest run of records, in
 * the order they were received, that are done (acknowledged by Elasticsearch or reported to the
 * dead-letter queue). A record still in flight holds back the commit of every record after it, so
 * a crash can only cause re-delivery (harmless with deterministic ids), never loss.
 *
 * <p>{@link #track}, {@link #committable} and the partition methods run on the task thread;
 * {@link Entry#done()} may be called from any thread.
 */
public final class OffsetTracker {

  /** One record's place in its partition. */
  public static final class Entry {
    private final long offset;
    private volatile boolean done;

    Entry(long offset) {
      this.offset = offset;
    }

    public void done() {
      done = true;
    }

    public boolean isDone() {
      return done;
    }
  }

  private final Map<TopicPartition, ArrayDeque<Entry>> pending = new HashMap<>();
  private final Map<TopicPartition, Long> committable = new HashMap<>();

  /** Starts tracking a record just received. */
  public Entry track(TopicPartition tp, long offset) {
    Entry e = new Entry(offset);
    pending.computeIfAbsent(tp, k -> new ArrayDeque<>()).add(e);
    return e;
  }

  /** Offsets safe to commit now (only partitions that advanced since they were opened). */
  public Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (Map.Entry<TopicPartition, ArrayDeque<Entry>> p : pending.entrySet()) {
      ArrayDeque<Entry> q = p.getValue();
      while (!q.isEmpty() && q.peekFirst().isDone()) {
        committable.put(p.getKey(), q.pollFirst().offset + 1);
      }
    }
    committable.forEach((tp, offset) -> out.put(tp, new OffsetAndMetadata(offset)));
    return out;
  }

  /** Records received but not yet done, over all partitions. */
  public int inFlight() {
    int n = 0;
    for (ArrayDeque<Entry> q : pending.values()) {
      for (Entry e : q) {
        if (!e.isDone()) {
          n++;
        }
      }
    }
    return n;
  }

  /** Forgets partitions this task no longer owns (their uncommitted records go to the new owner). */
  public void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      pending.remove(tp);
      committable.remove(tp);
    }
  }
}
