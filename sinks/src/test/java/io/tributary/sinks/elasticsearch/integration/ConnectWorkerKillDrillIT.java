package io.tributary.sinks.elasticsearch.integration;

import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.committedOffsets;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.connectorConfig;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.produceSpans;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.spanIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.elasticsearch.EsHttp;
import io.tributary.embedded.junit.SharedElasticsearch;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drill 3 (docs/reliability.md): two Connect workers, each a JVM of its own, form one Connect cluster
 * running the Elasticsearch sink with two tasks. While spans stream in, the worker running task 0 is
 * SIGKILLed mid-delivery (no graceful stop, no offset commit). The survivor takes over every task,
 * and every span acknowledged by Kafka is in Elasticsearch exactly once, by id and by count: the
 * dead worker's uncommitted records are delivered again and land on the same document ids.
 */
@ExtendWith({SharedKafkaBroker.class, SharedElasticsearch.class})
class ConnectWorkerKillDrillIT {

  private static final String TOPIC = "drill.worker-kill.spans";
  private static final String DATASET = "workerkill";
  private static final String CONNECTOR = "es-worker-kill";
  private static final int SPANS = 10_000;
  /** 100 spans every 100 ms: 1,000 spans/s for 10 s. */
  private static final int SPANS_PER_TICK = 100;
  /** Connect waits this long for a lost worker to return before reassigning its tasks (default 5 min). */
  private static final String REBALANCE_DELAY_MS = "5000";

  @Test
  void shouldDeliverEverySpanExactlyOnceWhenAWorkerIsKilledMidDelivery(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) throws Exception {
    TestTopics.create(kafka.bootstrapServers(), 4, TOPIC);
    EsHttp es = new EsHttp(elasticsearch.httpUrl());
    String index = "traces-" + DATASET + "-acme";
    Map<String, String> workerConfig = Map.of("scheduled.rebalance.max.delay.ms", REBALANCE_DELAY_MS);
    try (ExternalServer first = TestConnect.workerProcess(kafka.bootstrapServers(), "es-worker-kill-drill",
            Duration.ofSeconds(1), "384m", workerConfig);
        ExternalServer second = TestConnect.workerProcess(kafka.bootstrapServers(), "es-worker-kill-drill",
            Duration.ofSeconds(1), "384m", workerConfig);
        KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      CompletableFuture.allOf(CompletableFuture.runAsync(first::start), CompletableFuture.runAsync(second::start)).join();
      ConnectRestClient connect = new ConnectRestClient(first.baseUrl());
      Map<String, String> config = connectorConfig(elasticsearch, DATASET, TOPIC + ":spans");
      config.put("tasks.max", "2");
      connect.putConnector(CONNECTOR, config);
      await("both tasks running").atMost(Duration.ofSeconds(90))
          .until(() -> connect.status(CONNECTOR).isRunning(2));

      AtomicInteger acknowledged = new AtomicInteger();
      CompletableFuture<Void> load =
          CompletableFuture.runAsync(() -> produceSpans(producer, TOPIC, SPANS, SPANS_PER_TICK, acknowledged));
      await("spans flowing into Elasticsearch").atMost(Duration.ofSeconds(90))
          .until(() -> es.count(index) >= SPANS / 5);

      String victimId = connect.status(CONNECTOR).tasks().get(0).workerId();
      ExternalServer victim = victimId.endsWith(":" + first.port()) ? first : second;
      ExternalServer survivor = victim == first ? second : first;
      long delivered = es.count(index);
      long killedAt = System.nanoTime();
      victim.kill();
      assertThat(delivered).as("killed mid-delivery").isLessThan(SPANS);

      ConnectRestClient survivorRest = new ConnectRestClient(survivor.baseUrl());
      String survivorId = survivor.host() + ":" + survivor.port();
      await("the survivor runs both tasks").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> assertThat(survivorRest.status(CONNECTOR).tasks())
              .hasSize(2)
              .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"))
              .allSatisfy(t -> assertThat(t.workerId()).isEqualTo(survivorId)));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
      load.get();
      producer.flush();

      await("every span in Elasticsearch").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
          .until(() -> es.count(index) >= acknowledged.get());
      await("every offset committed").atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(committedOffsets(survivorRest, CONNECTOR))
              .isEqualTo(TestTopics.endOffsets(kafka.bootstrapServers(), List.of(TOPIC))));

      long count = es.count(index);
      List<String> ids = es.ids(index);
      Set<String> expected = spanIds(acknowledged.get());
      Set<String> distinct = new HashSet<>(ids);
      long lost = expected.stream().filter(id -> !distinct.contains(id)).count();
      DrillFigures.print("3: Connect worker SIGKILL", String.format("%,d spans at 1,000/s, 4 partitions, 2 tasks on 2 "
              + "workers", SPANS), "SIGKILL of the worker running task 0 after %,d documents".formatted(delivered),
          acknowledged.get(), lost, count - distinct.size(), takeover);
      assertThat(acknowledged.get()).isEqualTo(SPANS);
      assertThat(count).as("documents").isEqualTo(SPANS);
      assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
      assertThat(survivorRest.status(CONNECTOR).failure()).isEmpty();
      survivorRest.delete(CONNECTOR);
    }
  }
}
