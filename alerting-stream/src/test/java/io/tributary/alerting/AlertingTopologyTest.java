package io.tributary.alerting;

import static io.tributary.testsupport.TestRecords.internalSpan;
import static io.tributary.testsupport.TestRecords.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.testsupport.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every transition of the alert state machine with controlled time: stream time comes from the
 * record timestamps; windows of one minute end on the minute and are evaluated 5 s (the grace)
 * after. INTERNAL spans match no rule and only move stream time ("ticks").
 */
class AlertingTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final AlertingTopics TOPICS = AlertingTopics.defaults();
  private static final AlertingConfig CONFIG = AlertingConfig.builder().grace(Duration.ofSeconds(5))
      .idleTimeout(Duration.ofMinutes(1)).build();

  @TempDir Path stateDir;

  private final AlertingStats stats = new AlertingStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Span> spans;
  private TestOutputTopic<String, Alert> alerts;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldGoPendingAndBackToInactiveWhenTheConditionClearsBeforeFor() {
    start(errorRatioRule("2m", "0s"));

    failures("checkout", T0.plusSeconds(10));
    tick(T0.plusSeconds(65));
    Alert pending = next(AlertState.PENDING);
    assertThat(pending.getActiveAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(pending.getEvaluatedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(pending.getValue()).isEqualTo(1.0);
    assertThat(pending.getLabels()).isEqualTo(Map.of("alertname", "HighErrorRatio", "service_name", "checkout",
        "severity", "page"));
    assertThat(pending.getAnnotations()).isEqualTo(Map.of("summary", "checkout fails 100% of requests"));
    assertThat(pending.getTenant()).isEqualTo(TestRecords.TENANT);
    assertThat(pending.getSource()).isEqualTo("spans");

    successes("checkout", T0.plusSeconds(70));
    tick(T0.plusSeconds(125));
    Alert inactive = next(AlertState.INACTIVE);
    assertThat(inactive.getFingerprint()).isEqualTo(pending.getFingerprint());
    assertThat(inactive.getActiveAt()).isNull();
    assertThat(inactive.getValue()).isEqualTo(0.0);
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void shouldFireOnceTheConditionHeldForFor() {
    start(errorRatioRule("2m", "0s"));

    failures("checkout", T0.plusSeconds(10));
    tick(T0.plusSeconds(65));
    assertThat(next(AlertState.PENDING).getActiveAt()).isEqualTo(T0.plusSeconds(60));
    failures("checkout", T0.plusSeconds(70));
    tick(T0.plusSeconds(125));
    assertThat(alerts.isEmpty()).as("still pending after 1 of 2 minutes").isTrue();
    failures("checkout", T0.plusSeconds(130));
    tick(T0.plusSeconds(185));

    Alert firing = next(AlertState.FIRING);
    assertThat(firing.getActiveAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(firing.getFiredAt()).isEqualTo(T0.plusSeconds(180));
    assertThat(firing.getResolvedAt()).isNull();
    assertThat(stats.stateChanges(AlertState.FIRING)).isEqualTo(1);
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void shouldResolveWhenTheConditionStopsHolding() {
    start(errorRatioRule("0s", "0s"));

    failures("checkout", T0.plusSeconds(10));
    tick(T0.plusSeconds(65));
    Alert firing = next(AlertState.FIRING);
    assertThat(firing.getActiveAt()).isEqualTo(firing.getFiredAt()).isEqualTo(T0.plusSeconds(60));
    successes("checkout", T0.plusSeconds(70));
    tick(T0.plusSeconds(125));

    Alert resolved = next(AlertState.RESOLVED);
    assertThat(resolved.getFingerprint()).isEqualTo(firing.getFingerprint());
    assertThat(resolved.getFiredAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(resolved.getResolvedAt()).isEqualTo(T0.plusSeconds(120));
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepFiringForKeepFiringForThenResolve() {
    start(errorRatioRule("0s", "2m"));

    failures("checkout", T0.plusSeconds(10));
    tick(T0.plusSeconds(65));
    next(AlertState.FIRING);
    successes("checkout", T0.plusSeconds(70));
    tick(T0.plusSeconds(125));
    assertThat(alerts.isEmpty()).as("kept firing 1 minute after the condition cleared").isTrue();
    successes("checkout", T0.plusSeconds(130));
    tick(T0.plusSeconds(185));

    assertThat(next(AlertState.RESOLVED).getResolvedAt()).isEqualTo(T0.plusSeconds(180));
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void shouldResolveAGroupWhoseDataStopped() {
    start(errorRatioRule("0s", "0s"));

    failures("checkout", T0.plusSeconds(10));
    tick(T0.plusSeconds(65));
    next(AlertState.FIRING);
    tick(T0.plusSeconds(125)); // checkout sends nothing more: its window is empty, error_ratio NaN

    assertThat(next(AlertState.RESOLVED).getResolvedAt()).isEqualTo(T0.plusSeconds(120));
    assertThat(entries(AlertingTopology.GROUP_STORE)).as("the inactive group without data is forgotten").isZero();
    assertThat(entries(AlertingTopology.PANE_STORE)).as("and its panes").isZero();
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void shouldResolveOnTheWallClockWhenEveryInputStops() {
    start(errorRatioRule("0s", "0s"));

    failures("checkout", T0.plusSeconds(10));
    tick(T0.plusSeconds(65));
    next(AlertState.FIRING);
    driver.advanceWallClockTime(Duration.ofSeconds(1)); // stream time seen standing at T0+65s
    driver.advanceWallClockTime(Duration.ofSeconds(30));
    assertThat(alerts.isEmpty()).as("within the idle timeout, nothing moves").isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(31)); // idle 61 s: the clock moves to T0+126s

    assertThat(next(AlertState.RESOLVED).getResolvedAt()).isEqualTo(T0.plusSeconds(120));
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void shouldCountLateRecordsWithinTheGrace() {
    start(countRule());

    spans.pipeInput("t", span("checkout", false, T0.plusSeconds(10), 5), T0.plusSeconds(10));
    spans.pipeInput("t", span("checkout", false, T0.plusSeconds(20), 5), T0.plusSeconds(20));
    tick(T0.plusSeconds(62)); // the window [T0, T0+60s) is closed but within its grace
    spans.pipeInput("t", span("checkout", false, T0.plusSeconds(50), 5), T0.plusSeconds(50));
    tick(T0.plusSeconds(65));

    Alert firing = next(AlertState.FIRING);
    assertThat(firing.getValue()).isEqualTo(3.0);
    assertThat(stats.lateRecordsDropped()).isZero();
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void shouldDropRecordsLaterThanTheGrace() {
    start(countRule());

    spans.pipeInput("t", span("checkout", false, T0.plusSeconds(10), 5), T0.plusSeconds(10));
    spans.pipeInput("t", span("checkout", false, T0.plusSeconds(20), 5), T0.plusSeconds(20));
    tick(T0.plusSeconds(66)); // the window [T0, T0+60s) is evaluated: 2 spans, no alert
    spans.pipeInput("t", span("checkout", false, T0.plusSeconds(50), 5), T0.plusSeconds(50));
    tick(T0.plusSeconds(125));

    assertThat(stats.lateRecordsDropped()).isEqualTo(1);
    assertThat(stats.evaluations()).as("the group was forgotten after its only window: nothing more to evaluate")
        .isEqualTo(1);
    assertThat(alerts.isEmpty()).as("the late span counted nowhere").isTrue();
  }

  @Test
  void shouldNeitherRestartPendingNorFireTwiceAfterARestartInTheMiddleOfFor() {
    AlertRules rules = errorRatioRule("2m", "0s");
    start(rules);
    failures("checkout", T0.plusSeconds(10));
    tick(T0.plusSeconds(65));
    Alert pending = next(AlertState.PENDING);
    failures("checkout", T0.plusSeconds(70));
    tick(T0.plusSeconds(125));
    assertThat(alerts.isEmpty()).isTrue();

    // A restart on another instance: the stores are rebuilt from their changelogs, the clock from the input.
    // (TopologyTestDriver.close() wipes its state directory, so the new driver gets the changelogs replayed.)
    List<TestRecord<Bytes, byte[]>> groups = changelog(AlertingTopology.GROUP_STORE);
    List<TestRecord<Bytes, byte[]>> panes = changelog(AlertingTopology.PANE_STORE);
    driver.close();
    driver = null;
    start(rules);
    restore(AlertingTopology.GROUP_STORE, groups);
    restore(AlertingTopology.PANE_STORE, panes);

    failures("checkout", T0.plusSeconds(130));
    tick(T0.plusSeconds(185));
    Alert firing = next(AlertState.FIRING);
    assertThat(firing.getFingerprint()).isEqualTo(pending.getFingerprint());
    assertThat(firing.getActiveAt()).as("pending since before the restart").isEqualTo(T0.plusSeconds(60));
    assertThat(firing.getFiredAt()).isEqualTo(T0.plusSeconds(180));
    failures("checkout", T0.plusSeconds(190));
    tick(T0.plusSeconds(245));
    assertThat(alerts.isEmpty()).as("still firing: nothing more to say").isTrue();
  }

  @Test
  void shouldComputeQuantilesFromTheSketch() {
    start(AlertRules.parse("latency.yaml", """
        groups:
          - name: latency
            rules:
              - alert: SlowCheckout
                source: spans
                group_by: [service.name]
                window: 1m
                expr: p95(duration_ms) > 90
                annotations:
                  summary: 'p95 {{ $value | printf "%.1f" }} ms, median {{ $labels.service_name }}'
        """));

    for (int ms = 1; ms <= 100; ms++) {
      spans.pipeInput("t", span("checkout", false, T0.plusMillis(ms * 100L), ms), T0.plusMillis(ms * 100L));
    }
    tick(T0.plusSeconds(65));

    Alert firing = next(AlertState.FIRING);
    assertThat(firing.getValue()).isCloseTo(95.0, within(95.0 * 0.01));
    assertThat(firing.getAnnotations().get("summary")).matches("p95 9[45]\\.\\d ms, median checkout");
    assertThat(alerts.isEmpty()).isTrue();
  }

  /** Rules name any attribute: the GenAI conventions' current time to first chunk beside the older name. */
  @Test
  void shouldAlertOnTheCurrentAndTheOlderTimeToFirstTokenAttribute() {
    start(AlertRules.parse("llm.yaml", """
        groups:
          - name: llm
            rules:
              - alert: SlowFirstToken
                source: spans
                group_by: [service.name]
                window: 1m
                expr: p95(gen_ai.response.time_to_first_chunk) > 2 or p95(gen_ai.server.time_to_first_token) > 2
        """));

    for (int i = 1; i <= 20; i++) {
      Instant at = T0.plusSeconds(i);
      spans.pipeInput("t", span("current-sdk", false, at, 10, "gen_ai.response.time_to_first_chunk", 2.5), at);
      spans.pipeInput("t", span("older-sdk", false, at, 10, "gen_ai.server.time_to_first_token", 3.0), at);
      spans.pipeInput("t", span("fast", false, at, 10, "gen_ai.response.time_to_first_chunk", 0.5,
          "gen_ai.server.time_to_first_token", 0.5), at);
    }
    tick(T0.plusSeconds(65));

    List<Alert> written = alerts.readValuesToList();
    assertThat(written).extracting(a -> a.getLabels().get("service_name"), Alert::getState).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("current-sdk", AlertState.FIRING),
        org.assertj.core.groups.Tuple.tuple("older-sdk", AlertState.FIRING));
    assertThat(written).filteredOn(a -> a.getLabels().get("service_name").equals("current-sdk"))
        .singleElement().extracting(Alert::getValue).satisfies(v -> assertThat(v).isCloseTo(2.5, within(0.03)));
    assertThat(written).filteredOn(a -> a.getLabels().get("service_name").equals("older-sdk"))
        .singleElement().extracting(Alert::getValue).satisfies(v -> assertThat(v).isCloseTo(3.0, within(0.03)));
  }

  @Test
  void shouldEvaluateLogAndMetricRulesPerGroup() {
    start(AlertRules.shipped());
    TestInputTopic<String, LogRecord> logs = driver.createInputTopic(TOPICS.logs(), new StringSerializer(),
        AvroSerde.forType(LogRecord.class, SerdeConfig.getDefault()).serializer());
    TestInputTopic<String, MetricPoint> metrics = driver.createInputTopic(TOPICS.metrics(), new StringSerializer(),
        AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault()).serializer());

    for (int i = 0; i < 60; i++) {
      Instant at = T0.plusMillis(i * 500L);
      logs.pipeInput("t", TestRecords.log("payment", 17, at), at);
      logs.pipeInput("t", TestRecords.log("inventory", i < 30 ? 17 : 9, at), at);
    }
    for (int s = 0; s < 600; s += 10) {
      Instant at = T0.plusSeconds(s);
      metrics.pipeInput("t", TestRecords.gauge("llm-gateway", "process.memory.utilization", 0.8, at), at);
      metrics.pipeInput("t", TestRecords.gauge("recommendation", "process.memory.utilization", 0.7, at), at);
    }

    List<Alert> written = alerts.readValuesToList();
    assertThat(written).filteredOn(a -> a.getAlertName().equals("ErrorLogBurst"))
        .extracting(a -> a.getLabels().get("service_name"), Alert::getState)
        .startsWith(org.assertj.core.groups.Tuple.tuple("payment", AlertState.FIRING));
    assertThat(written).filteredOn(a -> a.getAlertName().equals("ErrorLogBurst"))
        .noneMatch(a -> a.getLabels().get("service_name").equals("inventory"));
    assertThat(written).filteredOn(a -> a.getAlertName().equals("HighMemoryUtilization"))
        .extracting(a -> a.getLabels().get("service_name"), Alert::getState)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("llm-gateway", AlertState.PENDING),
            org.assertj.core.groups.Tuple.tuple("llm-gateway", AlertState.FIRING));
  }

  private static AlertRules errorRatioRule(String forDuration, String keepFiringFor) {
    return AlertRules.parse("errors.yaml", """
        groups:
          - name: web
            rules:
              - alert: HighErrorRatio
                source: spans
                filter: kind == "SERVER"
                group_by: [service.name]
                window: 1m
                every: 1m
                expr: error_ratio > 0.5
                for: %s
                keep_firing_for: %s
                labels:
                  severity: page
                annotations:
                  summary: '{{ $labels.service_name }} fails {{ $value | humanizePercentage }} of requests'
        """.formatted(forDuration, keepFiringFor));
  }

  private static AlertRules countRule() {
    return AlertRules.parse("count.yaml", """
        groups:
          - name: web
            rules:
              - alert: Busy
                source: spans
                filter: kind == "SERVER"
                group_by: [service.name]
                window: 1m
                expr: count >= 3
        """);
  }

  private void start(AlertRules rules) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, AlertingTopology.APPLICATION_ID);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(AlertingTopology.build(rules, TOPICS, SerdeConfig.getDefault(), CONFIG, stats), props,
        T0);
    spans = driver.createInputTopic(TOPICS.spans(), new StringSerializer(),
        AvroSerde.forType(Span.class, SerdeConfig.getDefault()).serializer());
    alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(),
        AvroSerde.forType(Alert.class, SerdeConfig.getDefault()).deserializer());
  }

  /** Four failing SERVER spans of {@code service} at {@code at}. */
  private void failures(String service, Instant at) {
    for (int i = 0; i < 4; i++) {
      spans.pipeInput("t", span(service, true, at, 20), at);
    }
  }

  private void successes(String service, Instant at) {
    for (int i = 0; i < 4; i++) {
      spans.pipeInput("t", span(service, false, at, 20), at);
    }
  }

  /** Moves stream time to {@code at} with a span no rule reads. */
  private void tick(Instant at) {
    spans.pipeInput("t", internalSpan("ticker", at), at);
  }

  private Alert next(AlertState state) {
    assertThat(alerts.isEmpty()).as("an alert in state %s", state).isFalse();
    TestRecord<String, Alert> record = alerts.readRecord();
    assertThat(record.value().getState()).isEqualTo(state);
    assertThat(record.key()).isEqualTo(record.value().getFingerprint()).matches("[0-9a-f]{16}");
    assertThat(record.getRecordTime()).isEqualTo(record.value().getEvaluatedAt());
    return record.value();
  }

  private long entries(String store) {
    try (var all = driver.<Bytes, byte[]>getKeyValueStore(store).all()) {
      long n = 0;
      while (all.hasNext()) {
        all.next();
        n++;
      }
      return n;
    }
  }

  private List<TestRecord<Bytes, byte[]>> changelog(String store) {
    TestOutputTopic<byte[], byte[]> topic = driver.createOutputTopic(
        AlertingTopology.APPLICATION_ID + "-" + store + "-changelog", new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    return topic.readRecordsToList().stream()
        .map(r -> new TestRecord<>(Bytes.wrap(r.key()), r.value(), r.getRecordTime())).toList();
  }

  private void restore(String store, List<TestRecord<Bytes, byte[]>> changelog) {
    KeyValueStore<Bytes, byte[]> kv = driver.getKeyValueStore(store);
    for (TestRecord<Bytes, byte[]> record : changelog) {
      if (record.value() == null) {
        kv.delete(record.key());
      } else {
        kv.put(record.key(), record.value());
      }
    }
  }
}
