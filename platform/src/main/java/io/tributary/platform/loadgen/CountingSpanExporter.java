package io.tributary.platform.loadgen;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tributary.schemas.Signal;
import java.util.Collection;

/** Counts what a shared span exporter delivers; shutting it down leaves the shared exporter open. */
final class CountingSpanExporter implements SpanExporter {

  private final SpanExporter delegate;
  private final ExportCounters counters;

  CountingSpanExporter(SpanExporter delegate, ExportCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return counters.track(Signal.TRACES, spans.size(), delegate.export(spans));
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
