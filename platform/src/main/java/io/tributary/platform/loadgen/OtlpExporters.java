package io.tributary.platform.loadgen;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * The SDK's own OTLP exporters, configured from {@link LoadgenSettings}. The six exporter builders
 * share no type, so one {@link #configure} applies the settings through their setters.
 *
 * <p>All exporters send on one executor with an unbounded queue: the exporters' default executor
 * hands calls over without a queue and rejects exports ("executor rejected") when several batch
 * processors export at once, as the six services' SDKs here do. Closing stops that executor, after
 * the exporters have been shut down.
 */
final class OtlpExporters implements AutoCloseable {

  private static final int SENDER_THREADS = 6;

  private final LoadgenSettings settings;
  private final ExecutorService executor = Executors.newFixedThreadPool(SENDER_THREADS, runnable -> {
    Thread thread = new Thread(runnable, "loadgen-export");
    thread.setDaemon(true);
    return thread;
  });

  OtlpExporters(LoadgenSettings settings) {
    this.settings = settings;
  }

  @Override
  public void close() {
    executor.shutdown();
  }

  SpanExporter spans() {
    return settings.protocol() == OtlpProtocol.GRPC
        ? configure(settings.endpoint().toString(), OtlpGrpcSpanExporter.builder(),
            OtlpGrpcSpanExporterBuilder::setEndpoint, OtlpGrpcSpanExporterBuilder::setTimeout,
            OtlpGrpcSpanExporterBuilder::setCompression, OtlpGrpcSpanExporterBuilder::addHeader,
            OtlpGrpcSpanExporterBuilder::setTrustedCertificates,
            OtlpGrpcSpanExporterBuilder::setExecutorService).build()
        : configure(url(settings, "/v1/traces"), OtlpHttpSpanExporter.builder(),
            OtlpHttpSpanExporterBuilder::setEndpoint, OtlpHttpSpanExporterBuilder::setTimeout,
            OtlpHttpSpanExporterBuilder::setCompression, OtlpHttpSpanExporterBuilder::addHeader,
            OtlpHttpSpanExporterBuilder::setTrustedCertificates,
            OtlpHttpSpanExporterBuilder::setExecutorService).build();
  }

  LogRecordExporter logs() {
    return settings.protocol() == OtlpProtocol.GRPC
        ? configure(settings.endpoint().toString(), OtlpGrpcLogRecordExporter.builder(),
            OtlpGrpcLogRecordExporterBuilder::setEndpoint, OtlpGrpcLogRecordExporterBuilder::setTimeout,
            OtlpGrpcLogRecordExporterBuilder::setCompression, OtlpGrpcLogRecordExporterBuilder::addHeader,
            OtlpGrpcLogRecordExporterBuilder::setTrustedCertificates,
            OtlpGrpcLogRecordExporterBuilder::setExecutorService).build()
        : configure(url(settings, "/v1/logs"), OtlpHttpLogRecordExporter.builder(),
            OtlpHttpLogRecordExporterBuilder::setEndpoint, OtlpHttpLogRecordExporterBuilder::setTimeout,
            OtlpHttpLogRecordExporterBuilder::setCompression, OtlpHttpLogRecordExporterBuilder::addHeader,
            OtlpHttpLogRecordExporterBuilder::setTrustedCertificates,
            OtlpHttpLogRecordExporterBuilder::setExecutorService).build();
  }

  MetricExporter metrics() {
    return settings.protocol() == OtlpProtocol.GRPC
        ? configure(settings.endpoint().toString(), OtlpGrpcMetricExporter.builder(),
            OtlpGrpcMetricExporterBuilder::setEndpoint, OtlpGrpcMetricExporterBuilder::setTimeout,
            OtlpGrpcMetricExporterBuilder::setCompression, OtlpGrpcMetricExporterBuilder::addHeader,
            OtlpGrpcMetricExporterBuilder::setTrustedCertificates,
            OtlpGrpcMetricExporterBuilder::setExecutorService).build()
        : configure(url(settings, "/v1/metrics"), OtlpHttpMetricExporter.builder(),
            OtlpHttpMetricExporterBuilder::setEndpoint, OtlpHttpMetricExporterBuilder::setTimeout,
            OtlpHttpMetricExporterBuilder::setCompression, OtlpHttpMetricExporterBuilder::addHeader,
            OtlpHttpMetricExporterBuilder::setTrustedCertificates,
            OtlpHttpMetricExporterBuilder::setExecutorService).build();
  }

  /** The signal's URL under the OTLP/HTTP base endpoint, the way OTEL_EXPORTER_OTLP_ENDPOINT is read. */
  static String url(LoadgenSettings s, String signalPath) {
    String base = s.endpoint().toString();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + signalPath;
  }

  /** A setter taking two arguments ({@code addHeader}). */
  @FunctionalInterface
  interface HeaderSetter<B> {
    B set(B builder, String name, String value);
  }

  private <B> B configure(String endpoint, B builder, BiFunction<B, String, B> setEndpoint,
      BiFunction<B, Duration, B> setTimeout, BiFunction<B, String, B> setCompression, HeaderSetter<B> addHeader,
      BiFunction<B, byte[], B> setTrustedCertificates, BiFunction<B, ExecutorService, B> setExecutor) {
    setExecutor.apply(builder, executor);
    setEndpoint.apply(builder, endpoint);
    setTimeout.apply(builder, settings.exportTimeout());
    setCompression.apply(builder, settings.gzip() ? "gzip" : "none");
    settings.headers().forEach((name, value) -> addHeader.set(builder, name, value));
    if (settings.trustedCertificatesPem() != null) {
      setTrustedCertificates.apply(builder, settings.trustedCertificatesPem());
    }
    return builder;
  }
}
