package io.tributary.sinks.elasticsearch.internal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.schemas.Signal;
import java.io.IOException;
import java.io.StringReader;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The composable index templates the sink installs before its first write, one per signal, each
 * with {@code data_stream: {}} so a bulk {@code create} into {@code traces-tributary-acme} creates
 * that data stream. The mappings are fixed ({@code dynamic: false}), so no record can add fields
 * or cause a mapping conflict:
 * <ul>
 *   <li>first-class fields (ids, names, service.name, kind, status, severity, times, duration,
 *       values) have their own types: keyword, long, double, date_nanos;</li>
 *   <li>attributes ({@code attributes}, {@code resource.attributes}, {@code scope.attributes},
 *       event and link attributes, alert labels and annotations, structured log bodies) are one
 *       {@code flattened} field each: every key stays searchable as a keyword
 *       ({@code attributes.http.route: "/checkout"}) whatever the number of distinct keys, at the
 *       cost of numeric range queries on attribute values; values over {@value #IGNORE_ABOVE}
 *       characters are kept in {@code _source} but not indexed;</li>
 *   <li>histogram buckets, quantiles and exemplars are stored, not indexed.</li>
 * </ul>
 */
public final class IndexTemplates {

  static final int IGNORE_ABOVE = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataStreamNames names;
  private final int priority;
  private final int shards;
  private final OptionalInt replicas;

  public IndexTemplates(DataStreamNames names, int priority, int shards, OptionalInt replicas) {
    this.names = names;
    this.priority = priority;
    this.shards = shards;
    this.replicas = replicas;
  }

  /** Template name -> body, for the given signals. */
  public Map<String, String> templates(Set<Signal> signals) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Signal s : EnumSet.copyOf(signals)) {
      out.put(name(s), body(s));
    }
    return out;
  }

  /** Installs (or replaces) the templates of {@code signals}; existing data streams keep their mappings until rollover. */
  public void install(ElasticsearchClient client, Set<Signal> signals) throws IOException {
    for (Map.Entry<String, String> t : templates(signals).entrySet()) {
      client.indices().putIndexTemplate(r -> r.name(t.getKey()).withJson(new StringReader(t.getValue())));
    }
  }

  /** The template's name, e.g. {@code traces-tributary}. */
  public String name(Signal s) {
    return names.pattern(s).substring(0, names.pattern(s).length() - 2);
  }

  String body(Signal s) {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("index_patterns").add(names.pattern(s));
    root.putObject("data_stream");
    root.put("priority", priority);
    root.putObject("_meta")
        .put("description", "Tributary " + s.recordsName() + " (installed by the Elasticsearch sink)")
        .put("managed_by", "tributary");
    ObjectNode template = root.putObject("template");
    ObjectNode index = template.putObject("settings").putObject("index");
    index.put("number_of_shards", shards);
    replicas.ifPresent(r -> index.put("number_of_replicas", r));
    ObjectNode mappings = template.putObject("mappings");
    mappings.put("dynamic", false);
    ObjectNode p = mappings.putObject("properties");
    switch (s) {
      case TRACES -> spans(p);
      case LOGS -> logs(p);
      case METRICS -> metrics(p);
      case ALERTS -> alerts(p);
    }
    return root.toString();
  }

  private static void spans(ObjectNode p) {
    common(p, "date_nanos");
    type(p, "end_timestamp", "date_nanos");
    type(p, "duration", "long");
    keyword(p, "trace_id", "span_id", "parent_span_id", "name", "kind", "sampling_policy");
    notIndexed(p, "trace_state");
    ObjectNode status = object(p, "status");
    keyword(status, "code");
    type(status, "message", "text");
    ObjectNode events = object(p, "events");
    type(events, "timestamp", "date_nanos");
    keyword(events, "name");
    flattened(events, "attributes");
    ObjectNode links = object(p, "links");
    keyword(links, "trace_id", "span_id");
    flattened(links, "attributes");
    type(p, "flags", "long");
  }

  private static void logs(ObjectNode p) {
    common(p, "date_nanos");
    type(p, "observed_timestamp", "date_nanos");
    type(p, "severity_number", "integer");
    keyword(p, "severity_text", "trace_id", "span_id", "event_name");
    ObjectNode body = object(p, "body");
    type(body, "text", "text");
    flattened(body, "structured");
  }

  private static void metrics(ObjectNode p) {
    common(p, "date_nanos");
    type(p, "start_timestamp", "date_nanos");
    keyword(p, "series_id", "name", "unit", "type", "temporality", "value_text");
    notIndexed(p, "description");
    type(p, "monotonic", "boolean");
    type(p, "no_recorded_value", "boolean");
    type(p, "value", "double");
    type(p, "count", "long");
    type(p, "sum", "double");
    type(p, "min", "double");
    type(p, "max", "double");
    for (String stored : new String[] {"histogram", "exponential_histogram", "quantiles", "exemplars"}) {
      p.putObject(stored).put("type", "object").put("enabled", false);
    }
  }

  private static void alerts(ObjectNode p) {
    type(p, "@timestamp", "date");
    keyword(p, "tenant", "fingerprint", "alert_name", "state", "source", "value_text");
    notIndexed(p, "generator_url");
    type(p, "value", "double");
    type(p, "active_at", "date");
    type(p, "fired_at", "date");
    type(p, "resolved_at", "date");
    flattened(p, "labels");
    flattened(p, "annotations");
  }

  /** Fields every span, log and metric document has. */
  private static void common(ObjectNode p, String timestampType) {
    type(p, "@timestamp", timestampType);
    keyword(p, "tenant");
    keyword(object(p, "service"), "name");
    flattened(p, "attributes");
    ObjectNode resource = object(p, "resource");
    flattened(resource, "attributes");
    notIndexed(resource, "schema_url");
    ObjectNode scope = object(p, "scope");
    keyword(scope, "name", "version");
    flattened(scope, "attributes");
  }

  private static ObjectNode object(ObjectNode p, String name) {
    return p.putObject(name).putObject("properties");
  }

  private static void type(ObjectNode p, String name, String type) {
    p.putObject(name).put("type", type);
  }

  private static void keyword(ObjectNode p, String... fields) {
    for (String f : fields) {
      p.putObject(f).put("type", "keyword").put("ignore_above", IGNORE_ABOVE);
    }
  }

  private static void notIndexed(ObjectNode p, String name) {
    p.putObject(name).put("type", "keyword").put("index", false).put("doc_values", false);
  }

  private static void flattened(ObjectNode p, String name) {
    p.putObject(name).put("type", "flattened").put("ignore_above", IGNORE_ABOVE);
  }
}
