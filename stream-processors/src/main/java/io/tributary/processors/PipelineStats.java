package io.tributary.processors;

import io.tributary.processors.enrich.EnrichmentStats;
import io.tributary.processors.internal.Counters;
import io.tributary.processors.metrics.CardinalityStats;
import io.tributary.processors.sampling.SamplingStats;
import io.tributary.processors.servicegraph.ServiceGraphStats;
import io.tributary.processors.spanmetrics.SpanMetricsStats;
import java.util.Map;

/**
 * Counts of what a pipeline did, for metrics and tests; pass one to a topology factory and read it
 * while the application runs. Thread-safe; counts only grow.
 */
public final class PipelineStats {

  private final Counters counters = new Counters();
  private final SamplingStats sampling = new SamplingStats();
  private final EnrichmentStats enrichment = new EnrichmentStats();
  private final SpanMetricsStats spanMetrics = new SpanMetricsStats();
  private final ServiceGraphStats serviceGraph = new ServiceGraphStats();
  private final CardinalityStats cardinality = new CardinalityStats();

  public PipelineStats() {}

  /**
   * Redactions by rule, e.g. {@code drop:gen_ai.prompt}, {@code hash:user.id}, {@code allow-list},
   * {@code mask:email}, {@code mask:<custom name>}: one per dropped key, hashed value or masked match.
   */
  public Map<String, Long> redactions() {
    return counters.redactions();
  }

  /** Raw records sent to the dead-letter topic. */
  public long deadLettered() {
    return counters.deadLettered();
  }

  /** What tail sampling did (traces pipeline). */
  public SamplingStats sampling() {
    return sampling;
  }

  /** What enrichment did (every pipeline). */
  public EnrichmentStats enrichment() {
    return enrichment;
  }

  /** What span metrics did (traces pipeline). */
  public SpanMetricsStats spanMetrics() {
    return spanMetrics;
  }

  /** What the service graph did (traces pipeline). */
  public ServiceGraphStats serviceGraph() {
    return serviceGraph;
  }

  /** What the cardinality guard did (metrics pipeline). */
  public CardinalityStats cardinality() {
    return cardinality;
  }

  Counters counters() {
    return counters;
  }

  @Override
  public String toString() {
    return "PipelineStats[redactions=" + redactions() + ", deadLettered=" + deadLettered() + ", sampling=" + sampling
        + ", enrichment=" + enrichment + ", spanMetrics=" + spanMetrics + ", serviceGraph=" + serviceGraph + ", cardinality=" + cardinality + "]";
  }
}
