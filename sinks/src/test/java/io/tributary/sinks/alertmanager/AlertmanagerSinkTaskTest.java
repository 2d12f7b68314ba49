package io.tributary.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.sinks.ReportingTaskContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task against an HTTP server in the test that answers like Alertmanager's API (status codes
 * chosen per test). The real Alertmanager and a real Connect worker are in {@code AlertmanagerSinkIT}.
 */
class AlertmanagerSinkTaskTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TopicPartition PARTITION = new TopicPartition("telemetry.alerts", 0);
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private HttpServer server;
  private final ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();
  /** Status codes to answer, in order; 200 once empty. */
  private final ConcurrentLinkedDeque<Integer> answers = new ConcurrentLinkedDeque<>();
  private final List<String> reported = new ArrayList<>();
  private final AvroSerde<Alert> serde = AvroSerde.forType(Alert.class, SerdeConfig.getDefault());
  private long offset;
  private final List<AlertmanagerSinkTask> tasks = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        Integer status = answers.poll();
        int code = status == null ? 200 : status;
        if (code == 200) {
          received.add(body);
        }
        byte[] reply = (code == 400 ? "{\"message\":\"invalid label set\"}" : "{}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, reply.length);
        exchange.getResponseBody().write(reply);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    tasks.forEach(AlertmanagerSinkTask::stop);
    server.stop(0);
  }

  @Test
  void shouldPostFiringAlertsWithLabelsAndAValidityOfFourResendIntervals() {
    AlertmanagerSinkTask task = task(Map.of());
    task.put(List.of(record(alert("a1", AlertState.FIRING, NOW))));
    flush(task);
    JsonNode alerts = received.poll();
    assertThat(alerts).hasSize(1);
    JsonNode alert = alerts.get(0);
    assertThat(alert.at("/labels/alertname").asText()).isEqualTo("HighErrorRatio");
    assertThat(alert.at("/labels/service_name").asText()).isEqualTo("checkout");
    assertThat(alert.at("/labels/tenant").asText()).isEqualTo("acme");
    assertThat(alert.at("/annotations/summary").asText()).isEqualTo("errors at 9%");
    assertThat(alert.at("/startsAt").asText()).isEqualTo(NOW.minusSeconds(60).toString());
    assertThat(alert.at("/endsAt").asText()).isEqualTo(NOW.plus(Duration.ofMinutes(4)).toString());
    assertThat(task.firing()).containsOnlyKeys("a1");
  }

  @Test
  void shouldSendResolutionWithEndsAtAndForgetTheAlert() {
    AlertmanagerSinkTask task = task(Map.of());
    task.put(List.of(record(alert("a1", AlertState.FIRING, NOW)), record(alert("a1", AlertState.RESOLVED, NOW))));
    flush(task);
    JsonNode alerts = received.poll();
    assertThat(alerts).as("only the latest state of one alert in a batch").hasSize(1);
    assertThat(alerts.get(0).at("/endsAt").asText()).isEqualTo(NOW.toString());
    assertThat(task.firing()).isEmpty();
  }

  @Test
  void shouldNotSendStaleChangesButRememberWhatFires() {
    AlertmanagerSinkTask task = task(Map.of());
    task.put(List.of(record(alert("old", AlertState.FIRING, NOW.minus(Duration.ofHours(1))))));
    assertThat(flush(task)).as("a record not sent is committed").containsValue(new OffsetAndMetadata(offset));
    assertThat(received).isEmpty();
    assertThat(task.firing()).containsOnlyKeys("old");

    task.resendFiring();
    assertThat(received.poll()).hasSize(1);
  }

  @Test
  void shouldRetryUnavailableAlertmanagerAndDeliverOnce() {
    answers.add(503);
    answers.add(503);
    AlertmanagerSinkTask task = task(Map.of());
    task.put(List.of(record(alert("a1", AlertState.FIRING, NOW))));
    assertThat(flush(task)).containsValue(new OffsetAndMetadata(offset));
    assertThat(received).hasSize(1);
  }

  @Test
  void shouldHandTheBatchBackToConnectWhenAlertmanagerStaysDown() {
    for (int i = 0; i < 10_000; i++) {
      answers.add(503);
    }
    AlertmanagerSinkTask task = task(Map.of("retry.timeout.ms", "300", "flush.timeout.ms", "100"));
    task.put(List.of(record(alert("a1", AlertState.FIRING, NOW))));
    await("handed back").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThatThrownBy(() -> task.put(List.of(record(alert("a2", AlertState.FIRING, NOW)))))
            .isInstanceOf(RetriableException.class).hasMessageContaining("503"));
    assertThat(task.preCommit(Map.of(PARTITION, new OffsetAndMetadata(offset)))).as("nothing undelivered committed")
        .containsExactly(Map.entry(PARTITION, new OffsetAndMetadata(0)));
    assertThat(reported).isEmpty();
  }

  @Test
  void shouldSplitARejectedBatchAndDeadLetterOnlyTheRefusedAlert() {
    answers.add(400); // the batch of two
    answers.add(200); // a1 alone
    answers.add(400); // a2 alone
    AlertmanagerSinkTask task = task(Map.of());
    task.put(List.of(record(alert("a1", AlertState.FIRING, NOW)), record(alert("a2", AlertState.FIRING, NOW))));
    assertThat(flush(task)).containsValue(new OffsetAndMetadata(offset));
    assertThat(received).hasSize(1);
    assertThat(received.poll().get(0).at("/labels/alertname").asText()).isEqualTo("HighErrorRatio");
    assertThat(reported).singleElement().asString().contains("a2", "invalid label set");
  }

  @Test
  void shouldStopTheTaskWhenAlertmanagerRefusesTheCredentialsInsteadOfDeadLetteringEveryAlert() {
    answers.add(401);
    AlertmanagerSinkTask task = task(Map.of("auth.basic.username", "tributary", "auth.basic.password", "wrong"));
    task.put(List.of(record(alert("a1", AlertState.FIRING, NOW)), record(alert("a2", AlertState.FIRING, NOW))));
    await("the task fails").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThatThrownBy(() -> task.put(List.of())).isInstanceOf(ConnectException.class)
            .isNotInstanceOf(RetriableException.class)
            .hasMessageContaining("answered 401").hasMessageContaining("credentials"));
    assertThat(reported).as("nothing dead-lettered").isEmpty();
    assertThat(received).isEmpty();
  }

  @Test
  void shouldStopAWebhookTaskAtAWrongUrlButRetryWhileAnotherTargetIsDown() {
    answers.add(404);
    AlertmanagerSinkTask task = task(Map.of("delivery.mode", "webhook", "webhook.urls", url(),
        "webhook.states", "FIRING"));
    task.put(List.of(record(alert("a1", AlertState.FIRING, NOW))));
    await("the task fails").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThatThrownBy(() -> task.put(List.of())).isInstanceOf(ConnectException.class)
            .hasMessageContaining("answered 404"));
    assertThat(reported).isEmpty();

    // Two targets, one refusing the credentials and one down: a retry (the one down may come back), whose
    // reason names both.
    for (int i = 0; i < 10_000; i++) {
      answers.add(401);
    }
    AlertmanagerSinkTask twoTargets = task(Map.of("alertmanager.urls", url() + ",http://127.0.0.1:1",
        "retry.timeout.ms", "300", "flush.timeout.ms", "100"));
    twoTargets.put(List.of(record(alert("a2", AlertState.FIRING, NOW))));
    await("handed back").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThatThrownBy(() -> twoTargets.put(List.of(record(alert("a3", AlertState.FIRING, NOW)))))
            .isInstanceOf(RetriableException.class)
            .hasMessageContaining("unreachable").hasMessageContaining("answered 401"));
  }

  @Test
  void shouldSendEveryChosenStateChangeInWebhookFormat() {
    AlertmanagerSinkTask task = task(Map.of("delivery.mode", "webhook", "webhook.urls", url(),
        "webhook.states", "PENDING,FIRING"));
    task.put(List.of(record(alert("a1", AlertState.PENDING, NOW)), record(alert("a1", AlertState.FIRING, NOW)),
        record(alert("a1", AlertState.RESOLVED, NOW))));
    flush(task);
    assertThat(received).hasSize(1).first().satisfies(message -> {
      assertThat(message.at("/version").asText()).isEqualTo("4");
      assertThat(message.at("/status").asText()).isEqualTo("firing");
      assertThat(message.at("/alerts/0/fingerprint").asText()).isEqualTo("a1");
    });
  }

  @Test
  void shouldDeadLetterUndecodableRecords() {
    AlertmanagerSinkTask task = task(Map.of());
    task.put(List.of(new SinkRecord("telemetry.alerts", 0, null, null, null, "nope".getBytes(StandardCharsets.UTF_8), offset++)));
    flush(task);
    assertThat(reported).singleElement().asString().contains("telemetry.alerts-0@0", "not a Alert");
    assertThat(received).isEmpty();
  }

  @Test
  void shouldRefuseAConfigurationWithoutAnyTarget() {
    assertThatThrownBy(() -> new AlertmanagerSinkConfig(Map.of("delivery.mode", "webhook")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhook.urls");
    assertThatThrownBy(() -> new AlertmanagerSinkConfig(Map.of("alertmanager.urls", "ftp://x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("alertmanager.urls");
  }

  @Test
  void shouldStillAcceptTheDeprecatedTimeoutName() {
    AlertmanagerSinkConfig config = new AlertmanagerSinkConfig(Map.of("alertmanager.urls", url(),
        "http.timeout.ms", "2500"));
    assertThat(config.httpSettings().connectTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.httpSettings().requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    AlertmanagerSinkConfig both = new AlertmanagerSinkConfig(Map.of("alertmanager.urls", url(),
        "http.timeout.ms", "2500", "http.request.timeout.ms", "7000"));
    assertThat(both.httpSettings().requestTimeout()).isEqualTo(Duration.ofMillis(7000));
  }

  @Test
  void shouldInferAuthenticationFromTheCredentialsSetAsBefore() {
    assertThat(new AlertmanagerSinkConfig(Map.of("alertmanager.urls", url(), "auth.bearer.token", "t"))
        .httpSettings().headers()).containsEntry("Authorization", "Bearer t");
    assertThat(new AlertmanagerSinkConfig(Map.of("alertmanager.urls", url(), "auth.basic.username", "u",
        "auth.basic.password", "p")).httpSettings().headers()).containsEntry("Authorization", "Basic dTpw");
    assertThatThrownBy(() -> new AlertmanagerSinkConfig(Map.of("alertmanager.urls", url(), "auth.bearer.token", "t",
        "auth.basic.username", "u", "auth.basic.password", "p")))
        .isInstanceOf(ConfigException.class).hasMessage(AlertmanagerSinkConfig.AUTH_CONFLICT_ERROR);
  }

  /** Waits for what is in flight (as an offset commit does) and returns the committable offsets. */
  private static Map<TopicPartition, OffsetAndMetadata> flush(AlertmanagerSinkTask task) {
    return task.preCommit(Map.of(PARTITION, new OffsetAndMetadata(0)));
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private AlertmanagerSinkTask task(Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>(Map.of("alertmanager.urls", url(), "resend.interval.ms", "60000",
        "retry.backoff.ms", "10", "retry.backoff.max.ms", "20"));
    props.putAll(overrides);
    AlertmanagerSinkTask task = new AlertmanagerSinkTask(Clock.fixed(NOW, ZoneOffset.UTC));
    task.initialize(new ReportingTaskContext(reported));
    task.start(props);
    tasks.add(task);
    return task;
  }

  private SinkRecord record(Alert alert) {
    byte[] value = serde.serializer().serialize("telemetry.alerts", alert);
    return new SinkRecord("telemetry.alerts", 0, null, alert.getFingerprint(), null, value, offset++);
  }

  private static Alert alert(String fingerprint, AlertState state, Instant evaluatedAt) {
    return Alert.newBuilder()
        .setFingerprint(fingerprint)
        .setTenant("acme")
        .setAlertName("HighErrorRatio")
        .setState(state)
        .setLabels(Map.of("service_name", "checkout", "severity", "page"))
        .setAnnotations(Map.of("summary", "errors at 9%"))
        .setValue(0.09)
        .setActiveAt(evaluatedAt.minusSeconds(120))
        .setFiredAt(state == AlertState.PENDING ? null : evaluatedAt.minusSeconds(60))
        .setResolvedAt(state == AlertState.RESOLVED ? evaluatedAt : null)
        .setEvaluatedAt(evaluatedAt)
        .setSource("spans")
        .build();
  }
}
