package io.tributary.platform.loadgen;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.tributary.schemas.Signal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the exporters delivered and what they failed to, counted when each export completes: spans, log
 * records and metric points, by {@link Signal}.
 */
final class ExportCounters {

  private final Map<Signal, LongAdder> exported = new EnumMap<>(Signal.class);
  private final Map<Signal, LongAdder> failed = new EnumMap<>(Signal.class);
  private final LongAdder failedExports = new LongAdder();
  private final AtomicReference<String> lastFailure = new AtomicReference<>();

  ExportCounters() {
    for (Signal signal : Signal.pipelines()) {
      exported.put(signal, new LongAdder());
      failed.put(signal, new LongAdder());
    }
  }

  /** Counts {@code items} as exported or failed once {@code result} completes; returns {@code result}. */
  CompletableResultCode track(Signal signal, int items, CompletableResultCode result) {
    result.whenComplete(() -> {
      if (result.isSuccess()) {
        exported.get(signal).add(items);
      } else {
        failed.get(signal).add(items);
        failedExports.increment();
        Throwable cause = result.getFailureThrowable();
        lastFailure.set(signal.recordsName() + ": "
            + (cause == null ? "export failed (see the exporter's log)" : cause.toString()));
      }
    });
    return result;
  }

  long exported(Signal signal) {
    return exported.get(signal).sum();
  }

  long failedItems(Signal signal) {
    return failed.get(signal).sum();
  }

  /** Export requests that failed (after the exporter's own retries). */
  long failedExports() {
    return failedExports.sum();
  }

  Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }
}
