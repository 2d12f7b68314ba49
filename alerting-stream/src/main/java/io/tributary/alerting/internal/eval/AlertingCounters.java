package io.tributary.alerting.internal.eval;

import io.tributary.schemas.avro.AlertState;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The counts behind {@code AlertingStats}, written by the processors of every stream thread. */
public final class AlertingCounters {

  private final LongAdder matched = new LongAdder();
  private final LongAdder evaluations = new LongAdder();
  private final LongAdder lateDropped = new LongAdder();
  private final LongAdder templateErrors = new LongAdder();
  private final LongAdder recordErrors = new LongAdder();
  private final Map<AlertState, LongAdder> stateChanges = new EnumMap<>(AlertState.class);

  public AlertingCounters() {
    for (AlertState state : AlertState.values()) {
      stateChanges.put(state, new LongAdder());
    }
  }

  public void matched() {
    matched.increment();
  }

  public void evaluated() {
    evaluations.increment();
  }

  public void lateDropped() {
    lateDropped.increment();
  }

  public void templateError() {
    templateErrors.increment();
  }

  public void recordError() {
    recordErrors.increment();
  }

  public void stateChange(AlertState state) {
    stateChanges.get(state).increment();
  }

  public long matchedCount() {
    return matched.sum();
  }

  public long evaluationCount() {
    return evaluations.sum();
  }

  public long lateDroppedCount() {
    return lateDropped.sum();
  }

  public long templateErrorCount() {
    return templateErrors.sum();
  }

  public long recordErrorCount() {
    return recordErrors.sum();
  }

  public long stateChangeCount(AlertState state) {
    return stateChanges.get(state).sum();
  }
}
