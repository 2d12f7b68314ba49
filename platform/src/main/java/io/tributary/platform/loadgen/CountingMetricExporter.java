package io.tributary.platform.loadgen;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.tributary.schemas.Signal;
import java.util.Collection;

/** Counts the points a shared metric exporter delivers; shutting it down leaves the shared exporter open. */
final class CountingMetricExporter implements MetricExporter {

  private final MetricExporter delegate;
  private final ExportCounters counters;

  CountingMetricExporter(MetricExporter delegate, ExportCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    int points = metrics.stream().mapToInt(m -> m.getData().getPoints().size()).sum();
    return counters.track(Signal.METRICS, points, delegate.export(metrics));
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
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
