package io.tributary.processors;

import io.tributary.processors.internal.Counters;
import java.util.Map;

/**
 * Counts of what a pipeline did, for metrics and tests; pass one to a topology factory and read it
 * while the application runs. Thread-safe; counts only grow.
 */
public final class PipelineStats {

  private final Counters counters = new Counters();

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

  Counters counters() {
    return counters;
  }

  @Override
  public String toString() {
    return "PipelineStats[redactions=" + redactions() + ", deadLettered=" + deadLettered() + "]";
  }
}
