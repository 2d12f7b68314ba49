package io.tributary.sinks.elasticsearch.integration;

import static io.tributary.sinks.elasticsearch.TestTelemetry.T0;
import static io.tributary.sinks.elasticsearch.TestTelemetry.spanId;
import static io.tributary.sinks.elasticsearch.TestTelemetry.traceId;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.committedOffsets;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.connectorConfig;
import static io.tributary.testsupport.AvroValues.singleObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.elasticsearch.EsHttp;
import io.tributary.embedded.junit.SharedElasticsearch;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.sinks.elasticsearch.TestTelemetry;
import io.tributary.testsupport.TestConnect;
import io.tributary.testsupport.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Elasticsearch goes down for 30 s while spans keep arriving, then comes back: every span is in
 * Elasticsearch exactly once and the connector never failed. Stops and restarts the JVM's shared
 * node (on the same port and data), so the other ITs keep using it.
 */
@ExtendWith({SharedKafkaBroker.class, SharedElasticsearch.class})
class ElasticsearchOutageIT {

  private static final String TOPIC = "outage.spans";
  /** 10 spans every 100 ms: 100 spans/s; 3 000 spans make the 30 s outage. */
  private static final int SPANS_PER_TICK = 10;
  private static final int OUTAGE_SPANS = 3_000;

  @Test
  void shouldDeliverEverySpanExactlyOnceAcrossAThirtySecondOutage(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) throws Exception {
    TestTopics.create(kafka.bootstrapServers(), 3, TOPIC);
    EsHttp es = new EsHttp(elasticsearch.httpUrl());
    AtomicInteger sent = new AtomicInteger();
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (EmbeddedConnectWorker worker = TestConnect.startWorker(kafka.bootstrapServers(), "es-outage-it",
            Duration.ofMillis(1000));
        KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      ConnectRestClient connect = worker.client();
      Map<String, String> config = connectorConfig(elasticsearch, "outage", TOPIC + ":spans");
      config.put("tasks.max", "2");
      // Short timeouts so the outage also exercises handing records back to Connect.
      config.put("retry.timeout.ms", "5000");
      config.put("retry.backoff.max.ms", "2000");
      config.put("read.timeout.ms", "10000");
      config.put("connection.timeout.ms", "1000");
      connect.putConnector("es-outage", config);
      connect.awaitRunning("es-outage", 2, Duration.ofSeconds(60));

      load.scheduleAtFixedRate(() -> {
        for (int i = 0; i < SPANS_PER_TICK; i++) {
          int n = sent.getAndIncrement();
          String traceId = traceId(n / 10);
          producer.send(new ProducerRecord<>(TOPIC, traceId.getBytes(), singleObject(TOPIC,
              TestTelemetry.span("acme", traceId, spanId(n), "op", T0 + n, 1_000))));
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      await("spans flowing into Elasticsearch").atMost(Duration.ofSeconds(60))
          .until(() -> es.count("traces-outage-acme") >= 100);

      elasticsearch.stop();
      try {
        int sentAtStop = sent.get();
        await("30 s of spans sent while Elasticsearch is down, the connector never failing")
            .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
            .until(() -> {
              assertThat(connect.status("es-outage").failure()).as("a failed task").isEmpty();
              return sent.get() >= sentAtStop + OUTAGE_SPANS;
            });
      } finally {
        elasticsearch.start();
      }
      await("load stopped").atMost(Duration.ofSeconds(10)).until(() -> {
        load.shutdown();
        return load.awaitTermination(1, TimeUnit.SECONDS);
      });
      producer.flush();
      int total = sent.get();

      await("every span written after the outage").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
          .until(() -> es.count("traces-outage-acme") >= total);
      await("every offset committed").atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(committedOffsets(connect, "es-outage"))
              .isEqualTo(TestTopics.endOffsets(kafka.bootstrapServers(), List.of(TOPIC))));

      assertThat(es.count("traces-outage-acme")).isEqualTo(total);
      List<String> ids = es.ids("traces-outage-acme");
      Set<String> expected = IntStream.range(0, total).mapToObj(n -> traceId(n / 10) + spanId(n))
          .collect(Collectors.toSet());
      assertThat(ids).doesNotHaveDuplicates().hasSize(total).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(connect.status("es-outage").isRunning(2)).isTrue();
      connect.delete("es-outage");
    } finally {
      load.shutdownNow();
    }
  }
}
