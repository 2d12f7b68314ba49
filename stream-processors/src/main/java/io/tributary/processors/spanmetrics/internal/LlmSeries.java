package io.tributary.processors.spanmetrics.internal;

import io.tributary.processors.enrich.GenAiAttributes;
import io.tributary.processors.spanmetrics.SpanDimension;
import io.tributary.processors.spanmetrics.SpanMetrics;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.StatusCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The LLM series counted from spans with token counts, before sampling: the token usage histogram
 * of the GenAI conventions per token type, and the cost the enrich step wrote. The series key is
 * (tenant, service.name, provider, operation, request model, response model, series), series one of
 * {@code input}, {@code output}, {@code cost}.
 */
public final class LlmSeries {

  /** Bucket bounds of {@code gen_ai.client.token.usage} the GenAI conventions advise. */
  public static final double[] TOKEN_BOUNDS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
      16777216, 67108864};
  static final String TOKEN_TYPE = "gen_ai.token.type";
  static final String SERIES = "series";
  static final String INPUT = "input";
  static final String OUTPUT = "output";
  static final String COST = "cost";
  private static final String[] LABELS = {GenAiAttributes.PROVIDER_NAME, GenAiAttributes.OPERATION_NAME,
      GenAiAttributes.REQUEST_MODEL, GenAiAttributes.RESPONSE_MODEL};

  private LlmSeries() {}

  /**
   * What the spans of one request add: each LLM call's input and output tokens and its cost, read from
   * {@code costAttribute} (a number in US dollars).
   */
  public static Aggregation.Observations<List<Span>> observer(String costAttribute) {
    return (request, out) -> {
      for (int i = 0; i < request.size(); i++) {
        observe(request.get(i), costAttribute, out);
      }
    };
  }

  private static void observe(Span span, String costAttribute, Aggregation.Observer out) {
    List<KeyValue> attributes = span.getAttributes();
    Long input = tokens(attributes, GenAiAttributes.INPUT_TOKENS, GenAiAttributes.PROMPT_TOKENS);
    Long output = tokens(attributes, GenAiAttributes.OUTPUT_TOKENS, GenAiAttributes.COMPLETION_TOKENS);
    if (input == null && output == null) {
      return; // not an LLM call
    }
    String service = SeriesKey.text(SeriesKey.attribute(span.getResource().getAttributes(),
        SpanDimension.SERVICE_NAME.key()));
    String provider = label(attributes, GenAiAttributes.PROVIDER_NAME);
    String[] key = {SpanDimension.SERVICE_NAME.key(), service == null ? "" : service,
        GenAiAttributes.PROVIDER_NAME, provider.isEmpty() ? label(attributes, GenAiAttributes.SYSTEM) : provider,
        GenAiAttributes.OPERATION_NAME, label(attributes, GenAiAttributes.OPERATION_NAME),
        GenAiAttributes.REQUEST_MODEL, label(attributes, GenAiAttributes.REQUEST_MODEL),
        GenAiAttributes.RESPONSE_MODEL, label(attributes, GenAiAttributes.RESPONSE_MODEL), SERIES, null};
    boolean error = span.getStatus().getCode() == StatusCode.ERROR;
    if (input != null) {
      out.add(key(span, key, INPUT), input, error);
    }
    if (output != null) {
      out.add(key(span, key, OUTPUT), output, error);
    }
    Object cost = SeriesKey.attribute(attributes, costAttribute);
    if (cost instanceof Double || cost instanceof Long) {
      out.add(key(span, key, COST), ((Number) cost).doubleValue(), error);
    }
  }

  private static String key(Span span, String[] key, String series) {
    key[key.length - 1] = series;
    return SeriesKey.encode(span.getTenant(), key);
  }

  /** The current name's count, else the older name's. */
  private static Long tokens(List<KeyValue> attributes, String current, String older) {
    Long tokens = GenAiAttributes.tokenCount(SeriesKey.attribute(attributes, current));
    return tokens != null ? tokens : GenAiAttributes.tokenCount(SeriesKey.attribute(attributes, older));
  }

  private static String label(List<KeyValue> attributes, String key) {
    String text = SeriesKey.text(SeriesKey.attribute(attributes, key));
    return text == null ? "" : text;
  }

  /** The points of one series; none for a key that is not an LLM series'. */
  public static List<MetricPoint> points(SeriesKey series, SeriesState state, long timeMs, double[] bounds) {
    String service = series.value(SpanDimension.SERVICE_NAME.key());
    String kind = series.value(SERIES);
    if (service == null || kind == null) {
      return List.of();
    }
    List<KeyValue> resource = service.isEmpty() ? List.of()
        : List.of(new KeyValue(SpanDimension.SERVICE_NAME.key(), new AnyValue(service)));
    List<KeyValue> attributes = new ArrayList<>(LABELS.length + 1);
    for (String label : LABELS) {
      String value = series.value(label);
      if (value != null && !value.isEmpty()) { // as in Prometheus, where an empty label is no label
        attributes.add(new KeyValue(label, new AnyValue(value)));
      }
    }
    SpanCounts counts = state.counts();
    return switch (kind) {
      case INPUT, OUTPUT -> {
        attributes.add(new KeyValue(TOKEN_TYPE, new AnyValue(kind)));
        HistogramValue histogram = SpanMetricPoints.histogram(counts, bounds);
        yield histogram == null ? List.of() : List.of(SpanMetricPoints.point(SpanMetrics.SCOPE_NAME, series.tenant(),
            resource, attributes, state, timeMs, SpanMetrics.TOKEN_USAGE_METRIC,
            "Input and output tokens of LLM calls, before sampling", "{token}", MetricType.HISTOGRAM, null, histogram));
      }
      case COST -> List.of(SpanMetricPoints.point(SpanMetrics.SCOPE_NAME, series.tenant(), resource, attributes, state,
          timeMs, SpanMetrics.LLM_COST_METRIC, "Cost of LLM calls in US dollars, before sampling", "{USD}",
          MetricType.SUM, true, new NumberValue(counts.sum())));
      default -> List.of();
    };
  }
}
