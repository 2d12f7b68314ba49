package io.tributary.sinks.integration;

import static io.tributary.sinks.MetricPoints.T0;
import static io.tributary.sinks.MetricPoints.gauge;
import static io.tributary.sinks.MetricPoints.resource;
import static io.tributary.sinks.integration.ConnectSupport.utf8;
import static io.tributary.testsupport.AvroValues.kv;
import static io.tributary.testsupport.AvroValues.singleObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.PromQl;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import io.tributary.sinks.remotewrite.PrometheusRemoteWriteSinkConnector;
import io.tributary.testsupport.TestConnect;
import io.tributary.testsupport.TestTopics;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prometheus and VictoriaMetrics both go down for 30 s while points keep arriving, then come
 * back: every sample is in both stores exactly once (counts and sums match), nothing was
 * dead-lettered (a re-sent old sample would be refused by Prometheus as out of order), and the
 * tasks never failed.
 */
@ExtendWith(SharedKafkaBroker.class)
class RemoteWriteStoreOutageIT {

  private static final String CONNECTOR = PrometheusRemoteWriteSinkConnector.class.getName();
  private static final int SERIES = 20;
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void shouldLoseAndDuplicateNothingWhenTheStoresAreDownForThirtySeconds(EmbeddedKafkaBroker broker) throws Exception {
    ExternalServer prometheus = RequiredBackend.get(() -> ExternalServer.prometheus().build());
    // A request in flight when the store stops may be stored without its answer reaching the sink,
    // which then sends it again (remote_write is at-least-once). Prometheus drops such identical
    // samples; VictoriaMetrics keeps both unless deduplication is on, as its docs advise for senders
    // that retry. The assertions below then prove that no sample was lost and none was doubled.
    ExternalServer victoria = RequiredBackend.get(() -> ExternalServer.victoriaMetrics()
        .args("-retentionPeriod=100y", "-dedup.minScrapeInterval=1ms").build());
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (prometheus; victoria; EmbeddedConnectWorker worker = TestConnect.startWorker(broker.bootstrapServers(), "outage-it",
        Duration.ofSeconds(1))) {
      prometheus.start();
      victoria.start();
      ConnectRestClient connect = worker.client();
      String topic = ConnectSupport.createTopic(broker, "metrics-outage", 4);
      for (ExternalServer store : List.of(prometheus, victoria)) {
        Map<String, String> config = ConnectSupport.connectorBase(CONNECTOR, topic, topic + "-" + store.name() + "-dlq");
        config.put("remote.write.url", store.baseUrl().resolve("/api/v1/write").toString());
        config.put("tasks.max", "2");
        // Short, so the tasks also hand batches back to Connect (retriable) during the outage.
        config.put("retry.timeout.ms", "5000");
        connect.putConnector("outage-" + store.name(), config);
        connect.awaitRunning("outage-" + store.name(), 2, Duration.ofSeconds(60));
      }

      Resource resource = resource(null, "outage", "outage-1");
      AtomicInteger rounds = new AtomicInteger();
      try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(broker.bootstrapServers())) {
        // One round: one point per series, 100 ms of metric time apart; ten rounds a second.
        load.scheduleAtFixedRate(() -> {
          int round = rounds.get();
          for (int s = 0; s < SERIES; s++) {
            MetricPoint p = gauge(resource, "outage.load", null, T0.plusMillis(100L * round), round,
                kv("series", "s" + s));
            producer.send(new ProducerRecord<>(topic, utf8("s" + s), singleObject(topic, p)));
          }
          rounds.incrementAndGet();
        }, 0, 100, TimeUnit.MILLISECONDS);

        await("samples flow into both stores").atMost(TIMEOUT).until(() -> rounds.get() > 30
            && count(prometheus.baseUrl()) > 0 && count(victoria.baseUrl()) > 0);

        prometheus.stop();
        victoria.stop();
        Instant down = Instant.now();
        int roundsAtOutage = rounds.get();
        await("the stores stay down for " + OUTAGE + " while load continues and no task fails")
            .atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
              for (ExternalServer store : List.of(prometheus, victoria)) {
                assertThat(connect.status("outage-" + store.name()).failure()).isEmpty();
              }
              return Duration.between(down, Instant.now()).compareTo(OUTAGE) >= 0;
            });
        assertThat(rounds.get() - roundsAtOutage).as("rounds produced during the outage").isGreaterThan(200);

        prometheus.start();
        victoria.start();
        int roundsAtRestart = rounds.get();
        await("load goes on after the restart").atMost(TIMEOUT).until(() -> rounds.get() > roundsAtRestart + 30);
        load.shutdown();
        assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        producer.flush();
      }

      int total = rounds.get();
      Instant end = T0.plusMillis(100L * total);
      for (ExternalServer store : List.of(prometheus, victoria)) {
        URI base = store.baseUrl();
        await(store.name() + " holds every sample").atMost(TIMEOUT).untilAsserted(() ->
            assertThat(count(base, end)).as("samples in %s (log: %s)", store.name(), store.logTail(5))
                .isEqualTo((double) SERIES * total));
        assertThat(PromQl.value(base, "min(count_over_time(outage_load[1h]))", end)).isEqualTo(total);
        assertThat(PromQl.value(base, "max(count_over_time(outage_load[1h]))", end)).isEqualTo(total);
        assertThat(PromQl.value(base, "sum(sum_over_time(outage_load[1h]))", end))
            .isEqualTo((double) SERIES * total * (total - 1) / 2);
        assertThat(connect.status("outage-" + store.name()).isRunning(2)).isTrue();
        assertThat(ConnectSupport.awaitDeadLetters(broker, topic + "-" + store.name() + "-dlq", 0,
            Duration.ofSeconds(5))).as("dead-lettered samples").isEmpty();
      }
    } finally {
      load.shutdownNow();
    }
  }

  private static double count(URI base) {
    return count(base, T0.plusSeconds(3600));
  }

  private static double count(URI base, Instant at) {
    double v = PromQl.value(base, "sum(count_over_time(outage_load[1h]))", at);
    return Double.isNaN(v) ? 0 : v;
  }
}
