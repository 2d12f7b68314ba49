package io.tributary.processors.enrich;

import io.tributary.processors.enrich.internal.EnrichmentCounters;

/** What enrichment did in one application instance, for metrics and tests. Thread-safe; counts only grow. */
public final class EnrichmentStats {

  private final EnrichmentCounters counters = new EnrichmentCounters();

  public EnrichmentStats() {}

  /** Records whose service was found in the service reference data (and got its attributes). */
  public long serviceMatches() {
    return counters.serviceMatches.sum();
  }

  /** Records whose pod was found in the Kubernetes pod reference data (and got its attributes). */
  public long podMatches() {
    return counters.podMatches.sum();
  }

  /** Spans and log records given an LLM cost. */
  public long llmCosts() {
    return counters.llmCosts.sum();
  }

  /**
   * Spans and log records with token counts but no price for their model (or no model at all): they
   * get no cost attribute. The first few model names are logged once.
   */
  public long llmUnknownModels() {
    return counters.llmUnknownModels.sum();
  }

  /** Records of the reference topics that are not the JSON expected; each is read as a removal of its key. */
  public long invalidReferenceRecords() {
    return counters.invalidReferenceRecords.sum();
  }

  EnrichmentCounters counters() {
    return counters;
  }

  @Override
  public String toString() {
    return "EnrichmentStats[serviceMatches=" + serviceMatches() + ", podMatches=" + podMatches() + ", llmCosts=" + llmCosts() + ", llmUnknownModels="
        + llmUnknownModels() + ", invalidReferenceRecords=" + invalidReferenceRecords() + "]";
  }
}
