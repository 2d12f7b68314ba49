package io.tributary.platform.processor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.sampling.SamplingStats;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One pipeline's {@link PipelineStats} as Micrometer meters that read the counts at scrape time.
 * Counts keyed by names found at run time (redaction rules, sampling policies, capped metrics) get a
 * meter per key on the first {@link #refresh()} that sees the key: call it before each scrape.
 */
final class PipelineMetrics {

  private final MeterRegistry registry;
  private final Pipeline pipeline;
  private final PipelineStats stats;
  private final Tags tags;
  private final Set<String> registeredKeys = ConcurrentHashMap.newKeySet();

  PipelineMetrics(MeterRegistry registry, Pipeline pipeline, PipelineStats stats) {
    this.registry = registry;
    this.pipeline = pipeline;
    this.stats = stats;
    this.tags = Tags.of("pipeline", pipeline.id());
    registerFixed();
  }

  private void registerFixed() {
    counter("tributary.pipeline.dead.lettered", "Raw records sent to the dead-letter topic", tags,
        PipelineStats::deadLettered);
    counter("tributary.enrichment.service.matches", "Records given service reference attributes", tags,
        s -> s.enrichment().serviceMatches());
    counter("tributary.enrichment.pod.matches", "Records given their Kubernetes pod's attributes", tags,
        s -> s.enrichment().podMatches());
    counter("tributary.enrichment.llm.costs", "Spans and log records given an LLM cost", tags,
        s -> s.enrichment().llmCosts());
    counter("tributary.enrichment.llm.unknown.models", "Records with token counts but no price for their model",
        tags, s -> s.enrichment().llmUnknownModels());
    counter("tributary.enrichment.invalid.reference.records", "Reference topic records that are not the JSON expected",
        tags, s -> s.enrichment().invalidReferenceRecords());
    if (pipeline == Pipeline.TRACES) {
      counter("tributary.sampling.late.spans", "Spans that arrived after their trace was decided",
          Tags.of("decision", "keep"), s -> s.sampling().lateSpansKept());
      counter("tributary.sampling.late.spans", "Spans that arrived after their trace was decided",
          Tags.of("decision", "drop"), s -> s.sampling().lateSpansDropped());
      counter("tributary.sampling.overflow.spans", "Spans that found their trace at its span or byte cap", Tags.empty(),
          s -> s.sampling().overflowSpans());
      counter("tributary.sampling.traces.capped", "Traces decided early because they reached a cap", Tags.empty(),
          s -> s.sampling().tracesCapped());
      counter("tributary.sampling.root.decisions", "Traces decided early because their root span arrived",
          Tags.empty(), s -> s.sampling().rootDecisions());
      counter("tributary.sampling.unsampled.spans", "Spans passed through without sampling", Tags.empty(),
          s -> s.sampling().unsampledSpans());
      Gauge.builder("tributary.sampling.traces.in.flight", stats, s -> s.sampling().tracesInFlight())
          .description("Traces buffered and waiting for a decision").register(registry);
      FunctionTimer.builder("tributary.sampling.decision.latency", stats,
              s -> s.sampling().decisionLatency().count(),
              s -> s.sampling().decisionLatency().total().toMillis(), TimeUnit.MILLISECONDS)
          .description("How long traces waited, from their first span to their decision").register(registry);
      Gauge.builder("tributary.sampling.decision.latency.max", stats,
              s -> s.sampling().decisionLatency().max().toMillis() / 1000.0)
          .baseUnit("seconds").description("The longest wait for a decision so far").register(registry);
      counter("tributary.span.metrics.spans", "Spans counted by span metrics", Tags.empty(),
          s -> s.spanMetrics().spans());
      counter("tributary.span.metrics.points", "Span metric points written", Tags.empty(),
          s -> s.spanMetrics().points());
      counter("tributary.span.metrics.series.expired", "Span metric series forgotten without a span", Tags.empty(),
          s -> s.spanMetrics().seriesExpired());
      counter("tributary.span.metrics.unreadable.deltas", "Span metric deltas that could not be read", Tags.empty(),
          s -> s.spanMetrics().unreadableDeltas());
      counter("tributary.service.graph.edges", "Requests counted by the service graph, by how they were paired",
          Tags.of("pairing", "paired"), s -> s.serviceGraph().pairedEdges());
      counter("tributary.service.graph.edges", "Requests counted by the service graph, by how they were paired",
          Tags.of("pairing", "virtual"), s -> s.serviceGraph().virtualEdges());
      counter("tributary.service.graph.unpaired.spans", "Spans whose other side did not come within the wait",
          Tags.of("side", "client"), s -> s.serviceGraph().unpairedClientSpans());
      counter("tributary.service.graph.unpaired.spans", "Spans whose other side did not come within the wait",
          Tags.of("side", "server"), s -> s.serviceGraph().unpairedServerSpans());
      counter("tributary.service.graph.points", "Service graph points written", Tags.empty(),
          s -> s.serviceGraph().points());
      counter("tributary.service.graph.series.expired", "Service graph edges forgotten without a request",
          Tags.empty(), s -> s.serviceGraph().seriesExpired());
      counter("tributary.service.graph.unreadable", "Service graph deltas or waiting spans that could not be read",
          Tags.empty(), s -> s.serviceGraph().unreadable());
    }
    if (pipeline == Pipeline.METRICS) {
      counter("tributary.cardinality.dropped.points", "Points dropped because their metric reached its series cap",
          Tags.empty(), s -> s.cardinality().droppedPoints());
      counter("tributary.cardinality.series.expired", "Series freed without a point", Tags.empty(),
          s -> s.cardinality().seriesExpired());
    }
  }

  /** Registers a meter for every key that appeared since the last call. */
  void refresh() {
    stats.redactions().keySet().forEach(rule -> registerKey("redaction", rule, () ->
        counter("tributary.pipeline.redactions", "Redactions by rule", tags.and("rule", rule),
            s -> s.redactions().getOrDefault(rule, 0L))));
    if (pipeline == Pipeline.TRACES) {
      stats.sampling().decisions().keySet().forEach(decision -> registerKey("decision", decision, () -> {
        int colon = decision.indexOf(':');
        String outcome = colon < 0 ? decision : decision.substring(0, colon);
        String policy = colon < 0 ? "" : decision.substring(colon + 1);
        counter("tributary.sampling.decisions", "Traces decided, by outcome and the policy or drop rule",
            Tags.of("outcome", outcome, "policy", policy), s -> decisions(s.sampling(), decision));
      }));
    }
    if (pipeline == Pipeline.METRICS) {
      stats.cardinality().droppedPointsByMetric().keySet().forEach(metric -> registerKey("dropped", metric, () ->
          counter("tributary.cardinality.dropped.points.by.metric",
              "Points dropped by the cardinality guard, by metric name (the first 1,000 names)",
              Tags.of("metric", metric), s -> s.cardinality().droppedPointsByMetric().getOrDefault(metric, 0L))));
    }
  }

  private static long decisions(SamplingStats sampling, String decision) {
    return sampling.decisions().getOrDefault(decision, 0L);
  }

  private void registerKey(String kind, String key, Runnable register) {
    if (registeredKeys.add(kind + '\u0000' + key)) {
      register.run();
    }
  }

  private void counter(String name, String description, Tags meterTags, Function<PipelineStats, Long> count) {
    ToDoubleFunction<PipelineStats> value = s -> count.apply(s);
    FunctionCounter.builder(name, stats, value).description(description).tags(meterTags).register(registry);
  }
}
