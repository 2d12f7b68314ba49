package io.tributary.processors.spanmetrics;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.spanmetrics.internal.Aggregation;
import io.tributary.processors.spanmetrics.internal.LlmSeries;
import io.tributary.processors.spanmetrics.internal.SeriesKey;
import io.tributary.processors.spanmetrics.internal.SpanMetricPoints;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.StatusCode;
import io.tributary.schemas.serde.SerdeConfig;
import java.util.List;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The span metrics step: counts every span (before tail sampling, so counts stay exact when most
 * traces are dropped) into series of tenant x {@link SpanMetricsConfig#dimensions()} x
 * {@link SpanMetricsConfig#attributeDimensions()}, and writes them as cumulative OpenTelemetry
 * metric points, named as the Collector's spanmetrics connector names them:
 *
 * <ul>
 *   <li>{@value #CALLS_METRIC}: SUM, monotonic, cumulative, unit {@code {call}} (Prometheus:
 *       {@code traces_span_metrics_calls_total});
 *   <li>{@value #ERRORS_METRIC}: the same for spans with status ERROR, written once a series has
 *       one (Prometheus: {@code traces_span_metrics_errors_total});
 *   <li>{@value #DURATION_METRIC}: HISTOGRAM, cumulative, unit {@code ms}, explicit bounds from the
 *       config (Prometheus: {@code traces_span_metrics_duration_milliseconds_bucket/_sum/_count}).
 * </ul>
 *
 * <p>{@code service.name} is on the points' resource, the other dimensions on their attributes;
 * scope {@value #SCOPE_NAME}; the tenant is the span's. In two stages: each task counts its spans
 * into per-series deltas ({@value #LOCAL_STORE}) and sends them every flush interval, keyed by
 * series, through the repartition topic {@code <application.id>-<pipeline>-span-metrics-deltas-repartition};
 * the one task that owns a series adds them up ({@value #SERIES_STORE}) and writes the changed
 * series every flush interval. Both stores are persistent and changelogged.
 *
 * <p>The same step counts LLM calls (spans with {@code gen_ai.usage.input_tokens} /
 * {@code output_tokens}, or the older names) the same way, per tenant, {@code service.name},
 * {@code gen_ai.provider.name} (else {@code gen_ai.system}), {@code gen_ai.operation.name},
 * {@code gen_ai.request.model} and {@code gen_ai.response.model}: {@value #TOKEN_USAGE_METRIC}, a
 * histogram of tokens per call with {@code gen_ai.token.type} {@code input} or {@code output}, and
 * {@value #LLM_COST_METRIC}, a monotonic sum of the cost the enrich step wrote (stores
 * {@value #LLM_LOCAL_STORE} and {@value #LLM_SERIES_STORE}, processors {@code <pipeline>-llm-metrics*}).
 */
public final class SpanMetrics {

  public static final String CALLS_METRIC = "traces.span.metrics.calls";
  public static final String ERRORS_METRIC = "traces.span.metrics.errors";
  public static final String DURATION_METRIC = "traces.span.metrics.duration";
  /** The token usage histogram of the GenAI conventions, per token type (Prometheus: {@code gen_ai_client_token_usage_bucket/_sum/_count}). */
  public static final String TOKEN_USAGE_METRIC = "gen_ai.client.token.usage";
  /** The LLM cost in US dollars (Prometheus: {@code tributary_llm_cost_usd_total}). */
  public static final String LLM_COST_METRIC = "tributary.llm.cost_usd";
  /** The instrumentation scope of the points. */
  public static final String SCOPE_NAME = "tributary.spanmetrics";
  /** Stage one: series key -> delta counted since the last flush, per input task. */
  public static final String LOCAL_STORE = "span-metrics-local";
  /** Stage two: series key -> cumulative counts, start time, last point time. */
  public static final String SERIES_STORE = "span-metrics-series";
  /** The LLM series' stores, as {@link #LOCAL_STORE} and {@link #SERIES_STORE}. */
  public static final String LLM_LOCAL_STORE = "llm-metrics-local";
  public static final String LLM_SERIES_STORE = "llm-metrics-series";

  private SpanMetrics() {}

  /**
   * Counts {@code spans}, the spans of one request per record (which go on unchanged: this is a branch) as processors
   * {@code <pipeline>-span-metrics-local} and {@code <pipeline>-span-metrics}, writing to
   * {@link SpanMetricsConfig#topic()}; nothing when disabled. The LLM cost series sums {@code costAttribute}, the
   * attribute tail sampling reads the cost from, so both see the same figure when operators name their own.
   */
  public static void count(KStream<String, List<Span>> spans, String pipeline, SpanMetricsConfig config,
      String costAttribute, SerdeConfig serde, SpanMetricsStats stats) {
    requireNonNull(spans, "spans");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(config, "config");
    requireNonNull(costAttribute, "costAttribute");
    requireNonNull(serde, "serde");
    requireNonNull(stats, "stats");
    if (!config.enabled()) {
      return;
    }
    Aggregation aggregation = new Aggregation(pipeline + "-span-metrics", LOCAL_STORE, SERIES_STORE,
        config.flushInterval(), config.seriesExpiry(), config.histogramBoundsMillis(), stats.counters(),
        SpanMetricPoints::of);
    aggregation.apply(spans, (List<Span> request, Aggregation.Observer out) -> {
      for (int i = 0; i < request.size(); i++) {
        Span span = request.get(i);
        long nanos = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
        out.add(SeriesKey.encode(span, config), nanos / 1_000_000.0, span.getStatus().getCode() == StatusCode.ERROR);
      }
    }, config.topic(), serde);
    new Aggregation(pipeline + "-llm-metrics", LLM_LOCAL_STORE, LLM_SERIES_STORE, config.flushInterval(),
        config.seriesExpiry(), LlmSeries.TOKEN_BOUNDS, stats.llmCounters(), LlmSeries::points)
        .apply(spans, LlmSeries.observer(costAttribute), config.topic(), serde);
  }
}
