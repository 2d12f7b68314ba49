package io.tributary.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * LLM tokens, cost and time to first token per model and service over time, from the stored LLM
 * spans (attributes under the GenAI conventions' current and older names). Stored spans are the
 * ones sampling kept, so these are the kept calls; exact totals before sampling are the
 * {@code gen_ai.client.token.usage} and {@code tributary.llm.cost_usd} metrics.
 */
final class LlmUsage {

  /** Points per chart, about. */
  private static final int BUCKETS = 60;
  private static final int MAX_SPANS = 10_000;
  private static final String[] MODEL = {"gen_ai.response.model", "gen_ai.request.model"};
  private static final String[] INPUT = {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"};
  private static final String[] OUTPUT = {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"};
  /** Seconds, under the current name and the older one. */
  private static final String[] TTFT = {"gen_ai.response.time_to_first_chunk", "gen_ai.server.time_to_first_token"};
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Elasticsearch es;

  LlmUsage(Elasticsearch es) {
    this.es = es;
  }

  ObjectNode usage(QueryParams params, String tenant, Instant now) {
    Instant[] range = params.timeRange(now);
    long step = Math.max(10, Duration.between(range[0], range[1]).toSeconds() / BUCKETS);
    long first = range[0].getEpochSecond() / step * step;
    int buckets = (int) ((range[1].getEpochSecond() - first) / step) + 1;

    ArrayNode filters = JSON.arrayNode();
    Traces.tenantFilter(filters, tenant);
    filters.addObject().putObject("range").putObject("@timestamp")
        .put("gte", range[0].toString()).put("lte", range[1].toString());
    ObjectNode body = JSON.objectNode().put("size", MAX_SPANS).put("track_total_hits", false);
    ObjectNode bool = body.putObject("query").putObject("bool");
    bool.set("filter", filters);
    ArrayNode should = bool.putArray("should");
    ArrayNode source = body.putArray("_source").add("@timestamp").add("service.name");
    for (String[] names : new String[][] {MODEL, INPUT, OUTPUT, TTFT, {Traces.COST_ATTRIBUTE}}) {
      for (String name : names) {
        source.add("attributes." + name);
        if (names != MODEL && names != TTFT) {
          should.addObject().putObject("exists").put("field", "attributes." + name);
        }
      }
    }
    bool.put("minimum_should_match", 1);
    body.putArray("sort").addObject().put("@timestamp", "desc");

    Map<String, double[]> inputByModel = new TreeMap<>();
    Map<String, double[]> outputByModel = new TreeMap<>();
    Map<String, double[]> costByModel = new TreeMap<>();
    Map<String, double[]> costByService = new TreeMap<>();
    Map<String, double[]> tokensByService = new TreeMap<>();
    List<List<Double>> ttftPerBucket = new ArrayList<>();
    for (int i = 0; i < buckets; i++) {
      ttftPerBucket.add(new ArrayList<>());
    }
    Map<String, Totals> totals = new TreeMap<>();
    int calls = 0;
    for (JsonNode hit : es.search(Elasticsearch.TRACES, body).at("/hits/hits")) {
      JsonNode span = hit.path("_source");
      long seconds = Traces.epochNanos(span.path("@timestamp").asText()) / 1_000_000_000L;
      int b = (int) ((seconds - first) / step);
      if (b < 0 || b >= buckets) {
        continue;
      }
      calls++;
      String model = text(span, MODEL, "unknown model");
      String service = Traces.serviceName(span);
      double in = number(span, INPUT);
      double out = number(span, OUTPUT);
      double cost = Traces.cost(span);
      add(inputByModel, model, buckets, b, in);
      add(outputByModel, model, buckets, b, out);
      add(costByModel, model, buckets, b, cost);
      add(costByService, service, buckets, b, cost);
      add(tokensByService, service, buckets, b, in + out);
      Totals t = totals.computeIfAbsent(model, k -> new Totals());
      t.calls++;
      t.input += in;
      t.output += out;
      t.cost += cost;
      double ttft = number(span, TTFT);
      if (ttft > 0) {
        ttftPerBucket.get(b).add(ttft * 1000);
        t.ttftMs.add(ttft * 1000);
      }
    }
    ObjectNode result = JSON.objectNode().put("step_seconds", step).put("calls", calls);
    ArrayNode timestamps = result.putArray("timestamps");
    for (int i = 0; i < buckets; i++) {
      timestamps.add(first + i * step);
    }
    ArrayNode charts = result.putArray("charts");
    chart(charts, "cost-by-model", "Cost per model", "USD", costByModel);
    chart(charts, "cost-by-service", "Cost per service", "USD", costByService);
    chart(charts, "input-tokens-by-model", "Input tokens per model", "tokens", inputByModel);
    chart(charts, "output-tokens-by-model", "Output tokens per model", "tokens", outputByModel);
    chart(charts, "tokens-by-service", "Tokens per service", "tokens", tokensByService);
    Map<String, double[]> ttft = new TreeMap<>();
    double[] p50 = new double[buckets];
    double[] p95 = new double[buckets];
    for (int i = 0; i < buckets; i++) {
      p50[i] = quantile(ttftPerBucket.get(i), 0.5);
      p95[i] = quantile(ttftPerBucket.get(i), 0.95);
    }
    ttft.put("p50", p50);
    ttft.put("p95", p95);
    chart(charts, "ttft", "Time to first token", "ms", ttft);
    ArrayNode models = result.putArray("models");
    totals.forEach((model, t) -> models.addObject().put("model", model).put("calls", t.calls)
        .put("input_tokens", (long) t.input).put("output_tokens", (long) t.output).put("cost_usd", t.cost)
        .put("ttft_p50_ms", quantile(t.ttftMs, 0.5)).put("ttft_p95_ms", quantile(t.ttftMs, 0.95)));
    return result;
  }

  private static final class Totals {
    int calls;
    double input;
    double output;
    double cost;
    final List<Double> ttftMs = new ArrayList<>();
  }

  private static void add(Map<String, double[]> series, String key, int buckets, int bucket, double value) {
    series.computeIfAbsent(key, k -> new double[buckets])[bucket] += value;
  }

  /** Nearest-rank quantile; NaN (a gap in the chart) when there is nothing. */
  static double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static void chart(ArrayNode charts, String id, String title, String unit, Map<String, double[]> series) {
    ObjectNode chart = charts.addObject().put("id", id).put("title", title).put("unit", unit);
    ArrayNode lines = chart.putArray("series");
    series.forEach((name, values) -> {
      ArrayNode points = lines.addObject().put("name", name).putArray("values");
      for (double v : values) {
        if (Double.isNaN(v)) {
          points.addNull();
        } else {
          points.add(v);
        }
      }
    });
  }

  private static JsonNode attribute(JsonNode span, String name) {
    JsonNode attributes = span.path("attributes");
    JsonNode value = attributes.path(name);
    return value.isMissingNode() ? attributes.at("/" + name.replace('.', '/')) : value;
  }

  private static String text(JsonNode span, String[] names, String fallback) {
    for (String name : names) {
      JsonNode value = attribute(span, name);
      if (value.isValueNode() && !value.asText().isEmpty()) {
        return value.asText();
      }
    }
    return fallback;
  }

  private static double number(JsonNode span, String[] names) {
    for (String name : names) {
      JsonNode value = attribute(span, name);
      if (value.isNumber()) {
        return value.asDouble();
      }
      if (value.isTextual()) {
        try {
          return Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
          // not a number: try the next name
        }
      }
    }
    return 0;
  }
}
