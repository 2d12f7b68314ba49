package io.tributary.alerting.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.alerting.AlertRules;
import io.tributary.alerting.AlertingConfig;
import io.tributary.alerting.AlertingStats;
import io.tributary.alerting.AlertingTopics;
import io.tributary.alerting.AlertingTopology;
import io.tributary.testsupport.TestRecords;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.testsupport.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting application as it runs in production (KafkaStreams, exactly-once, a real broker, the
 * repartition topic and changelogged stores): a burst of errors of one service on
 * {@code telemetry.spans} comes out of {@code telemetry.alerts} as PENDING, then FIRING, then RESOLVED
 * once the errors stop; the healthy service raises nothing.
 */
@ExtendWith(SharedKafkaBroker.class)
class AlertingIT {

  private static final String RULES = """
      groups:
        - name: services
          rules:
            - alert: HighErrorRatio
              source: spans
              filter: kind == "SERVER"
              group_by: [service.name]
              window: 2s
              every: 1s
              expr: error_ratio > 0.3
              for: 2s
              labels:
                severity: page
              annotations:
                summary: '{{ $labels.service_name }}: {{ $value | humanizePercentage }} of requests failed'
      """;

  @TempDir Path stateDir;

  @Test
  void shouldRaiseAndResolveAnAlertForABurstOfErrors(EmbeddedKafkaBroker kafka) throws Exception {
    AlertingTopics topics = new AlertingTopics("it.alerting.spans", "it.alerting.logs", "it.alerting.metrics",
        "it.alerting.alerts");
    TestTopics.create(kafka.bootstrapServers(), 1, topics.spans(), topics.alerts());
    // Record time drives the windows: spans are stamped on a timeline of their own, placed a minute
    // before now (the broker rejects timestamps far from its clock) and aligned on the second.
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    produce(kafka, topics.spans(), t0);

    AlertingStats stats = new AlertingStats();
    AlertingConfig config = AlertingConfig.builder().grace(Duration.ofMillis(200)).checkInterval(Duration.ofMillis(100))
        .idleTimeout(Duration.ZERO).partitions(2).build();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, AlertingTopology.APPLICATION_ID + "-it");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    List<Alert> alerts = new ArrayList<>();
    try (KafkaStreams streams = new KafkaStreams(AlertingTopology.build(AlertRules.parse("it-rules.yaml", RULES), topics,
            SerdeConfig.getDefault(), config, stats), props);
        KafkaConsumer<String, Alert> consumer = consumer(kafka)) {
      streams.start();
      consumer.subscribe(List.of(topics.alerts()));
      await("PENDING, FIRING and RESOLVED for checkout").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> alerts.add(r.value()));
        assertThat(alerts).extracting(Alert::getState).contains(AlertState.RESOLVED);
      });
      consumer.poll(Duration.ofMillis(500)).forEach(r -> alerts.add(r.value()));
    }

    assertThat(alerts).extracting(Alert::getState)
        .containsExactly(AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED);
    assertThat(alerts).extracting(Alert::getFingerprint).containsOnly(alerts.get(0).getFingerprint());
    assertThat(alerts).allSatisfy(alert -> {
      assertThat(alert.getLabels()).isEqualTo(Map.of("alertname", "HighErrorRatio", "service_name", "checkout",
          "severity", "page"));
      assertThat(alert.getTenant()).isEqualTo(TestRecords.TENANT);
    });
    Alert pending = alerts.get(0);
    Alert firing = alerts.get(1);
    Alert resolved = alerts.get(2);
    assertThat(pending.getActiveAt()).isEqualTo(t0.plusSeconds(1));
    assertThat(pending.getAnnotations()).isEqualTo(Map.of("summary", "checkout: 50% of requests failed"));
    assertThat(firing.getFiredAt()).isEqualTo(t0.plusSeconds(3));
    assertThat(resolved.getResolvedAt()).isEqualTo(t0.plusSeconds(7));
    assertThat(stats.stateChanges(AlertState.FIRING)).isEqualTo(1);
    assertThat(stats.lateRecordsDropped()).isZero();
  }

  /**
   * Ten batches a second for 12 s: checkout fails half of its requests for the first 6 s, then
   * none; frontend never fails.
   */
  private static void produce(EmbeddedKafkaBroker kafka, String topic, Instant t0) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, Span> producer = new KafkaProducer<>(props, new StringSerializer(),
        AvroSerde.forType(Span.class, SerdeConfig.getDefault()).serializer())) {
      for (int batch = 0; batch < 120; batch++) {
        Instant at = t0.plusMillis(batch * 100L);
        boolean burst = batch < 60;
        for (int i = 0; i < 4; i++) {
          send(producer, topic, TestRecords.span("checkout", burst && i % 2 == 0, at, 30));
          send(producer, topic, TestRecords.span("frontend", false, at, 10));
        }
      }
      producer.flush();
    }
  }

  private static void send(KafkaProducer<String, Span> producer, String topic, Span span) {
    producer.send(new ProducerRecord<>(topic, null, span.getEndTimeUnixNano() / 1_000_000, span.getTraceId(), span));
  }

  private static KafkaConsumer<String, Alert> consumer(EmbeddedKafkaBroker kafka) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "alerting-it-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(),
        AvroSerde.forType(Alert.class, SerdeConfig.getDefault()).deserializer());
  }
}
