package io.tributary.gateway.internal;

import java.time.Duration;

/**
 * The answer to one export request.
 *
 * @param outcome how it ended
 * @param rejectedItems items (data points for metrics) rejected in a partial success
 * @param message the partial-success message or the error reason ("" when none)
 * @param retryAfter the delay a retryable refusal tells the client, or null for the configured one
 */
record ExportResult(Outcome outcome, long rejectedItems, String message, Duration retryAfter) {

  ExportResult(Outcome outcome, long rejectedItems, String message) {
    this(outcome, rejectedItems, message, null);
  }

  static ExportResult error(Outcome outcome, String message) {
    return new ExportResult(outcome, 0, message);
  }

  /** The delay to announce: this result's own, else {@code configured}. */
  Duration retryAfterOr(Duration configured) {
    return retryAfter != null ? retryAfter : configured;
  }
}
