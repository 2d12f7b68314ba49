package io.tributary.platform.loadgen;

import java.time.Duration;
import java.util.Locale;

/**
 * Where a run stands: what was generated and what the exporters delivered.
 *
 * @param elapsed time since the run started
 * @param traces traces generated
 * @param errorTraces generated traces with an error
 * @param slowTraces generated traces of 5 s or more
 * @param llmTraces generated traces with an LLM call
 * @param spans spans generated
 * @param logs log records generated
 * @param spansSent spans the exporters delivered
 * @param logsSent log records the exporters delivered
 * @param metricPointsSent metric points the exporters delivered
 * @param failedExports export requests that failed
 * @param currentRate traces per second over the last interval
 */
record LoadReport(Duration elapsed, long traces, long errorTraces, long slowTraces, long llmTraces, long spans,
    long logs, long spansSent, long logsSent, long metricPointsSent, long failedExports, double currentRate) {

  /** The line printed every second. */
  String progressLine() {
    return String.format(Locale.ROOT,
        "loadgen %5ds  traces %d (%.1f/s)  spans %d/%d sent  logs %d/%d sent  metric points %d  export failures %d",
        elapsed.toSeconds(), traces, currentRate, spansSent, spans, logsSent, logs, metricPointsSent, failedExports);
  }

  /** The summary printed at the end. */
  String summary(long seed) {
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    return String.format(Locale.ROOT, """
        loadgen done in %.1f s (seed %d: repeat with --seed %d)
          traces        %d (%.1f/s): %d with errors, %d slow (>= 5 s), %d with LLM calls
          spans         %d generated, %d sent
          log records   %d generated, %d sent
          metric points %d sent
          export failures %d
        """, seconds, seed, seed, traces, traces / seconds, errorTraces, slowTraces, llmTraces, spans, spansSent,
        logs, logsSent, metricPointsSent, failedExports);
  }

  /** Whether everything generated was delivered and no export failed. */
  boolean complete() {
    return failedExports == 0 && spansSent == spans && logsSent == logs;
  }
}
