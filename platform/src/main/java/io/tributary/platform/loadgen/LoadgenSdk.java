package io.tributary.platform.loadgen;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One OpenTelemetry SDK per simulated service (a resource belongs to a provider), all writing
 * through the same three exporters, counted in {@link ExportCounters}.
 */
final class LoadgenSdk implements AutoCloseable {

  private static final Duration BATCH_DELAY = Duration.ofMillis(200);
  // Large enough that a burst of slow exports does not drop spans at the rates loadgen runs.
  private static final int QUEUE_SIZE = 65_536;
  private static final int BATCH_SIZE = 512;
  /** The longest {@link #close()} waits for the last exports. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  private final Map<SimulatedService, OpenTelemetrySdk> sdks = new EnumMap<>(SimulatedService.class);
  private final SpanExporter spanExporter;
  private final LogRecordExporter logExporter;
  private final MetricExporter metricExporter;

  LoadgenSdk(SpanExporter spanExporter, LogRecordExporter logExporter, MetricExporter metricExporter,
      IdGenerator ids, Duration metricsInterval, ExportCounters counters) {
    this.spanExporter = spanExporter;
    this.logExporter = logExporter;
    this.metricExporter = metricExporter;
    SpanExporter spans = new CountingSpanExporter(spanExporter, counters);
    LogRecordExporter logs = new CountingLogRecordExporter(logExporter, counters);
    MetricExporter metrics = new CountingMetricExporter(metricExporter, counters);
    for (SimulatedService service : SimulatedService.values()) {
      sdks.put(service, OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder()
              .setResource(service.resource())
              .setIdGenerator(ids)
              .addSpanProcessor(BatchSpanProcessor.builder(spans).setScheduleDelay(BATCH_DELAY)
                  .setMaxQueueSize(QUEUE_SIZE).setMaxExportBatchSize(BATCH_SIZE).build())
              .build())
          .setLoggerProvider(SdkLoggerProvider.builder()
              .setResource(service.resource())
              .addLogRecordProcessor(BatchLogRecordProcessor.builder(logs).setScheduleDelay(BATCH_DELAY)
                  .setMaxQueueSize(QUEUE_SIZE).setMaxExportBatchSize(BATCH_SIZE).build())
              .build())
          .setMeterProvider(SdkMeterProvider.builder()
              .setResource(service.resource())
              .registerMetricReader(PeriodicMetricReader.builder(metrics).setInterval(metricsInterval).build())
              .build())
          .build());
    }
  }

  /** The SDK of {@code service}. */
  OpenTelemetry telemetry(SimulatedService service) {
    return sdks.get(service);
  }

  /** Exports everything buffered (spans, logs, current metric values); true if done within {@code timeout}. */
  boolean flush(Duration timeout) {
    List<CompletableResultCode> results = new ArrayList<>();
    for (OpenTelemetrySdk sdk : sdks.values()) {
      results.add(sdk.getSdkTracerProvider().forceFlush());
      results.add(sdk.getSdkLoggerProvider().forceFlush());
      results.add(sdk.getSdkMeterProvider().forceFlush());
    }
    return CompletableResultCode.ofAll(results).join(timeout.toMillis(), TimeUnit.MILLISECONDS).isDone();
  }

  /**
   * Shuts every SDK down (exporting what is left), then the shared exporters, all within
   * {@link #CLOSE_TIMEOUT}: against an endpoint that is gone, exporters retry for a long time, and a
   * command line tool should not hang on them.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
    // Each meter provider blocks while shutting down: shut the SDKs down side by side.
    List<Thread> shutdowns = sdks.values().stream()
        .map(sdk -> Thread.ofPlatform().daemon().name("loadgen-shutdown")
            .start(() -> sdk.shutdown().join(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)))
        .toList();
    for (Thread shutdown : shutdowns) {
      try {
        shutdown.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    CompletableResultCode.ofAll(List.of(spanExporter.shutdown(), logExporter.shutdown(), metricExporter.shutdown()))
        .join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
  }
}
