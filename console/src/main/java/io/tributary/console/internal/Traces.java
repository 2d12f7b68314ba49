package io.tributary.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Trace search and the trace view, over the spans and logs the Elasticsearch sink writes. A search
 * finds the spans matching every filter, newest first, and summarizes the traces they belong to;
 * the LLM cost filter applies to a span's cost attribute, read from the documents because
 * attributes are keyword-only ({@code flattened}) in the index.
 */
final class Traces {

  static final String COST_ATTRIBUTE = "tributary.llm.cost_usd";
  static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern STATUS = Pattern.compile("OK|ERROR|UNSET");
  /** Matching spans read per search: enough for the traces of a page even when spans cluster. */
  private static final int MATCHING_SPANS = 1000;
  /** Spans read per trace view (and per page of search results). */
  static final int MAX_SPANS = 10_000;
  private static final int MAX_LOGS = 500;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Elasticsearch es;

  Traces(Elasticsearch es) {
    this.es = es;
  }

  /** The search: the filters in {@code params}, the tenant's data only (null: every tenant). */
  ObjectNode search(QueryParams params, String tenant, Instant now) {
    Instant[] range = params.timeRange(now);
    int limit = params.limit("limit", 20, 100);
    ArrayNode filters = JSON.arrayNode();
    tenantFilter(filters, tenant);
    filters.addObject().putObject("range").putObject("@timestamp")
        .put("gte", range[0].toString()).put("lte", range[1].toString());
    params.string("service").ifPresent(s -> term(filters, "service.name", s));
    params.string("operation").ifPresent(s -> term(filters, "name", s));
    params.string("status").map(s -> s.toUpperCase(java.util.Locale.ROOT)).ifPresent(s -> {
      if (!STATUS.matcher(s).matches()) {
        throw new QueryParams.BadParameter("status", s, "OK, ERROR or UNSET");
      }
      // The sink writes status codes in lowercase (error, ok, unset).
      term(filters, "status.code", s.toLowerCase(java.util.Locale.ROOT));
    });
    ObjectNode duration = JSON.objectNode();
    params.number("min_duration_ms").ifPresent(ms -> duration.put("gte", (long) (ms * 1_000_000)));
    params.number("max_duration_ms").ifPresent(ms -> duration.put("lte", (long) (ms * 1_000_000)));
    if (!duration.isEmpty()) {
      filters.addObject().putObject("range").set("duration", duration);
    }
    params.string("attribute").ifPresent(a -> {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new QueryParams.BadParameter("attribute", a, "key=value, e.g. gen_ai.request.model=gpt-4o");
      }
      term(filters, "attributes." + a.substring(0, eq).trim(), a.substring(eq + 1).trim());
    });
    Double minCost = params.number("min_cost").orElse(null);
    if (minCost != null) {
      filters.addObject().putObject("exists").put("field", "attributes." + COST_ATTRIBUTE);
    }
    ObjectNode body = JSON.objectNode().put("size", MATCHING_SPANS).put("track_total_hits", false);
    body.putObject("query").putObject("bool").set("filter", filters);
    body.putArray("sort").addObject().put("@timestamp", "desc");
    body.putArray("_source").add("trace_id").add("attributes." + COST_ATTRIBUTE);
    Set<String> traceIds = new java.util.LinkedHashSet<>();
    for (JsonNode hit : es.search(Elasticsearch.TRACES, body).at("/hits/hits")) {
      JsonNode source = hit.path("_source");
      if (minCost != null && cost(source) < minCost) {
        continue;
      }
      traceIds.add(source.path("trace_id").asText());
      if (traceIds.size() == limit) {
        break;
      }
    }
    ObjectNode result = JSON.objectNode();
    ArrayNode traces = result.putArray("traces");
    if (!traceIds.isEmpty()) {
      Map<String, List<JsonNode>> spans = spansOf(traceIds, tenant);
      for (String id : traceIds) {
        traces.add(summary(id, spans.getOrDefault(id, List.of())));
      }
    }
    return result;
  }

  private Map<String, List<JsonNode>> spansOf(Set<String> traceIds, String tenant) {
    ArrayNode filters = JSON.arrayNode();
    tenantFilter(filters, tenant);
    ArrayNode ids = filters.addObject().putObject("terms").putArray("trace_id");
    traceIds.forEach(ids::add);
    ObjectNode body = JSON.objectNode().put("size", MAX_SPANS).put("track_total_hits", false);
    body.putObject("query").putObject("bool").set("filter", filters);
    body.putArray("_source").add("trace_id").add("span_id").add("parent_span_id").add("name")
        .add("service.name").add("@timestamp").add("duration").add("status.code").add("attributes." + COST_ATTRIBUTE);
    Map<String, List<JsonNode>> byTrace = new HashMap<>();
    for (JsonNode hit : es.search(Elasticsearch.TRACES, body).at("/hits/hits")) {
      byTrace.computeIfAbsent(hit.at("/_source/trace_id").asText(), k -> new ArrayList<>()).add(hit.path("_source"));
    }
    return byTrace;
  }

  private static ObjectNode summary(String traceId, List<JsonNode> spans) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    double cost = 0;
    JsonNode root = null;
    Set<String> services = new TreeSet<>();
    Set<String> spanIds = new java.util.HashSet<>();
    spans.forEach(s -> spanIds.add(s.path("span_id").asText()));
    for (JsonNode span : spans) {
      long s = epochNanos(span.path("@timestamp").asText());
      start = Math.min(start, s);
      end = Math.max(end, s + span.path("duration").asLong());
      if ("error".equalsIgnoreCase(span.at("/status/code").asText())) {
        errors++;
      }
      cost += cost(span);
      services.add(serviceName(span));
      boolean isRoot = !spanIds.contains(span.path("parent_span_id").asText());
      if (isRoot && (root == null || s < epochNanos(root.path("@timestamp").asText()))) {
        root = span;
      }
    }
    ObjectNode summary = JSON.objectNode().put("trace_id", traceId);
    if (root != null) {
      summary.put("root_service", serviceName(root)).put("root_name", root.path("name").asText());
      summary.put("start_ms", start / 1e6).put("duration_ms", (end - start) / 1e6);
    }
    summary.put("spans", spans.size()).put("errors", errors).put("cost_usd", cost);
    ArrayNode names = summary.putArray("services");
    services.forEach(names::add);
    return summary;
  }

  /** The trace's spans depth-first (children by start time) with their depth, and its logs; null if none. */
  ObjectNode trace(String traceId, String tenant) {
    if (!TRACE_ID.matcher(traceId).matches()) {
      throw new QueryParams.BadParameter("trace id", traceId, "32 lowercase hex characters");
    }
    ArrayNode filters = JSON.arrayNode();
    tenantFilter(filters, tenant);
    term(filters, "trace_id", traceId);
    ObjectNode body = JSON.objectNode().put("size", MAX_SPANS);
    body.putObject("query").putObject("bool").set("filter", filters.deepCopy());
    body.putArray("sort").addObject().put("@timestamp", "asc");
    List<JsonNode> spans = new ArrayList<>();
    es.search(Elasticsearch.TRACES, body).at("/hits/hits").forEach(hit -> spans.add(hit.path("_source")));
    if (spans.isEmpty()) {
      return null;
    }
    ObjectNode trace = JSON.objectNode().put("trace_id", traceId);
    long start = spans.stream().mapToLong(s -> epochNanos(s.path("@timestamp").asText())).min().orElse(0);
    long end = spans.stream().mapToLong(s -> epochNanos(s.path("@timestamp").asText()) + s.path("duration").asLong())
        .max().orElse(start);
    trace.put("start_ms", start / 1e6).put("duration_ms", (end - start) / 1e6);
    ArrayNode out = trace.putArray("spans");
    Map<String, List<JsonNode>> children = new LinkedHashMap<>();
    Set<String> ids = new java.util.HashSet<>();
    spans.forEach(s -> ids.add(s.path("span_id").asText()));
    List<JsonNode> roots = new ArrayList<>();
    for (JsonNode span : spans) {
      String parent = span.path("parent_span_id").asText("");
      if (parent.isEmpty() || !ids.contains(parent)) {
        roots.add(span);
      } else {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(span);
      }
    }
    Comparator<JsonNode> byStart = Comparator.comparingLong(s -> epochNanos(s.path("@timestamp").asText()));
    roots.sort(byStart);
    children.values().forEach(list -> list.sort(byStart));
    for (JsonNode root : roots) {
      addDepthFirst(out, root, 0, children, byStart);
    }
    ArrayNode logs = trace.putArray("logs");
    ObjectNode logQuery = JSON.objectNode().put("size", MAX_LOGS);
    logQuery.putObject("query").putObject("bool").set("filter", filters);
    logQuery.putArray("sort").addObject().put("@timestamp", "asc");
    es.search(Elasticsearch.LOGS, logQuery).at("/hits/hits").forEach(hit -> {
      JsonNode log = hit.path("_source");
      ObjectNode entry = logs.addObject().put("time_ms", epochNanos(log.path("@timestamp").asText()) / 1e6)
          .put("severity", log.path("severity_text").asText(""))
          .put("span_id", log.path("span_id").asText(""))
          .put("service", serviceName(log));
      JsonNode text = log.at("/body/text");
      entry.put("body", text.isMissingNode() ? log.at("/body/structured").toString() : text.asText());
      entry.set("attributes", log.path("attributes"));
    });
    return trace;
  }

  private static void addDepthFirst(ArrayNode out, JsonNode span, int depth, Map<String, List<JsonNode>> children,
      Comparator<JsonNode> byStart) {
    long start = epochNanos(span.path("@timestamp").asText());
    ObjectNode s = out.addObject()
        .put("span_id", span.path("span_id").asText())
        .put("parent_span_id", span.path("parent_span_id").asText(""))
        .put("depth", depth)
        .put("name", span.path("name").asText())
        .put("service", serviceName(span))
        .put("kind", span.path("kind").asText(""))
        .put("status", span.at("/status/code").asText("unset").toUpperCase(java.util.Locale.ROOT))
        .put("status_message", span.at("/status/message").asText(""))
        .put("start_ms", start / 1e6)
        .put("duration_ms", span.path("duration").asLong() / 1e6)
        .put("sampling_policy", span.path("sampling_policy").asText(""));
    s.set("attributes", span.path("attributes"));
    s.set("resource", span.at("/resource/attributes"));
    ArrayNode events = s.putArray("events");
    span.path("events").forEach(e -> events.addObject()
        .put("time_ms", epochNanos(e.path("timestamp").asText()) / 1e6)
        .put("name", e.path("name").asText())
        .set("attributes", e.path("attributes")));
    for (JsonNode child : children.getOrDefault(span.path("span_id").asText(), List.of())) {
      addDepthFirst(out, child, depth + 1, children, byStart);
    }
  }

  static void tenantFilter(ArrayNode filters, String tenant) {
    if (tenant != null) {
      term(filters, "tenant", tenant);
    }
  }

  static void term(ArrayNode filters, String field, String value) {
    filters.addObject().putObject("term").put(field, value);
  }

  static String serviceName(JsonNode doc) {
    JsonNode dotted = doc.path("service.name");
    return dotted.isMissingNode() ? doc.at("/service/name").asText("") : dotted.asText("");
  }

  static double cost(JsonNode source) {
    JsonNode attributes = source.path("attributes");
    JsonNode value = attributes.path(COST_ATTRIBUTE);
    if (value.isMissingNode()) {
      // _source filtering may return the dotted key as nested objects.
      value = attributes.at("/" + COST_ATTRIBUTE.replace('.', '/'));
    }
    return value.isNumber() ? value.asDouble() : value.isTextual() ? parse(value.asText()) : 0;
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static long epochNanos(String iso) {
    if (iso == null || iso.isEmpty()) {
      return 0;
    }
    Instant instant = Instant.parse(iso);
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
