package io.tributary.sinks.elasticsearch.internal;

import static java.util.Objects.requireNonNull;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import io.tributary.sinks.internal.Backoff;
import io.tributary.sinks.internal.batching.Ticket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups documents into bulk {@code create} requests (at most {@code maxRecords} documents or
 * {@code maxBytes}, or whatever arrived within {@code linger} of a batch's first document) and
 * sends them on at most {@code maxInFlight} concurrent requests. A batch is retried with backoff
 * until every document is done:
 * <ul>
 *   <li>created, or 409 (a document with that id exists: an earlier delivery) -> done;</li>
 *   <li>400 (mapping/parsing refused) -> handed to {@code onRejected} for the dead-letter queue;</li>
 *   <li>429, 5xx, any other status, a refused connection or timeout -> retried, never dropped;</li>
 *   <li>413 (request too large) -> the batch is split in halves; one document too large is rejected.</li>
 * </ul>
 * A batch retrying longer than {@code retryTimeout} makes {@link #isStuck()} true, so the task
 * hands new records back to Connect instead of buffering them; the batch itself keeps retrying.
 * A problem is logged once when it appears (and again at most every 30 s while it lasts), without
 * document contents.
 */
public final class BulkSender implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BulkSender.class);
  /** Bytes of a bulk action line ({@code {"create":{"_index":...,"_id":...}}}) besides the names. */
  private static final int ACTION_OVERHEAD = 40;
  private static final long RELOG_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** A document to create, with the ticket of the record it came from (which keeps the record until it is done). */
  public record Item(String index, String id, byte[] json, Ticket ticket) {
    long size() {
      return json.length + index.length() + id.length() + ACTION_OVERHEAD;
    }
  }

  /** A document Elasticsearch refused as malformed: {@code reason} has no document content. */
  public record Rejected(Item item, String reason, String detail) {}

  /** Batching, concurrency and retry settings. */
  public record Settings(int maxRecords, long maxBytes, Duration linger, int maxInFlight, Backoff backoff,
      Duration retryTimeout) {
    public Settings {
      requireNonNull(linger, "linger");
      requireNonNull(backoff, "backoff");
      requireNonNull(retryTimeout, "retryTimeout");
      if (maxRecords < 1 || maxBytes < 1 || maxInFlight < 1) {
        throw new IllegalArgumentException("maxRecords, maxBytes, maxInFlight: " + maxRecords + ", " + maxBytes
            + ", " + maxInFlight + " (expected: >= 1)");
      }
    }
  }

  /** Runs before the first request and again after it failed; throws if the store is not ready. */
  public interface Preparation {
    void prepare() throws IOException;
  }

  private final String name;
  private final ElasticsearchClient client;
  private final Settings settings;
  private final Preparation preparation;
  private final Consumer<Rejected> onRejected;
  private final ExecutorService workers;
  private final ScheduledExecutorService lingerTimer;

  private final Object batchLock = new Object();
  private List<Item> open = new ArrayList<>();
  private long openBytes;
  private long openGeneration;

  private final Object capacityLock = new Object();
  private int outstanding;
  private final AtomicInteger stuck = new AtomicInteger();
  private final AtomicInteger failing = new AtomicInteger();
  private volatile long troubleSince;
  private final Object prepareLock = new Object();
  private volatile boolean prepared;
  private volatile boolean closed;

  private final Object logLock = new Object();
  private String lastLoggedProblem;
  private long lastLoggedAt;

  private final AtomicLong created = new AtomicLong();
  private final AtomicLong alreadyPresent = new AtomicLong();
  private final AtomicLong retriedRequests = new AtomicLong();

  public BulkSender(String name, ElasticsearchClient client, Settings settings, Preparation preparation,
      Consumer<Rejected> onRejected) {
    this.name = requireNonNull(name, "name");
    this.client = requireNonNull(client, "client");
    this.settings = requireNonNull(settings, "settings");
    this.preparation = requireNonNull(preparation, "preparation");
    this.onRejected = requireNonNull(onRejected, "onRejected");
    this.workers = Executors.newFixedThreadPool(settings.maxInFlight(), threads(name + "-es-bulk"));
    this.lingerTimer = Executors.newSingleThreadScheduledExecutor(threads(name + "-es-linger"));
  }

  /** Adds a document to the open batch, sending the batch when it is full. */
  public void add(Item item) {
    synchronized (batchLock) {
      if (open.isEmpty()) {
        long generation = openGeneration;
        lingerTimer.schedule(() -> sealIfStillOpen(generation), settings.linger().toMillis(), TimeUnit.MILLISECONDS);
      }
      open.add(item);
      openBytes += item.size();
      if (open.size() >= settings.maxRecords() || openBytes >= settings.maxBytes()) {
        sealLocked();
      }
    }
  }

  /** Sends the open batch now. */
  public void flush() {
    synchronized (batchLock) {
      sealLocked();
    }
  }

  /**
   * Waits until fewer than twice {@code maxInFlight} batches are queued or in flight, for at most
   * {@code max}; false if there is still no room (the store is not keeping up or is down).
   */
  public boolean awaitCapacity(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (capacityLock) {
      while (outstanding >= 2 * settings.maxInFlight()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(capacityLock, left);
      }
      return true;
    }
  }

  /** Sends the open batch and waits until every batch is done, for at most {@code max}. */
  public boolean awaitIdle(Duration max) throws InterruptedException {
    flush();
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (capacityLock) {
      while (outstanding > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(capacityLock, left);
      }
      return true;
    }
  }

  /** Whether some batch has been retrying for longer than the retry timeout. */
  public boolean isStuck() {
    return stuck.get() > 0;
  }

  /** Documents created so far. */
  public long created() {
    return created.get();
  }

  /** Documents that were already there (409): re-deliveries and replays. */
  public long alreadyPresent() {
    return alreadyPresent.get();
  }

  /** Bulk requests sent again after a retriable failure. */
  public long retriedRequests() {
    return retriedRequests.get();
  }

  @Override
  public void close() {
    closed = true;
    lingerTimer.shutdownNow();
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("{}: bulk requests still running after 10 s; leaving them (nothing of theirs is committed)", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sealIfStillOpen(long generation) {
    synchronized (batchLock) {
      if (openGeneration == generation) {
        sealLocked();
      }
    }
  }

  private void sealLocked() {
    openGeneration++;
    if (open.isEmpty() || closed) {
      return;
    }
    List<Item> batch = open;
    open = new ArrayList<>();
    openBytes = 0;
    synchronized (capacityLock) {
      outstanding++;
    }
    workers.execute(() -> send(batch));
  }

  /** Delivers one batch, retrying until every document is done (or the sender closes). */
  private void send(List<Item> batch) {
    long started = System.nanoTime();
    boolean failed = false;
    boolean markedStuck = false;
    int attempt = 0;
    Deque<List<Item>> parts = new ArrayDeque<>();
    parts.add(batch);
    try {
      while (!parts.isEmpty() && !closed) {
        List<Item> part = parts.pollFirst();
        Attempt a = attempt(part);
        if (a.split()) {
          parts.addFirst(part.subList(part.size() / 2, part.size()));
          parts.addFirst(part.subList(0, part.size() / 2));
          continue;
        }
        if (a.retry().isEmpty()) {
          continue;
        }
        parts.addFirst(a.retry());
        if (!failed) {
          failed = true;
          if (failing.getAndIncrement() == 0) {
            troubleSince = started;
          }
        }
        logProblem(a.problem(), a.retry().size());
        if (!markedStuck && System.nanoTime() - started > settings.retryTimeout().toNanos()) {
          markedStuck = true;
          if (stuck.getAndIncrement() == 0) {
            log.warn("{}: bulk requests have been failing for more than {} ms ({}); handing new records back to "
                + "Connect until they succeed", name, settings.retryTimeout().toMillis(), a.problem());
          }
        }
        retriedRequests.incrementAndGet();
        Thread.sleep(settings.backoff().delay(attempt++, a.retryAfter()).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing: the undone records are not committed, Connect delivers them again
    } catch (RuntimeException e) {
      log.error("{}: unexpected failure delivering a bulk request; its records are not committed", name, e);
    } finally {
      if (markedStuck) {
        stuck.decrementAndGet();
      }
      if (failed && failing.decrementAndGet() == 0 && !closed) {
        log.info("{}: Elasticsearch takes documents again, after {} s of retries", name,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - troubleSince));
        synchronized (logLock) {
          lastLoggedProblem = null;
        }
      }
      synchronized (capacityLock) {
        outstanding--;
        capacityLock.notifyAll();
      }
    }
  }

  /** What one request left to do. */
  private record Attempt(List<Item> retry, String problem, Optional<Duration> retryAfter, boolean split) {
    static final Attempt DONE = new Attempt(List.of(), null, Optional.empty(), false);
    static final Attempt SPLIT = new Attempt(List.of(), null, Optional.empty(), true);

    static Attempt retryAll(List<Item> items, String problem, Optional<Duration> retryAfter) {
      return new Attempt(items, problem, retryAfter, false);
    }
  }

  private Attempt attempt(List<Item> items) {
    try {
      prepareOnce();
      BulkResponse response = client.bulk(request(items));
      if (response.items().size() != items.size()) {
        return Attempt.retryAll(items, "bulk response has " + response.items().size() + " items for "
            + items.size() + " documents", Optional.empty());
      }
      List<Item> retry = new ArrayList<>();
      String problem = null;
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        BulkResponseItem r = response.items().get(i);
        ErrorCause error = r.error();
        if (error == null) {
          created.incrementAndGet();
          item.ticket().partDelivered();
        } else if (r.status() == 409) {
          alreadyPresent.incrementAndGet();
          item.ticket().partDelivered();
        } else if (r.status() == 400) {
          onRejected.accept(new Rejected(item, "Elasticsearch refused the document (400 " + error.type() + "): "
              + withoutValues(error.reason()) + causes(error), detail(error)));
        } else {
          retry.add(item);
          if (problem == null) {
            problem = "HTTP " + r.status() + " " + error.type() + ": " + withoutValues(error.reason());
          }
        }
      }
      return retry.isEmpty() ? Attempt.DONE : Attempt.retryAll(retry, problem, Optional.empty());
    } catch (ElasticsearchException e) {
      if (e.status() == 413) {
        return tooLarge(items);
      }
      ErrorCause error = e.error();
      String what = error == null ? e.getMessage() : error.type() + ": " + withoutValues(error.reason());
      return Attempt.retryAll(items, "HTTP " + e.status() + " " + what, retryAfter(e.httpResponse()));
    } catch (TransportException e) {
      if (e.statusCode() == 413) {
        return tooLarge(items);
      }
      return Attempt.retryAll(items, "HTTP " + e.statusCode() + ": " + e.getMessage(), retryAfter(e.response()));
    } catch (IOException | RuntimeException e) {
      return Attempt.retryAll(items, e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty());
    }
  }

  private void prepareOnce() throws IOException {
    if (!prepared) {
      synchronized (prepareLock) {
        if (!prepared) {
          preparation.prepare();
          prepared = true;
        }
      }
    }
  }

  private Attempt tooLarge(List<Item> items) {
    if (items.size() > 1) {
      return Attempt.SPLIT;
    }
    onRejected.accept(new Rejected(items.get(0), "Elasticsearch refused the document as too large (413): it is "
        + "bigger than the cluster's http.max_content_length", "413 Request Entity Too Large"));
    return Attempt.DONE;
  }

  private static BulkRequest request(List<Item> items) {
    List<BulkOperation> ops = new ArrayList<>(items.size());
    for (Item item : items) {
      ops.add(BulkOperation.of(o -> o.create(c -> c.index(item.index()).id(item.id())
          .document(BinaryData.of(item.json(), ContentType.APPLICATION_JSON)))));
    }
    return BulkRequest.of(b -> b.operations(ops));
  }

  /** One line when a problem appears or changes, again every 30 s while it lasts. */
  private void logProblem(String problem, int documents) {
    synchronized (logLock) {
      long now = System.nanoTime();
      if (!problem.equals(lastLoggedProblem) || now - lastLoggedAt > RELOG_NANOS) {
        lastLoggedProblem = problem;
        lastLoggedAt = now;
        log.warn("{}: Elasticsearch did not take {} documents, retrying with backoff: {}", name, documents, problem);
      }
    }
  }

  /**
   * Elasticsearch's reason without the field value it quotes ("Preview of field's value: ..."), so
   * logs carry no document content.
   */
  static String withoutValues(String reason) {
    if (reason == null) {
      return "";
    }
    int preview = reason.indexOf("Preview of field's value");
    return preview < 0 ? reason : reason.substring(0, preview).trim();
  }

  private static String causes(ErrorCause error) {
    StringBuilder sb = new StringBuilder();
    for (ErrorCause c = error.causedBy(); c != null; c = c.causedBy()) {
      sb.append("; caused by ").append(c.type());
    }
    return sb.toString();
  }

  /** The whole reason chain, values included: it travels with the record to the dead-letter topic only. */
  private static String detail(ErrorCause error) {
    StringBuilder sb = new StringBuilder();
    for (ErrorCause c = error; c != null; c = c.causedBy()) {
      if (!sb.isEmpty()) {
        sb.append("; caused by ");
      }
      sb.append(c.type()).append(": ").append(c.reason());
    }
    return sb.toString();
  }

  private static Optional<Duration> retryAfter(TransportHttpClient.Response response) {
    return response == null ? Optional.empty() : Backoff.parseRetryAfter(response.header("Retry-After"));
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
