package io.tributary.alerting;

import io.tributary.alerting.internal.eval.AlertingCounters;
import io.tributary.schemas.avro.AlertState;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts of what the alerting application did, for {@code /metrics} and tests: pass one to
 * {@link AlertingTopology#build} and read it while the application runs. Thread-safe; counts only
 * grow. Suggested Prometheus names: {@code tributary_alerting_samples_total},
 * {@code tributary_alerting_evaluations_total}, {@code tributary_alerting_state_changes_total{state}},
 * {@code tributary_alerting_late_records_dropped_total}, {@code tributary_alerting_template_errors_total},
 * {@code tributary_alerting_record_errors_total}.
 */
public final class AlertingStats {

  private final AlertingCounters counters = new AlertingCounters();

  public AlertingStats() {}

  /** Records that passed a rule's filter (one per rule a record matched). */
  public long samples() {
    return counters.matchedCount();
  }

  /** Windows evaluated: one per rule, group and window. */
  public long evaluations() {
    return counters.evaluationCount();
  }

  /** Alert records written, by state. */
  public Map<AlertState, Long> stateChanges() {
    Map<AlertState, Long> changes = new EnumMap<>(AlertState.class);
    for (AlertState state : AlertState.values()) {
      changes.put(state, counters.stateChangeCount(state));
    }
    return changes;
  }

  /** Alert records written in {@code state}. */
  public long stateChanges(AlertState state) {
    return counters.stateChangeCount(state);
  }

  /** Records that arrived after every window they belong to was evaluated (beyond the grace). */
  public long lateRecordsDropped() {
    return counters.lateDroppedCount();
  }

  /** Annotation templates that could not apply to a value (their plain value was written instead). */
  public long templateErrors() {
    return counters.templateErrorCount();
  }

  /** Records a rule failed on (skipped for that rule, logged). */
  public long recordErrors() {
    return counters.recordErrorCount();
  }

  AlertingCounters counters() {
    return counters;
  }

  @Override
  public String toString() {
    return "AlertingStats[samples=" + samples() + ", evaluations=" + evaluations() + ", stateChanges=" + stateChanges()
        + ", lateRecordsDropped=" + lateRecordsDropped() + ", templateErrors=" + templateErrors() + ", recordErrors="
        + recordErrors() + "]";
  }
}
