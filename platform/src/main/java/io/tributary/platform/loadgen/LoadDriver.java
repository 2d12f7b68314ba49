package io.tributary.platform.loadgen;

import io.tributary.schemas.Signal;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a {@link TrafficGenerator}: so many traces per second, until a duration has passed or a
 * number of traces was sent (or {@link #stop()}), with a progress line every second.
 */
final class LoadDriver {

  private static final long PROGRESS_INTERVAL = TimeUnit.SECONDS.toNanos(1);
  // When generating falls behind by more than this, it resumes from now instead of bursting.
  private static final long MAX_LAG = TimeUnit.SECONDS.toNanos(1);

  private final TrafficGenerator generator;
  private final ExportCounters counters;
  private final double rate;
  private final Duration duration;
  private final long maxTraces;
  private final PrintWriter progress;
  private volatile boolean stopRequested;

  private long start;
  private long traces;
  private long errorTraces;
  private long slowTraces;
  private long llmTraces;
  private long spans;
  private long logs;
  private long tracesAtLastProgress;
  private String lastFailurePrinted;

  /**
   * @param duration how long to run, or null to stop after {@code maxTraces}
   * @param maxTraces how many traces to send, or 0 to stop after {@code duration}
   */
  LoadDriver(TrafficGenerator generator, ExportCounters counters, double rate, Duration duration, long maxTraces,
      PrintWriter progress) {
    this.generator = generator;
    this.counters = counters;
    this.rate = rate;
    this.duration = duration;
    this.maxTraces = maxTraces;
    this.progress = progress;
  }

  /** Ends the run after the current trace (Ctrl-C). */
  void stop() {
    stopRequested = true;
  }

  /** Generates until the run is over; what was sent is known once the SDK has flushed. */
  void run() {
    start = System.nanoTime();
    long interval = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
    long nextTrace = start;
    long nextProgress = start + PROGRESS_INTERVAL;
    while (!stopRequested && !finished(System.nanoTime())) {
      long now = System.nanoTime();
      if (now >= nextProgress) {
        printProgress(now);
        nextProgress += PROGRESS_INTERVAL;
      } else if (now >= nextTrace) {
        record(generator.next(Instant.now()));
        nextTrace = Math.max(nextTrace + interval, now - MAX_LAG);
      } else {
        LockSupport.parkNanos(Math.min(nextTrace, nextProgress) - now);
      }
    }
  }

  /** The report as of now, with what the exporters have delivered so far. */
  LoadReport report(long now, double currentRate) {
    return new LoadReport(Duration.ofNanos(now - start), traces, errorTraces, slowTraces, llmTraces, spans, logs,
        counters.exported(Signal.TRACES), counters.exported(Signal.LOGS),
        counters.exported(Signal.METRICS), counters.failedExports(), currentRate);
  }

  private boolean finished(long now) {
    return maxTraces > 0 ? traces >= maxTraces : now - start >= duration.toNanos();
  }

  private void record(GeneratedTrace trace) {
    traces++;
    spans += trace.spans();
    logs += trace.logs();
    errorTraces += trace.error() ? 1 : 0;
    slowTraces += trace.slow() ? 1 : 0;
    llmTraces += trace.llm() ? 1 : 0;
  }

  private void printProgress(long now) {
    double currentRate = (traces - tracesAtLastProgress) * 1e9 / PROGRESS_INTERVAL;
    tracesAtLastProgress = traces;
    progress.println(report(now, currentRate).progressLine());
    String failure = counters.lastFailure().orElse(null);
    if (failure != null && !failure.equals(lastFailurePrinted)) {
      progress.println("loadgen: export failed: " + failure);
      lastFailurePrinted = failure;
    }
    progress.flush();
  }
}
