package io.tributary.sinks.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.sinks.alertmanager.AlertmanagerSinkConnector;
import io.tributary.testsupport.AvroValues;
import io.tributary.testsupport.TestConnect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Alertmanager sink in a real Connect worker against a real Alertmanager 0.25 that notifies a
 * webhook receiver of the test: one firing notification after group_wait however often the sink
 * re-sends the alert, a resolved one once the alert resolves, and a poison record dead-lettered
 * without stopping the sink; with Alertmanager's basic authentication on, the sink's credentials
 * are sent, and refused ones stop the task (nothing dead-lettered).
 */
@ExtendWith(SharedKafkaBroker.class)
class AlertmanagerSinkIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH_USER = "tributary";
  private static final String AUTH_PASSWORD = "tributary-secret";
  /** bcrypt of {@link #AUTH_PASSWORD} (cost 10), as Alertmanager's web.config.file wants it. */
  private static final String AUTH_PASSWORD_BCRYPT = "$2b$10$u40Z/nz5PdZFH6i7Ga4Yo.YQtmJOOlZOlgPQ1FGSHBPIdrXSKbSz.";

  @Test
  void shouldNotifyOnceWhileFiringAndOnceResolved(EmbeddedKafkaBroker broker) throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        ExternalServer alertmanager = RequiredBackend.get(() -> ExternalServer.alertmanager("""
            route:
              receiver: test
              group_by: ['alertname', 'service_name']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: test
                webhook_configs:
                  - url: %s
                    send_resolved: true
            """.formatted(receiver.url())).build()).start();
        EmbeddedConnectWorker worker = TestConnect.startWorker(broker.bootstrapServers(), "alertmanager-it",
            Duration.ofSeconds(1))) {
      String topic = ConnectSupport.createTopic(broker, "alerts", 1);
      String dlq = topic + "-dlq";
      Map<String, String> config = ConnectSupport.connectorBase(AlertmanagerSinkConnector.class.getName(), topic, dlq);
      config.put("alertmanager.urls", alertmanager.baseUrl().toString());
      config.put("resend.interval.ms", "1000");
      ConnectRestClient client = worker.client();
      client.putConnector("alertmanager", config);
      client.awaitRunning("alertmanager", 1, Duration.ofSeconds(60));

      Instant firedAt = Instant.now();
      send(broker, topic, alert(AlertState.FIRING, firedAt));
      await("a firing notification after group_wait").atMost(Duration.ofSeconds(30))
          .until(() -> receiver.withStatus("firing").size() == 1);
      JsonNode firing = receiver.withStatus("firing").get(0);
      assertThat(firing.at("/alerts/0/labels/alertname").asText()).isEqualTo("HighErrorRatio");
      assertThat(firing.at("/alerts/0/labels/service_name").asText()).isEqualTo("checkout");
      assertThat(firing.at("/alerts/0/labels/tenant").asText()).isEqualTo("acme");
      assertThat(firing.at("/alerts/0/annotations/summary").asText()).isEqualTo("9% of checkout spans fail");
      assertThat(activeAlerts(alertmanager)).singleElement()
          .satisfies(a -> assertThat(a.at("/labels/alertname").asText()).isEqualTo("HighErrorRatio"));

      // The sink re-sends the firing alert every second; Alertmanager must not notify again.
      await("re-sends do not notify again").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
          .until(() -> receiver.withStatus("firing").size() == 1 && receiver.withStatus("resolved").isEmpty());

      ConnectSupport.send(broker, topic, List.of(ConnectSupport.utf8("x")), List.of(ConnectSupport.utf8("not avro")));
      send(broker, topic, alert(AlertState.RESOLVED, Instant.now()));
      await("a resolved notification").atMost(Duration.ofSeconds(30))
          .until(() -> receiver.withStatus("resolved").size() == 1);
      assertThat(receiver.withStatus("firing")).hasSize(1);
      assertThat(activeAlerts(alertmanager)).isEmpty();
      assertThat(ConnectSupport.awaitDeadLetters(broker, dlq, 1, Duration.ofSeconds(30))).singleElement()
          .satisfies(letter -> assertThat(letter.reason()).contains("not a Alert record"));
      assertThat(client.status("alertmanager").isRunning(1)).isTrue();
    }
  }

  @Test
  void shouldSendCredentialsAndStopTheTaskWhenAlertmanagerRefusesThem(EmbeddedKafkaBroker broker) throws Exception {
    String authorization = "Basic " + Base64.getEncoder().encodeToString(
        (AUTH_USER + ":" + AUTH_PASSWORD).getBytes(StandardCharsets.UTF_8));
    try (ExternalServer alertmanager = RequiredBackend.get(() -> ExternalServer.alertmanager("""
            route:
              receiver: none
            receivers:
              - name: none
            """)
            // Alertmanager's own basic authentication (web.config.file), on every endpoint.
            .file("web.yml", "basic_auth_users:\n  " + AUTH_USER + ": " + AUTH_PASSWORD_BCRYPT + "\n")
            .args("--web.config.file={dir}/web.yml")
            .readyHeader("Authorization", authorization)
            .build()).start();
        EmbeddedConnectWorker worker = TestConnect.startWorker(broker.bootstrapServers(), "alertmanager-auth-it",
            Duration.ofSeconds(1))) {
      String topic = ConnectSupport.createTopic(broker, "alerts-auth", 1);
      String dlq = topic + "-dlq";
      send(broker, topic, alert(AlertState.FIRING, Instant.now()));
      ConnectRestClient client = worker.client();

      Map<String, String> wrong = ConnectSupport.connectorBase(AlertmanagerSinkConnector.class.getName(), topic, dlq);
      wrong.put("alertmanager.urls", alertmanager.baseUrl().toString());
      wrong.put("auth.basic.username", AUTH_USER);
      wrong.put("auth.basic.password", "not-the-password");
      client.putConnector("alertmanager-wrong-password", wrong);
      await("the task fails with Alertmanager's answer").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(client.status("alertmanager-wrong-password").failure()).hasValueSatisfying(trace ->
              assertThat(trace).contains("answered 401").contains("credentials")));
      client.delete("alertmanager-wrong-password");

      Map<String, String> right = new java.util.HashMap<>(wrong);
      right.put("auth.basic.password", AUTH_PASSWORD);
      client.putConnector("alertmanager-auth", right);
      await("the alert in Alertmanager").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(activeAlerts(alertmanager, authorization)).singleElement()
              .satisfies(a -> assertThat(a.at("/labels/alertname").asText()).isEqualTo("HighErrorRatio")));
      assertThat(client.status("alertmanager-auth").isRunning(1)).isTrue();
    }
  }

  private static List<JsonNode> activeAlerts(ExternalServer alertmanager) throws Exception {
    return activeAlerts(alertmanager, null);
  }

  private static List<JsonNode> activeAlerts(ExternalServer alertmanager, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create(alertmanager.baseUrl() + "api/v2/alerts?active=true&silenced=false&inhibited=false"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    List<JsonNode> alerts = new java.util.ArrayList<>();
    JSON.readTree(response.body()).forEach(a -> {
      if ("active".equals(a.at("/status/state").asText())) {
        alerts.add(a);
      }
    });
    return alerts;
  }

  private static void send(EmbeddedKafkaBroker broker, String topic, Alert alert) {
    ConnectSupport.send(broker, topic, List.of(ConnectSupport.utf8(alert.getFingerprint())),
        List.of(AvroValues.singleObject(topic, alert)));
  }

  private static Alert alert(AlertState state, Instant at) {
    return Alert.newBuilder()
        .setFingerprint("0123456789abcdef")
        .setTenant("acme")
        .setAlertName("HighErrorRatio")
        .setState(state)
        .setLabels(Map.of("service_name", "checkout", "severity", "page"))
        .setAnnotations(Map.of("summary", "9% of checkout spans fail"))
        .setValue(0.09)
        .setActiveAt(at.minusSeconds(300))
        .setFiredAt(state == AlertState.FIRING || state == AlertState.RESOLVED ? at.minusSeconds(1) : null)
        .setResolvedAt(state == AlertState.RESOLVED ? at : null)
        .setEvaluatedAt(at)
        .setSource("spans")
        .build();
  }
}
