package io.tributary.platform.loadgen;

import java.util.List;

/**
 * One planned trace and the log records written at the same time outside of any trace.
 *
 * @param root the root span, times relative to the start of the trace
 * @param backgroundLogs log records without trace context (service, record)
 */
record TracePlan(PlannedSpan root, List<BackgroundLog> backgroundLogs) {

  /** A log record that belongs to no trace (a background job of {@code service}). */
  record BackgroundLog(SimulatedService service, PlannedSpan.Log log) {}

  /** From the start of the root span to the end of the last span. */
  long durationNanos() {
    return root.latestEnd() - root.start;
  }
}
