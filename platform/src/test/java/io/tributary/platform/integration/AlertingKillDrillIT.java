package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.testsupport.AvroValues;
import io.tributary.testsupport.DrillFigures;
import io.tributary.testsupport.TestRecords;
import io.tributary.testsupport.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 4 (docs/reliability.md): {@code tributary alerting} from the runnable jar, in a JVM of its own, is
 * SIGKILLed while an alert is PENDING (its {@code for:} running), and started again at once with the same
 * state directory, as a Kubernetes restart would. Errors keep arriving meanwhile. On
 * {@code telemetry.alerts} (read committed: what the Alertmanager sink delivers) the alert goes PENDING,
 * FIRING, RESOLVED, each exactly once: it fires once, neither twice nor never, and the firing keeps the
 * pending state's start (the {@code for:} counted across the crash, not restarted).
 */
class AlertingKillDrillIT {

  private static final Path JAR = Path.of("target", "tributary.jar");
  private static final Duration FOR = Duration.ofSeconds(8);
  private static final String RULES = """
      groups:
        - name: drill
          rules:
            - alert: CheckoutErrors
              source: spans
              group_by: [service.name]
              window: 2s
              every: 1s
              expr: error_ratio > 0.3 and count >= 5
              for: %ds
              labels:
                severity: page
      """.formatted(FOR.toSeconds());
  /**
   * A dead instance's partitions move once the broker drops it from the group: after the session timeout
   * (Kafka's default 45 s), shortened here to keep the drill short; recovery time follows it.
   */
  private static final String SESSION_TIMEOUT_MS = "10000";

  @TempDir
  Path temp;

  @Test
  void shouldFireOnceWhenKilledWhileAnAlertIsPending() throws Exception {
    assertThat(JAR).as("the runnable jar, built by the package phase").exists();
    Path rules = Files.writeString(temp.resolve("drill-rules.yaml"), RULES);
    AtomicBoolean failing = new AtomicBoolean(true);
    AtomicInteger acknowledged = new AtomicInteger();
    ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      ProcessorMetricsIT.installTopics(bootstrap);
      try (ExternalServer alerting = ExternalServer.java("tributary-alerting", List.of("-Xmx256m"), "-jar",
              JAR.toAbsolutePath().toString(), "alerting", "--bootstrap-server", bootstrap, "--rules", rules.toString(),
              "--state-dir", "{dir}/state", "--metrics-bind-address", "{host}", "--metrics-port", "{port}",
              "--grace", "2s", "--check-interval", "250ms",
              "--streams-property", "commit.interval.ms=100",
              "--streams-property", "session.timeout.ms=" + SESSION_TIMEOUT_MS)
              .readyUrl("http://{host}:{port}/health/ready")
              .readyTimeout(Duration.ofSeconds(120))
              .build();
          KafkaProducer<byte[], byte[]> producer = TestTopics.producer(bootstrap);
          KafkaConsumer<String, Alert> alerts = committedAlerts(bootstrap)) {
        alerting.start();
        String topic = TopicCatalog.SPANS.name();
        // Four checkout requests every 100 ms, half of them failing while `failing` holds.
        traffic.scheduleAtFixedRate(() -> {
          for (int i = 0; i < 4; i++) {
            var span = TestRecords.span("checkout", failing.get() && i % 2 == 0, Instant.now(), 30);
            producer.send(new ProducerRecord<>(topic, span.getTraceId().getBytes(), AvroValues.singleObject(topic, span)),
                (metadata, e) -> {
                  if (e == null) {
                    acknowledged.incrementAndGet();
                  }
                });
          }
        }, 0, 100, TimeUnit.MILLISECONDS);

        List<Alert> seen = new ArrayList<>();
        await("the alert pending").atMost(Duration.ofSeconds(90))
            .until(() -> poll(alerts, seen).stream().anyMatch(a -> a.getState() == AlertState.PENDING));
        long killedAt = System.nanoTime();
        alerting.kill();
        assertThat(seen).as("killed while pending, before firing").extracting(Alert::getState)
            .doesNotContain(AlertState.FIRING);

        alerting.start();
        await("the alert firing after the restart").atMost(Duration.ofSeconds(120))
            .until(() -> poll(alerts, seen).stream().anyMatch(a -> a.getState() == AlertState.FIRING));
        Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);

        failing.set(false);
        await("the alert resolved once the errors stopped").atMost(Duration.ofSeconds(90))
            .until(() -> poll(alerts, seen).stream().anyMatch(a -> a.getState() == AlertState.RESOLVED));
        traffic.shutdown();

        long firing = seen.stream().filter(a -> a.getState() == AlertState.FIRING).count();
        DrillFigures.print("4: alerting SIGKILL while pending", "40 checkout spans/s, half failing; rule window 2s, "
                + "for " + FOR.toSeconds() + "s", "SIGKILL of `tributary alerting` right after PENDING, restarted at once",
            acknowledged.get(), firing == 0 ? 1 : 0, Math.max(0, seen.size() - 3), recovery);
        assertThat(seen).extracting(Alert::getState)
            .containsExactly(AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED);
        assertThat(seen).extracting(Alert::getFingerprint).containsOnly(seen.get(0).getFingerprint());
        Alert pending = seen.get(0);
        Alert fired = seen.get(1);
        assertThat(fired.getActiveAt()).as("pending since, kept across the crash").isEqualTo(pending.getActiveAt());
        assertThat(Duration.between(fired.getActiveAt(), fired.getFiredAt())).isGreaterThanOrEqualTo(FOR);
      }
    } finally {
      traffic.shutdownNow();
    }
  }

  /** Adds what the alerts topic holds now (committed transactions only) to {@code seen}; returns it. */
  private static List<Alert> poll(KafkaConsumer<String, Alert> consumer, List<Alert> seen) {
    consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
    return seen;
  }

  private static KafkaConsumer<String, Alert> committedAlerts(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "alerting-kill-drill");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        AvroSerde.forType(Alert.class, SerdeConfig.getDefault()).deserializer());
    consumer.subscribe(List.of(TopicCatalog.ALERTS.name()));
    return consumer;
  }
}
