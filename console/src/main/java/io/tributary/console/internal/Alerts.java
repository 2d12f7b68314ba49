package io.tributary.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Firing and pending alerts: the alerting stream writes one record per state change to
 * {@code telemetry.alerts}, which the Elasticsearch sink stores; an alert's latest change says
 * where it stands now.
 */
final class Alerts {

  /** How far back state changes are read: an alert firing for longer shows since when it fires. */
  static final Duration HISTORY = Duration.ofDays(30);
  private static final int MAX_CHANGES = 10_000;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Elasticsearch es;

  Alerts(Elasticsearch es) {
    this.es = es;
  }

  ObjectNode active(String tenant, Instant now) {
    ArrayNode filters = JSON.arrayNode();
    Traces.tenantFilter(filters, tenant);
    filters.addObject().putObject("range").putObject("@timestamp").put("gte", now.minus(HISTORY).toString());
    ObjectNode body = JSON.objectNode().put("size", MAX_CHANGES).put("track_total_hits", false);
    body.putObject("query").putObject("bool").set("filter", filters);
    body.putArray("sort").addObject().put("@timestamp", "desc");
    ObjectNode result = JSON.objectNode();
    ArrayNode alerts = result.putArray("alerts");
    Set<String> seen = new HashSet<>();
    for (JsonNode hit : es.search(Elasticsearch.ALERTS, body).at("/hits/hits")) {
      JsonNode change = hit.path("_source");
      if (!seen.add(change.path("tenant").asText() + "/" + change.path("fingerprint").asText())) {
        continue;
      }
      String state = change.path("state").asText();
      if (!"firing".equals(state) && !"pending".equals(state)) {
        continue;
      }
      ObjectNode alert = alerts.addObject()
          .put("alert_name", change.path("alert_name").asText())
          .put("state", state)
          .put("since", "firing".equals(state) ? change.path("fired_at").asText("") : change.path("active_at").asText(""))
          .put("evaluated_at", change.path("@timestamp").asText())
          .put("source", change.path("source").asText(""))
          .put("tenant", change.path("tenant").asText(""));
      if (change.path("value").isNumber()) {
        alert.put("value", change.path("value").asDouble());
      }
      alert.set("labels", change.path("labels").isObject() ? change.path("labels") : JSON.objectNode());
      alert.set("annotations", change.path("annotations").isObject() ? change.path("annotations") : JSON.objectNode());
    }
    return result;
  }
}
