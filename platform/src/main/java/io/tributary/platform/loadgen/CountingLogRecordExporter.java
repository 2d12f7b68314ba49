package io.tributary.platform.loadgen;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.tributary.schemas.Signal;
import java.util.Collection;

/** Counts what a shared log exporter delivers; shutting it down leaves the shared exporter open. */
final class CountingLogRecordExporter implements LogRecordExporter {

  private final LogRecordExporter delegate;
  private final ExportCounters counters;

  CountingLogRecordExporter(LogRecordExporter delegate, ExportCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    return counters.track(Signal.LOGS, logs.size(), delegate.export(logs));
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
