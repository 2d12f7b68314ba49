package io.tributary.sinks.elasticsearch.integration;

import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.committedOffsets;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.connectorConfig;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.produceSpans;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.spanIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.elasticsearch.EsHttp;
import io.tributary.embedded.junit.SharedElasticsearch;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.sinks.SinkTaskMetrics;
import io.tributary.testsupport.DelayingProxy;
import io.tributary.testsupport.DrillFigures;
import io.tributary.testsupport.TestConnect;
import io.tributary.testsupport.TestTopics;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drill 5 (docs/reliability.md): a slow store under load. The sink writes to the real Elasticsearch
 * through a {@link DelayingProxy} that holds every answer for 5 s: the store stays real, only latency
 * is added. While spans arrive faster than the sink can deliver at that latency, the backlog grows as
 * consumer lag in Kafka, not in the worker's memory: the task's buffer (its {@code buffered-items-peak}
 * metric) stays within {@code buffer.max.size}. Once the delay is removed the sink catches up, and
 * every span is in Elasticsearch exactly once.
 */
@ExtendWith({SharedKafkaBroker.class, SharedElasticsearch.class})
class SlowStoreDrillIT {

  private static final String TOPIC = "drill.slow-store.spans";
  private static final String DATASET = "slowstore";
  private static final String CONNECTOR = "es-slow-store";
  private static final Duration STORE_DELAY = Duration.ofSeconds(5);
  private static final int SPANS = 4_500;
  /** 30 spans every 100 ms: 300 spans/s for 15 s, against 40 spans/s the sink can write at 5 s per request. */
  private static final int SPANS_PER_TICK = 30;
  private static final int BATCH_SIZE = 100;
  private static final int IN_FLIGHT = 2;
  private static final long BUFFER_MAX = 1_000;

  @Test
  void shouldKeepTheBacklogInKafkaAndCatchUpWhenTheStoreIsSlow(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) throws Exception {
    TestTopics.create(kafka.bootstrapServers(), 2, TOPIC);
    EsHttp es = new EsHttp(elasticsearch.httpUrl());
    String index = "traces-" + DATASET + "-acme";
    try (DelayingProxy proxy = DelayingProxy.start(elasticsearch.httpUrl());
        EmbeddedConnectWorker worker = TestConnect.startWorker(kafka.bootstrapServers(), "es-slow-store-drill",
            Duration.ofSeconds(1));
        KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      ConnectRestClient connect = worker.client();
      Map<String, String> config = connectorConfig(elasticsearch, DATASET, TOPIC + ":spans");
      config.put("connection.urls", proxy.url().toString());
      config.put("batch.size", Integer.toString(BATCH_SIZE));
      config.put("max.in.flight.requests", Integer.toString(IN_FLIGHT));
      config.put("buffer.max.size", Long.toString(BUFFER_MAX));
      connect.putConnector(CONNECTOR, config);
      connect.awaitRunning(CONNECTOR, 1, Duration.ofSeconds(60));

      AtomicInteger acknowledged = new AtomicInteger();
      CompletableFuture<Void> load =
          CompletableFuture.runAsync(() -> produceSpans(producer, TOPIC, SPANS, SPANS_PER_TICK, acknowledged));
      // The store turns slow once the sink writes (templates installed, data stream created).
      await("first spans written").atMost(Duration.ofSeconds(30)).until(() -> es.count(index) > 0);
      long deliveredBeforeDelay = es.count(index);
      proxy.delay(STORE_DELAY);
      AtomicLong maxLag = new AtomicLong();
      await("consumer lag beyond three buffers while the store is slow").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> {
            maxLag.accumulateAndGet(lag(kafka, connect), Math::max);
            return maxLag.get() > 3 * BUFFER_MAX;
          });
      load.get();
      producer.flush();
      await("slow answers, not none").atMost(Duration.ofSeconds(30))
          .until(() -> es.count(index) > deliveredBeforeDelay + BATCH_SIZE);
      maxLag.accumulateAndGet(lag(kafka, connect), Math::max);
      long deliveredWhileSlow = es.count(index) - deliveredBeforeDelay;

      proxy.delay(Duration.ZERO);
      long healedAt = System.nanoTime();
      await("the sink caught up: every offset committed").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> assertThat(committedOffsets(connect, CONNECTOR))
              .isEqualTo(TestTopics.endOffsets(kafka.bootstrapServers(), List.of(TOPIC))));
      Duration catchUp = Duration.ofNanos(System.nanoTime() - healedAt);

      long peak = TestConnect.taskMetric(CONNECTOR, 0, SinkTaskMetrics.BUFFERED_ITEMS_PEAK.name());
      long count = es.count(index);
      List<String> ids = es.ids(index);
      Set<String> expected = spanIds(acknowledged.get());
      Set<String> distinct = new HashSet<>(ids);
      long lost = expected.stream().filter(id -> !distinct.contains(id)).count();
      DrillFigures.print("5: slow store", String.format("%,d spans at 300/s; sink: %d per request, %d in flight, "
              + "buffer %,d", SPANS, BATCH_SIZE, IN_FLIGHT, BUFFER_MAX),
          String.format("every Elasticsearch answer held 5 s once writing: lag grew to %,d, buffer peak %,d, %,d "
              + "written while slow", maxLag.get(), peak, deliveredWhileSlow),
          acknowledged.get(), lost, count - distinct.size(), catchUp);

      assertThat(deliveredWhileSlow).as("the store was slow, not down").isPositive().isLessThan(SPANS);
      assertThat(TestConnect.taskMetric(CONNECTOR, 0, SinkTaskMetrics.BUFFER_MAX_ITEMS.name())).isEqualTo(BUFFER_MAX);
      assertThat(peak).as("items held in memory at most").isLessThanOrEqualTo(BUFFER_MAX);
      assertThat(acknowledged.get()).isEqualTo(SPANS);
      assertThat(count).as("documents").isEqualTo(SPANS);
      assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
      assertThat(connect.status(CONNECTOR).failure()).isEmpty();
      connect.delete(CONNECTOR);
    }
  }

  /** Records in the topic that the connector has not committed yet. */
  private static long lag(EmbeddedKafkaBroker kafka, ConnectRestClient connect) {
    var committed = committedOffsets(connect, CONNECTOR);
    return TestTopics.endOffsets(kafka.bootstrapServers(), List.of(TOPIC)).entrySet().stream()
        .mapToLong(e -> e.getValue() - committed.getOrDefault(e.getKey(), 0L)).sum();
  }
}
