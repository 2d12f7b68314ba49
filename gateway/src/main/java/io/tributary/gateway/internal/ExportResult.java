package io.tributary.gateway.internal;

/**
 * The answer to one export request.
 *
 * @param outcome how it ended
 * @param rejectedItems items (data points for metrics) rejected in a partial success
 * @param message the partial-success message or the error reason ("" when none)
 */
record ExportResult(Outcome outcome, long rejectedItems, String message) {

  static ExportResult error(Outcome outcome, String message) {
    return new ExportResult(outcome, 0, message);
  }
}
