package io.tributary.platform.loadgen;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;

/** One simulated service's tracer, logger and metric instruments. */
final class ServiceInstruments {

  /** The instrumentation scope of everything loadgen emits. */
  static final String SCOPE = "io.tributary.loadgen";

  static final String REQUEST_DURATION = "http.server.request.duration";
  static final String REQUEST_COUNT = "http.server.request.count";
  static final String TOKEN_COUNT = "gen_ai.client.token.count";
  static final String MEMORY_UTILIZATION = "process.memory.utilization";

  // The semantic conventions' advice for HTTP durations in seconds.
  private static final List<Double> DURATION_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  final Tracer tracer;
  final Logger logger;
  final DoubleHistogram requestDuration;
  final LongCounter requests;
  final LongCounter tokens;

  ServiceInstruments(SimulatedService service, OpenTelemetry telemetry) {
    tracer = telemetry.getTracer(SCOPE);
    logger = telemetry.getLogsBridge().get(SCOPE);
    Meter meter = telemetry.getMeter(SCOPE);
    requestDuration = meter.histogramBuilder(REQUEST_DURATION).setUnit("s")
        .setDescription("Duration of HTTP server requests.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    requests = meter.counterBuilder(REQUEST_COUNT).setUnit("{request}")
        .setDescription("HTTP server requests handled.").build();
    tokens = meter.counterBuilder(TOKEN_COUNT).setUnit("{token}")
        .setDescription("LLM tokens used, by model and token type (input, output).").build();
    double base = 0.35 + 0.06 * service.ordinal();
    meter.gaugeBuilder(MEMORY_UTILIZATION).setUnit("1")
        .setDescription("Share of the memory limit in use.")
        .buildWithCallback(gauge -> gauge.record(memoryUtilization(base, System.currentTimeMillis())));
  }

  /** A heap that fills up and is collected every 90 s, between {@code base} and {@code base + 0.25}. */
  static double memoryUtilization(double base, long epochMillis) {
    double phase = (epochMillis % 90_000) / 90_000.0;
    return Math.min(1.0, base + 0.25 * phase);
  }
}
