package io.tributary.sinks.alertmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Alert records as JSON: Alertmanager's API v2 alert objects, and Alertmanager's webhook message
 * format for plain webhooks (so receivers written for Alertmanager understand it).
 */
final class AlertPayloads {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<String> tenantLabel;
  private final Duration validFor;

  /**
   * @param tenantLabel the label carrying the tenant, if any
   * @param validFor how long a firing alert stays valid without being sent again (endsAt = now + this)
   */
  AlertPayloads(Optional<String> tenantLabel, Duration validFor) {
    this.tenantLabel = tenantLabel;
    this.validFor = validFor;
  }

  /** {@code POST /api/v2/alerts} body for these alerts, as of {@code now}. */
  String alertmanagerBody(Collection<Alert> alerts, Instant now) {
    ArrayNode array = JSON.createArrayNode();
    alerts.forEach(a -> array.add(alertmanagerAlert(a, now)));
    return array.toString();
  }

  ObjectNode alertmanagerAlert(Alert alert, Instant now) {
    ObjectNode node = JSON.createObjectNode();
    node.set("labels", labels(alert));
    node.set("annotations", map(alert.getAnnotations()));
    node.put("startsAt", startsAt(alert).toString());
    node.put("endsAt", endsAt(alert, now).toString());
    if (alert.getGeneratorURL() != null) {
      node.put("generatorURL", alert.getGeneratorURL());
    }
    return node;
  }

  /** One state change in Alertmanager's webhook format (version 4). */
  String webhookBody(Alert alert, Instant now) {
    ObjectNode one = alertmanagerAlert(alert, now);
    String status = status(alert);
    one.put("status", status);
    one.put("fingerprint", alert.getFingerprint());
    ObjectNode message = JSON.createObjectNode();
    message.put("version", "4");
    message.put("groupKey", alert.getFingerprint());
    message.put("truncatedAlerts", 0);
    message.put("status", status);
    message.put("receiver", "tributary");
    message.set("groupLabels", labels(alert));
    message.set("commonLabels", labels(alert));
    message.set("commonAnnotations", map(alert.getAnnotations()));
    message.put("externalURL", "");
    message.set("alerts", JSON.createArrayNode().add(one));
    return message.toString();
  }

  private ObjectNode labels(Alert alert) {
    ObjectNode labels = map(alert.getLabels());
    labels.put("alertname", alert.getAlertName());
    tenantLabel.ifPresent(label -> labels.put(label, alert.getTenant()));
    return labels;
  }

  private static ObjectNode map(Map<String, String> values) {
    ObjectNode node = JSON.createObjectNode();
    if (values != null) {
      values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> node.put(e.getKey(), e.getValue()));
    }
    return node;
  }

  private static String status(Alert alert) {
    return switch (alert.getState()) {
      case FIRING -> "firing";
      case RESOLVED, INACTIVE -> "resolved";
      case PENDING -> "pending";
    };
  }

  private static Instant startsAt(Alert alert) {
    if (alert.getFiredAt() != null) {
      return alert.getFiredAt();
    }
    return alert.getActiveAt() != null ? alert.getActiveAt() : alert.getEvaluatedAt();
  }

  private Instant endsAt(Alert alert, Instant now) {
    if (alert.getState() == AlertState.FIRING || alert.getState() == AlertState.PENDING) {
      return now.plus(validFor);
    }
    return alert.getResolvedAt() != null ? alert.getResolvedAt() : alert.getEvaluatedAt();
  }

  static String describe(Alert alert) {
    return alert.getAlertName() + " " + alert.getState().name().toLowerCase(Locale.ROOT) + " (" + alert.getFingerprint() + ")";
  }
}
