package io.tributary.sinks.internal.batching;

import static java.util.Objects.requireNonNull;

import io.tributary.sinks.internal.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers items through {@code shards} threads. An item's shard comes from its key hash, so the
 * items of one key (a series) are sent in the order they were submitted; or, for items with no order
 * to keep ({@link Builder#unordered}), every shard takes the next batch from one queue when it is free,
 * as a pool of requests in flight. Each shard batches by
 * count and age, sends one request per request key (tenant) of the batch, retries transient
 * failures with capped backoff without limit (the task stops feeding it once it has been failing
 * longer than the retry timeout, see {@link #stalled}), and bisects a batch the store refuses for
 * its content until the refused items are alone: those are rejected on their tickets, every other
 * item is delivered.
 *
 * @param <T> the item type
 */
public final class ShardedBatcher<T> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ShardedBatcher.class);

  /**
   * One item: its payload, the hash that picks its shard, the request key (tenant) it is sent
   * under, the ticket of its record ({@code null} for best-effort items whose refusal is only
   * counted, e.g. {@code target_info}), and when it was queued ({@link System#nanoTime}; a batch
   * waits at most the batch age after its first item's).
   */
  public record Item<T>(T payload, int shardHash, String requestKey, Ticket ticket, long queuedNanos) {
    public Item {
      requireNonNull(payload, "payload");
      requireNonNull(requestKey, "requestKey");
    }

    /** An item queued now. */
    public Item(T payload, int shardHash, String requestKey, Ticket ticket) {
      this(payload, shardHash, requestKey, ticket, System.nanoTime());
    }
  }

  private final String name;
  private final BatchSender<T> sender;
  private final Backoff backoff;
  private final int batchMaxItems;
  private final long batchMaxAgeNanos;
  private final long batchMaxBytes;
  private final ToLongFunction<T> itemBytes;
  private final long bufferMaxItems;
  private final List<Shard> shards;
  /** The one queue of an unordered batcher, which every shard drains; null when items are sharded by key. */
  private final ShardQueue<Item<T>> commonQueue;
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicLong bufferedPeak = new AtomicLong();
  private final Object capacity = new Object();
  private final AtomicReference<String> fatal = new AtomicReference<>();
  private volatile boolean closed;
  /** Items queued at or before this {@link System#nanoTime} go out without waiting for their batch to fill. */
  private volatile long flushBefore;
  private volatile boolean flushed;

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failedRequests = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong itemRetries = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong bestEffortRejected = new AtomicLong();
  private final AtomicLong warnings = new AtomicLong();

  private ShardedBatcher(Builder<T> b) {
    this.name = b.name;
    this.sender = requireNonNull(b.sender, "sender");
    this.backoff = requireNonNull(b.backoff, "backoff");
    this.batchMaxItems = b.batchMaxItems;
    this.batchMaxAgeNanos = b.batchMaxAge.toNanos();
    this.batchMaxBytes = b.batchMaxBytes;
    this.itemBytes = b.itemBytes;
    this.bufferMaxItems = b.bufferMaxItems;
    this.commonQueue = b.unordered ? new ShardQueue<>() : null;
    List<Shard> s = new ArrayList<>(b.shards);
    for (int i = 0; i < b.shards; i++) {
      s.add(new Shard(i));
    }
    this.shards = List.copyOf(s);
    shards.forEach(Shard::start);
  }

  public static <T> Builder<T> builder(String name, BatchSender<T> sender) {
    return new Builder<>(name, sender);
  }

  /** Queues {@code item} on its shard. Never blocks: call {@link #awaitCapacity} before a put. */
  public void submit(Item<T> item) {
    bufferedPeak.accumulateAndGet(buffered.incrementAndGet(), Math::max);
    if (commonQueue != null) {
      commonQueue.add(item);
      return;
    }
    shards.get(Math.floorMod(item.shardHash(), shards.size())).queue.add(item);
  }

  /**
   * Queues {@code items} on their shards, in order; like {@link #submit} for each, but each shard's
   * queue is locked (and its thread woken) once for all of them.
   */
  public void submitAll(List<Item<T>> items) {
    if (items.isEmpty()) {
      return;
    }
    bufferedPeak.accumulateAndGet(buffered.addAndGet(items.size()), Math::max);
    if (commonQueue != null) {
      commonQueue.addAll(items);
      return;
    }
    int n = shards.size();
    List<List<Item<T>>> byShard = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byShard.add(new ArrayList<>(items.size() / n + items.size() / 4 + 1));
    }
    for (Item<T> item : items) {
      byShard.get(Math.floorMod(item.shardHash(), n)).add(item);
    }
    for (int i = 0; i < n; i++) {
      shards.get(i).queue.addAll(byShard.get(i));
    }
  }

  /**
   * Waits up to {@code timeout} until {@code items} more fit in the buffer limit, or nothing is buffered
   * (so a put larger than the buffer still goes through alone); returns whether they fit.
   */
  public boolean awaitCapacity(long items, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (capacity) {
      for (long held; (held = buffered.get()) > 0 && held + items > bufferMaxItems; ) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || fatal.get() != null) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(capacity, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
      return true;
    }
  }

  /**
   * Sends what is queued now without waiting for batches to fill (their age limit): an offset commit
   * that waits for the items in flight would otherwise also wait for the last, partial batch's age.
   */
  public void flush() {
    flushBefore = System.nanoTime();
    flushed = true;
    if (commonQueue != null) {
      commonQueue.wake();
    } else {
      shards.forEach(shard -> shard.queue.wake());
    }
  }

  /**
   * Why the batcher is stuck, if a shard has been retrying one batch for at least {@code timeout}
   * (the store is down or overloaded).
   */
  public Optional<String> stalled(Duration timeout) {
    long now = System.nanoTime();
    for (Shard shard : shards) {
      long since = shard.failingSince;
      if (since != 0 && now - since >= timeout.toNanos()) {
        return Optional.of("shard " + shard.index + " has been retrying for "
            + Duration.ofNanos(now - since).toSeconds() + " s: " + shard.lastFailure);
      }
    }
    return Optional.empty();
  }

  /** The reason no further batch can be delivered (wrong URL, refused credentials), if any. */
  public Optional<String> fatal() {
    return Optional.ofNullable(fatal.get());
  }

  /** Items queued or being sent. */
  public long buffered() {
    return buffered.get();
  }

  /** The most items queued or being sent at once since the batcher started. */
  public long bufferedPeak() {
    return bufferedPeak.get();
  }

  public Counters counters() {
    return new Counters(requests.get(), failedRequests.get(), retries.get(), itemRetries.get(), delivered.get(),
        rejected.get(), bestEffortRejected.get(), warnings.get());
  }

  /**
   * Stops the shard threads and closes the sender (ending requests in flight, which a store that
   * does not answer would otherwise hold for the request timeout); items still queued are abandoned
   * (their offsets were never committed).
   */
  @Override
  public void close() {
    closed = true;
    shards.forEach(s -> s.thread.interrupt());
    try {
      sender.close();
    } catch (RuntimeException e) {
      log.warn("{}: closing the sender failed", name, e);
    }
    for (Shard s : shards) {
      try {
        s.thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Totals since start, for logs and metrics: {@code requests} sent, of which {@code failedRequests} the
   * store did not take as a whole (retry, reject, fatal, no answer); {@code retries} waits before sending
   * again, {@code itemRetries} the items they were for; items {@code delivered}, {@code rejected} (their
   * records dead-lettered) and {@code bestEffortRejected} (only counted); answers with {@code warnings}.
   */
  public record Counters(long requests, long failedRequests, long retries, long itemRetries, long delivered,
      long rejected, long bestEffortRejected, long warnings) {}

  /** Thrown inside a shard thread to unwind when the batcher closes or hits a fatal error. */
  private static final class Halt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Halt() {
      super(null, null, false, false);
    }
  }

  private final class Shard implements Runnable {
    final int index;
    final ShardQueue<Item<T>> queue;
    final Thread thread;
    volatile long failingSince;
    volatile String lastFailure = "";

    Shard(int index) {
      this.index = index;
      this.queue = commonQueue != null ? commonQueue : new ShardQueue<>();
      this.thread = new Thread(this, name + "-shard-" + index);
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    @Override
    public void run() {
      List<Item<T>> batch = new ArrayList<>(batchMaxItems);
      try {
        while (!closed) {
          // On a common queue one shard at a time fills its batch, so free shards do not split the
          // items into small requests between them.
          queue.assembly.lockInterruptibly();
          try {
            fill(batch);
          } finally {
            queue.assembly.unlock();
          }
          if (batch.isEmpty()) {
            continue;
          }
          deliver(batch);
          int n = batch.size();
          batch.clear();
          buffered.addAndGet(-n);
          synchronized (capacity) {
            capacity.notifyAll();
          }
        }
      } catch (InterruptedException | Halt e) {
        // closing, or a fatal error: what is left stays undelivered and uncommitted
      } catch (RuntimeException e) {
        fatal.compareAndSet(null, name + ": shard " + index + " failed: " + e);
        log.error("{}: shard {} failed", name, index, e);
      }
    }

    /** Fills {@code batch} from the queue until it is full by count or bytes or its first item is old enough. */
    private void fill(List<Item<T>> batch) throws InterruptedException {
      Item<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
      if (first == null) {
        return;
      }
      batch.add(first);
      long bytes = itemBytes == null ? 0 : itemBytes.applyAsLong(first.payload());
      long deadline = first.queuedNanos() + batchMaxAgeNanos;
      while (batch.size() < batchMaxItems && bytes < batchMaxBytes) {
        if (itemBytes == null) {
          queue.drainTo(batch, batchMaxItems - batch.size());
        } else {
          bytes = queue.drainTo(batch, batchMaxItems - batch.size(), bytes, batchMaxBytes,
              item -> itemBytes.applyAsLong(item.payload()));
        }
        long left = deadline - System.nanoTime();
        if (batch.size() >= batchMaxItems || bytes >= batchMaxBytes || left <= 0
            || flushed && first.queuedNanos() - flushBefore <= 0) {
          break;
        }
        Item<T> next = queue.poll(left, TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
        batch.add(next);
        bytes += itemBytes == null ? 0 : itemBytes.applyAsLong(next.payload());
      }
    }

    private void deliver(List<Item<T>> batch) throws InterruptedException {
      String onlyKey = batch.get(0).requestKey();
      boolean oneKey = true;
      for (int i = 1; i < batch.size() && oneKey; i++) {
        oneKey = batch.get(i).requestKey().equals(onlyKey);
      }
      if (oneKey) { // the usual case: one tenant
        deliver(onlyKey, batch);
        return;
      }
      Map<String, List<Item<T>>> byRequestKey = new LinkedHashMap<>();
      for (Item<T> item : batch) {
        byRequestKey.computeIfAbsent(item.requestKey(), k -> new ArrayList<>()).add(item);
      }
      for (Map.Entry<String, List<Item<T>>> e : byRequestKey.entrySet()) {
        deliver(e.getKey(), e.getValue());
      }
    }

    /** Sends {@code items}, bisecting refused parts; returns when every item is delivered or rejected. */
    private void deliver(String requestKey, List<Item<T>> items) throws InterruptedException {
      Deque<List<Item<T>>> work = new ArrayDeque<>();
      work.push(items);
      int itemAttempt = 0;
      while (!work.isEmpty()) {
        List<Item<T>> part = work.pop();
        SendOutcome outcome = sendUntilAnswered(requestKey, part);
        switch (outcome) {
          case SendOutcome.Delivered d -> {
            d.warning().ifPresent(w -> {
              warnings.incrementAndGet();
              log.warn("{}: {} items delivered with a warning from the store: {}", name, part.size(), w);
            });
            delivered.addAndGet(part.size());
            for (Item<T> item : part) {
              if (item.ticket() != null) {
                item.ticket().partDelivered();
              }
            }
          }
          case SendOutcome.PerItem p -> {
            List<Item<T>> again = itemOutcomes(part, p);
            if (!again.isEmpty()) {
              SendOutcome.Item.Retry first = firstRetry(p);
              awaitRetry(again.size(), first.reason(), first.retryAfter(), itemAttempt++);
              work.push(again);
            } else {
              itemAttempt = 0;
            }
          }
          case SendOutcome.Reject r when part.size() == 1 -> reject(part.get(0), r.reason(), null);
          case SendOutcome.Reject r -> {
            // Keep the order: the first half goes before the second.
            int mid = part.size() / 2;
            work.push(part.subList(mid, part.size()));
            work.push(part.subList(0, mid));
          }
          case SendOutcome.Fatal f -> {
            fatal.compareAndSet(null, f.reason());
            log.error("{}: {}; the task stops, nothing undelivered is committed", name, f.reason());
            throw new Halt();
          }
          case SendOutcome.Retry r -> throw new IllegalStateException("unreachable: " + r);
        }
      }
    }

    private void reject(Item<T> item, String reason, String detail) {
      if (item.ticket() == null) {
        bestEffortRejected.incrementAndGet();
        log.debug("{}: best-effort item refused by the store: {}", name, reason);
      } else {
        rejected.incrementAndGet();
        item.ticket().partRejected(reason, detail);
      }
    }

    /** Completes the items the store delivered or refused; returns those to send again, in order. */
    private List<Item<T>> itemOutcomes(List<Item<T>> part, SendOutcome.PerItem answer) {
      if (answer.items().size() != part.size()) {
        // A sender bug, not the store's: nothing is lost, the whole part is sent again.
        log.error("{}: {} outcomes for {} items; sending them again", name, answer.items().size(), part.size());
        return part;
      }
      answer.warning().ifPresent(w -> {
        warnings.incrementAndGet();
        log.warn("{}: {} items answered with a warning from the store: {}", name, part.size(), w);
      });
      List<Item<T>> again = new ArrayList<>();
      for (int i = 0; i < part.size(); i++) {
        Item<T> item = part.get(i);
        switch (answer.items().get(i)) {
          case SendOutcome.Item.Delivered d -> {
            delivered.incrementAndGet();
            if (item.ticket() != null) {
              item.ticket().partDelivered();
            }
          }
          case SendOutcome.Item.Reject r -> reject(item, r.reason(), r.detail());
          case SendOutcome.Item.Retry r -> again.add(item);
        }
      }
      return again;
    }

    private static SendOutcome.Item.Retry firstRetry(SendOutcome.PerItem answer) {
      for (SendOutcome.Item item : answer.items()) {
        if (item instanceof SendOutcome.Item.Retry r) {
          return r;
        }
      }
      throw new IllegalStateException("no retry in " + answer);
    }

    /** Counts a failed attempt on {@code size} items, logs it when the trouble starts, and waits the backoff. */
    private void awaitRetry(int size, String reason, Optional<Duration> retryAfter, int attempt)
        throws InterruptedException {
      retries.incrementAndGet();
      itemRetries.addAndGet(size);
      if (failingSince == 0) {
        failingSince = System.nanoTime();
        log.warn("{}: shard {}: the store did not take {} items ({}); retrying with backoff", name, index,
            size, reason);
      } else {
        log.debug("{}: shard {}: retry {} failed: {}", name, index, attempt, reason);
      }
      lastFailure = reason;
      Duration wait = backoff.delay(attempt, retryAfter);
      Thread.sleep(Math.max(1, wait.toMillis()));
    }

    /** Sends until the store answers something other than "retry"; never gives up on its own. */
    private SendOutcome sendUntilAnswered(String requestKey, List<Item<T>> part) throws InterruptedException {
      List<T> payloads = new ArrayList<>(part.size());
      for (Item<T> item : part) {
        payloads.add(item.payload());
      }
      int attempt = 0;
      while (true) {
        if (closed || fatal.get() != null) {
          throw new Halt();
        }
        requests.incrementAndGet();
        SendOutcome outcome;
        try {
          outcome = sender.send(requestKey, payloads);
        } catch (RuntimeException e) {
          outcome = SendOutcome.retry(e.toString());
        }
        if (!(outcome instanceof SendOutcome.Delivered || outcome instanceof SendOutcome.PerItem)) {
          failedRequests.incrementAndGet();
        }
        if (!(outcome instanceof SendOutcome.Retry retry)) {
          // An answer that still asks to retry some items keeps the shard failing (and stalled in time).
          boolean allTaken = !(outcome instanceof SendOutcome.PerItem p && p.hasRetries());
          if (failingSince != 0 && allTaken) {
            log.info("{}: shard {} delivers again after {} retries", name, index, attempt);
            failingSince = 0;
          }
          return outcome;
        }
        awaitRetry(part.size(), retry.reason(), retry.retryAfter(), attempt++);
      }
    }
  }

  /**
   * A shard's queue: one producer (the task) adding many items at once, and one consumer (the shard),
   * or the shards of an unordered batcher one at a time (the holder of {@code assembly}).
   */
  private static final class ShardQueue<E> {
    /** Held by the shard filling a batch from this queue. */
    final ReentrantLock assembly = new ReentrantLock();
    private final ArrayDeque<E> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    /** Set by {@link #wake}, cleared by the poll it ends (guarded by {@code lock}). */
    private boolean woken;

    void add(E item) {
      addAll(List.of(item));
    }

    void addAll(Collection<E> more) {
      if (more.isEmpty()) {
        return;
      }
      lock.lock();
      try {
        boolean wasEmpty = items.isEmpty();
        items.addAll(more);
        if (wasEmpty) {
          notEmpty.signal();
        }
      } finally {
        lock.unlock();
      }
    }

    /** Ends a {@link #poll} that waits (with null, as a timeout would): a flush does not wait for more items. */
    void wake() {
      lock.lock();
      try {
        woken = true;
        notEmpty.signalAll();
      } finally {
        lock.unlock();
      }
    }

    E poll(long timeout, TimeUnit unit) throws InterruptedException {
      long nanos = unit.toNanos(timeout);
      lock.lockInterruptibly();
      try {
        while (items.isEmpty()) {
          if (nanos <= 0 || woken) {
            woken = false;
            return null;
          }
          nanos = notEmpty.awaitNanos(nanos);
        }
        return items.poll();
      } finally {
        lock.unlock();
      }
    }

    /**
     * Like {@link #drainTo(List, int)}, stopping once the items' bytes reach {@code maxBytes} (the
     * item that reaches it is taken); returns the bytes taken so far.
     */
    long drainTo(List<E> to, int max, long bytes, long maxBytes, ToLongFunction<E> size) {
      lock.lock();
      try {
        for (int i = 0; i < max && bytes < maxBytes && !items.isEmpty(); i++) {
          E item = items.poll();
          to.add(item);
          bytes += size.applyAsLong(item);
        }
        return bytes;
      } finally {
        lock.unlock();
      }
    }

    void drainTo(List<E> to, int max) {
      lock.lock();
      try {
        for (int i = 0; i < max && !items.isEmpty(); i++) {
          to.add(items.poll());
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Builds a {@link ShardedBatcher}; every value is checked when set. */
  public static final class Builder<T> {
    private final String name;
    private final BatchSender<T> sender;
    private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    private int shards = 1;
    private int batchMaxItems = 1000;
    private Duration batchMaxAge = Duration.ofSeconds(1);
    private long bufferMaxItems = 100_000;
    private long batchMaxBytes = Long.MAX_VALUE;
    private ToLongFunction<T> itemBytes;
    private boolean unordered;

    Builder(String name, BatchSender<T> sender) {
      this.name = requireNonNull(name, "name");
      this.sender = requireNonNull(sender, "sender");
    }

    public Builder<T> backoff(Backoff backoff) {
      this.backoff = requireNonNull(backoff, "backoff");
      return this;
    }

    public Builder<T> shards(int shards) {
      if (shards < 1) {
        throw new IllegalArgumentException("shards: " + shards + " (expected: >= 1)");
      }
      this.shards = shards;
      return this;
    }

    public Builder<T> batchMaxItems(int batchMaxItems) {
      if (batchMaxItems < 1) {
        throw new IllegalArgumentException("batchMaxItems: " + batchMaxItems + " (expected: >= 1)");
      }
      this.batchMaxItems = batchMaxItems;
      return this;
    }

    public Builder<T> batchMaxAge(Duration batchMaxAge) {
      requireNonNull(batchMaxAge, "batchMaxAge");
      if (batchMaxAge.isNegative()) {
        throw new IllegalArgumentException("batchMaxAge: " + batchMaxAge + " (expected: >= 0)");
      }
      this.batchMaxAge = batchMaxAge;
      return this;
    }

    /**
     * Also closes a batch once its items' {@code itemBytes} reach {@code batchMaxBytes} (the item
     * that reaches it is in the batch); no byte limit by default.
     */
    public Builder<T> batchMaxBytes(long batchMaxBytes, ToLongFunction<T> itemBytes) {
      if (batchMaxBytes < 1) {
        throw new IllegalArgumentException("batchMaxBytes: " + batchMaxBytes + " (expected: >= 1)");
      }
      this.batchMaxBytes = batchMaxBytes;
      this.itemBytes = requireNonNull(itemBytes, "itemBytes");
      return this;
    }

    public Builder<T> bufferMaxItems(long bufferMaxItems) {
      if (bufferMaxItems < 1) {
        throw new IllegalArgumentException("bufferMaxItems: " + bufferMaxItems + " (expected: >= 1)");
      }
      this.bufferMaxItems = bufferMaxItems;
      return this;
    }

    /**
     * Items have no order to keep (documents with deterministic ids): shard hashes are ignored and
     * each shard sends the next batch as soon as it is free, so no request slot idles while another
     * shard's queue holds the buffer.
     */
    public Builder<T> unordered() {
      this.unordered = true;
      return this;
    }

    public ShardedBatcher<T> build() {
      return new ShardedBatcher<>(this);
    }
  }
}
