package io.tributary.sinks.internal.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.sinks.internal.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ShardedBatcherTest {

  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));

  /** An item: a key (the series) and its sequence number within the key. */
  record Keyed(String key, int seq, boolean bad) {}

  @Test
  void shouldKeepEveryKeysOrderAcrossShardsAndBatches() {
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    BatchSender<Keyed> sender = (tenant, batch) -> {
      batch.forEach(k -> seen.computeIfAbsent(k.key(), x -> Collections.synchronizedList(new ArrayList<>())).add(k.seq()));
      return SendOutcome.DELIVERED;
    };
    OffsetTracker tracker = new OffsetTracker();
    List<Ticket> tickets = new ArrayList<>();
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("order", sender).shards(4).batchMaxItems(7)
        .batchMaxAge(Duration.ofMillis(2)).backoff(FAST).build()) {
      int offset = 0;
      for (int seq = 0; seq < 200; seq++) {
        for (int k = 0; k < 25; k++) {
          Ticket t = tracker.track(record(offset++), 1);
          tickets.add(t);
          String key = "series-" + k;
          batcher.submit(new ShardedBatcher.Item<>(new Keyed(key, seq, false), key.hashCode(), "", t));
        }
      }
      await("all delivered").atMost(Duration.ofSeconds(20)).until(() -> batcher.buffered() == 0);
      assertThat(batcher.counters().delivered()).isEqualTo(5_000);
    }
    assertThat(seen).hasSize(25);
    seen.values().forEach(seqs -> assertThat(seqs).isSorted().hasSize(200));
    assertThat(tracker.committable()).containsValue(new org.apache.kafka.clients.consumer.OffsetAndMetadata(5_000));
  }

  @Test
  void shouldKeepEveryKeysOrderWhenItemsAreSubmittedTogether() {
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    BatchSender<Keyed> sender = (tenant, batch) -> {
      batch.forEach(k -> seen.computeIfAbsent(k.key(), x -> Collections.synchronizedList(new ArrayList<>())).add(k.seq()));
      return SendOutcome.DELIVERED;
    };
    OffsetTracker tracker = new OffsetTracker();
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("order-all", sender).shards(3).batchMaxItems(11)
        .batchMaxAge(Duration.ofMillis(2)).backoff(FAST).build()) {
      int offset = 0;
      for (int chunk = 0; chunk < 20; chunk++) {
        List<ShardedBatcher.Item<Keyed>> items = new ArrayList<>();
        for (int seq = chunk * 10; seq < chunk * 10 + 10; seq++) {
          for (int k = 0; k < 25; k++) {
            String key = "series-" + k;
            items.add(new ShardedBatcher.Item<>(new Keyed(key, seq, false), key.hashCode(), "",
                tracker.track(record(offset++), 1)));
          }
        }
        batcher.submitAll(items);
      }
      batcher.submitAll(List.of());
      await("all delivered").atMost(Duration.ofSeconds(20)).until(() -> batcher.buffered() == 0);
      assertThat(batcher.counters().delivered()).isEqualTo(5_000);
    }
    assertThat(seen).hasSize(25);
    seen.values().forEach(seqs -> assertThat(seqs).isSorted().hasSize(200));
    assertThat(tracker.committable()).containsValue(new org.apache.kafka.clients.consumer.OffsetAndMetadata(5_000));
  }

  @Test
  void shouldBisectARefusedBatchSoOnlyTheBadItemsAreRejected() {
    List<List<Integer>> requests = new CopyOnWriteArrayList<>();
    BatchSender<Keyed> sender = (tenant, batch) -> {
      requests.add(batch.stream().map(Keyed::seq).toList());
      return batch.stream().anyMatch(Keyed::bad) ? new SendOutcome.Reject("HTTP 400: out of order sample")
          : SendOutcome.DELIVERED;
    };
    OffsetTracker tracker = new OffsetTracker();
    List<Ticket> tickets = new ArrayList<>();
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("bisect", sender).batchMaxItems(16)
        .batchMaxAge(Duration.ofSeconds(1)).backoff(FAST).build()) {
      for (int i = 0; i < 16; i++) {
        Ticket t = tracker.track(record(i), 1);
        tickets.add(t);
        batcher.submit(new ShardedBatcher.Item<>(new Keyed("k", i, i == 5 || i == 11), 0, "", t));
      }
      await("all answered").atMost(Duration.ofSeconds(10)).until(() -> batcher.buffered() == 0);
      assertThat(batcher.counters().delivered()).isEqualTo(14);
      assertThat(batcher.counters().rejected()).isEqualTo(2);
    }
    assertThat(tickets).filteredOn(t -> t.rejection() != null).extracting(Ticket::offset)
        .containsExactly(5L, 11L);
    assertThat(tickets.get(5).rejection()).isEqualTo("HTTP 400: out of order sample");
    // Delivered items went out in their original order.
    List<Integer> delivered = new ArrayList<>();
    requests.stream().filter(r -> !r.contains(5) && !r.contains(11)).forEach(delivered::addAll);
    assertThat(delivered).isSorted().hasSize(14);
    // Rejected tickets are not complete until reported.
    assertThat(tracker.committable().values()).singleElement().satisfies(o -> assertThat(o.offset()).isEqualTo(5));
  }

  @Test
  void shouldRetryUntilTheStoreTakesTheBatchAndReportStallsMeanwhile() {
    AtomicInteger attempts = new AtomicInteger();
    BatchSender<Keyed> sender = (tenant, batch) -> attempts.incrementAndGet() <= 30
        ? SendOutcome.retry("HTTP 503: unavailable") : SendOutcome.DELIVERED;
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("retry", sender).batchMaxAge(Duration.ZERO)
        .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(10))).build()) {
      batcher.submit(new ShardedBatcher.Item<>(new Keyed("k", 0, false), 0, "", null));
      await("stall reported").atMost(Duration.ofSeconds(5)).until(() -> batcher.stalled(Duration.ofMillis(50)).isPresent());
      assertThat(batcher.stalled(Duration.ofMillis(50)).orElseThrow()).contains("HTTP 503: unavailable");
      await("delivered in the end").atMost(Duration.ofSeconds(10)).until(() -> batcher.buffered() == 0);
      assertThat(batcher.stalled(Duration.ofMillis(50))).isEmpty();
      assertThat(batcher.counters().retries()).isEqualTo(30);
      assertThat(batcher.counters().delivered()).isEqualTo(1);
    }
  }

  @Test
  void shouldSendOneRequestPerTenant() {
    List<String> tenants = new CopyOnWriteArrayList<>();
    BatchSender<Keyed> sender = (tenant, batch) -> {
      tenants.add(tenant + ":" + batch.size());
      return SendOutcome.DELIVERED;
    };
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("tenants", sender).batchMaxItems(10)
        .batchMaxAge(Duration.ofSeconds(1)).backoff(FAST).build()) {
      for (int i = 0; i < 10; i++) {
        batcher.submit(new ShardedBatcher.Item<>(new Keyed("k" + i, 0, false), 0, i % 2 == 0 ? "acme" : "globex", null));
      }
      await("sent").atMost(Duration.ofSeconds(5)).until(() -> batcher.buffered() == 0);
    }
    assertThat(tenants).containsExactly("acme:5", "globex:5");
  }

  @Test
  void shouldStopAtAFatalAnswerAndKeepTheRestUndelivered() {
    BatchSender<Keyed> sender = (tenant, batch) -> new SendOutcome.Fatal("HTTP 401: bad token");
    OffsetTracker tracker = new OffsetTracker();
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("fatal", sender).batchMaxAge(Duration.ZERO)
        .backoff(FAST).build()) {
      Ticket t = tracker.track(record(0), 1);
      batcher.submit(new ShardedBatcher.Item<>(new Keyed("k", 0, false), 0, "", t));
      await("fatal").atMost(Duration.ofSeconds(5)).until(() -> batcher.fatal().isPresent());
      assertThat(batcher.fatal().orElseThrow()).isEqualTo("HTTP 401: bad token");
    }
    assertThat(tracker.committable().values()).singleElement().satisfies(o -> assertThat(o.offset()).isZero());
  }

  @Test
  void shouldCompleteEachItemAsTheStoreAnsweredItAndResendOnlyTheItemsToRetry() {
    // Like a bulk API: item 2 is refused for its content, item 4 is refused twice for load, the rest are taken.
    List<List<Integer>> requests = new CopyOnWriteArrayList<>();
    AtomicInteger overloaded = new AtomicInteger(2);
    BatchSender<Keyed> sender = (tenant, batch) -> {
      requests.add(batch.stream().map(Keyed::seq).toList());
      List<SendOutcome.Item> outcomes = new ArrayList<>();
      for (Keyed k : batch) {
        if (k.bad()) {
          outcomes.add(new SendOutcome.Item.Reject("400 mapper_parsing_exception", "detail with the value"));
        } else if (k.seq() == 4 && overloaded.getAndDecrement() > 0) {
          outcomes.add(new SendOutcome.Item.Retry("429 es_rejected_execution_exception", java.util.Optional.empty()));
        } else {
          outcomes.add(SendOutcome.Item.DELIVERED);
        }
      }
      return new SendOutcome.PerItem(outcomes);
    };
    OffsetTracker tracker = new OffsetTracker();
    List<Ticket> tickets = new ArrayList<>();
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("per-item", sender).batchMaxItems(6)
        .batchMaxAge(Duration.ofSeconds(1)).backoff(FAST).build()) {
      List<ShardedBatcher.Item<Keyed>> items = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Ticket t = tracker.track(record(i), 1);
        tickets.add(t);
        items.add(new ShardedBatcher.Item<>(new Keyed("k", i, i == 2), 0, "", t));
      }
      batcher.submitAll(items);
      await("all answered").atMost(Duration.ofSeconds(10)).until(() -> batcher.buffered() == 0);
      assertThat(batcher.counters().delivered()).isEqualTo(5);
      assertThat(batcher.counters().rejected()).isEqualTo(1);
      assertThat(batcher.counters().retries()).isEqualTo(2);
    }
    assertThat(requests).containsExactly(List.of(0, 1, 2, 3, 4, 5), List.of(4), List.of(4));
    assertThat(tickets.get(2).rejection()).isEqualTo("400 mapper_parsing_exception");
    assertThat(tickets.get(2).rejectionDetail()).isEqualTo("detail with the value");
    assertThat(tracker.committable().values()).singleElement().satisfies(o -> assertThat(o.offset()).isEqualTo(2));
  }

  @Test
  void shouldCloseABatchOnceItsItemsReachTheByteLimit() {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    BatchSender<Keyed> sender = (tenant, batch) -> {
      sizes.add(batch.size());
      return SendOutcome.DELIVERED;
    };
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("bytes", sender).batchMaxItems(100)
        .batchMaxBytes(250, k -> 100).batchMaxAge(Duration.ofSeconds(1)).backoff(FAST).build()) {
      List<ShardedBatcher.Item<Keyed>> items = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        items.add(new ShardedBatcher.Item<>(new Keyed("k", i, false), 0, "", null));
      }
      batcher.submitAll(items);
      await("sent").atMost(Duration.ofSeconds(5)).until(() -> batcher.buffered() == 0);
    }
    assertThat(sizes).containsExactly(3, 3, 1);
  }

  @Test
  void shouldLetAFreeShardTakeTheNextBatchWhenItemsAreUnordered() throws InterruptedException {
    // The first request hangs until released; with every item on shard hash 0, a keyed batcher would
    // queue the rest behind it, an unordered one sends them through the other shard meanwhile.
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    List<Integer> delivered = new CopyOnWriteArrayList<>();
    BatchSender<Keyed> sender = (tenant, batch) -> {
      if (requests.getAndIncrement() == 0) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      batch.forEach(k -> delivered.add(k.seq()));
      return SendOutcome.DELIVERED;
    };
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("unordered", sender).shards(2).batchMaxItems(10)
        .batchMaxAge(Duration.ofMillis(2)).backoff(FAST).unordered().build()) {
      List<ShardedBatcher.Item<Keyed>> items = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        items.add(new ShardedBatcher.Item<>(new Keyed("doc", i, false), 0, "", null));
      }
      batcher.submitAll(items);
      await("the first batch in flight").atMost(Duration.ofSeconds(5)).until(() -> requests.get() == 1);
      List<ShardedBatcher.Item<Keyed>> more = new ArrayList<>();
      for (int i = 10; i < 40; i++) {
        more.add(new ShardedBatcher.Item<>(new Keyed("doc", i, false), 0, "", null));
      }
      batcher.submitAll(more);
      await("the next batches through the free shard").atMost(Duration.ofSeconds(5))
          .until(() -> delivered.size() == 30);
      assertThat(delivered).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(10, 40).boxed().toList());
      assertThat(requests.get()).isEqualTo(4); // full batches of 10, not split between the shards
      release.countDown();
      await("all delivered").atMost(Duration.ofSeconds(5)).until(() -> batcher.buffered() == 0);
      assertThat(batcher.counters().delivered()).isEqualTo(40);
    }
  }

  @Test
  void shouldSendPartialBatchesAtOnceWhenFlushed() {
    // A batch that would wait a minute to fill goes out on flush, keyed or unordered, whichever shard holds it.
    for (boolean unordered : new boolean[] {false, true}) {
      List<Integer> sizes = new CopyOnWriteArrayList<>();
      BatchSender<Keyed> sender = (tenant, batch) -> {
        sizes.add(batch.size());
        return SendOutcome.DELIVERED;
      };
      ShardedBatcher.Builder<Keyed> builder = ShardedBatcher.builder("flush", sender).shards(2).batchMaxItems(100)
          .batchMaxAge(Duration.ofMinutes(1)).backoff(FAST);
      try (ShardedBatcher<Keyed> batcher = (unordered ? builder.unordered() : builder).build()) {
        List<ShardedBatcher.Item<Keyed>> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          items.add(new ShardedBatcher.Item<>(new Keyed("k" + i, i, false), i, "", null));
        }
        batcher.submitAll(items);
        await("the partial batches wait for more items").during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(2)).until(() -> batcher.buffered() == 5);
        batcher.flush();
        await("sent on flush (unordered: " + unordered + ")").atMost(Duration.ofSeconds(5))
            .until(() -> batcher.buffered() == 0);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
      }
    }
  }

  @Test
  void shouldWaitUntilAWholePutFitsInTheBuffer() throws InterruptedException {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    BatchSender<Keyed> sender = (tenant, batch) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SendOutcome.DELIVERED;
    };
    try (ShardedBatcher<Keyed> batcher = ShardedBatcher.builder("capacity", sender).batchMaxItems(10)
        .batchMaxAge(Duration.ZERO).bufferMaxItems(10).backoff(FAST).build()) {
      assertThat(batcher.awaitCapacity(25, Duration.ZERO)).as("more than the buffer, taken alone").isTrue();
      List<ShardedBatcher.Item<Keyed>> items = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        items.add(new ShardedBatcher.Item<>(new Keyed("doc", i, false), 0, "", null));
      }
      batcher.submitAll(items);

      assertThat(batcher.awaitCapacity(4, Duration.ZERO)).as("6 + 4 fit in 10").isTrue();
      assertThat(batcher.awaitCapacity(5, Duration.ofMillis(50))).as("6 + 5 do not").isFalse();
      release.countDown();
      assertThat(batcher.awaitCapacity(10, Duration.ofSeconds(5))).as("once delivered").isTrue();
      assertThat(batcher.bufferedPeak()).isEqualTo(6);
    }
  }

  static SinkRecord record(long offset) {
    return new SinkRecord("t", 0, null, null, null, new byte[0], offset);
  }
}
