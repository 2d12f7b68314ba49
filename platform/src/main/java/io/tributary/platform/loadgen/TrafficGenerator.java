package io.tributary.platform.loadgen;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What loadgen's traffic looks like: the traces, logs and metrics of a small shop with an
 * LLM-backed assistant, written through each {@link SimulatedService}'s own {@link OpenTelemetry}.
 *
 * <ul>
 *   <li>six services, each with its own resource; nested spans of every kind (server, client,
 *       internal, producer, consumer);
 *   <li>failures (payment timeouts, database errors, LLM rate limits) with exception events,
 *       status ERROR up the call chain and bursts of ERROR logs;
 *   <li>slow traces (5 s and more), placed with explicit timestamps, never by sleeping;
 *   <li>LLM calls with {@code gen_ai.*} attributes: system, model, token usage, time to first token,
 *       prompt and completion (some with personal data for redaction to find);
 *   <li>log records carrying the trace and span ids of the span they were written in, and a few
 *       without any;
 *   <li>metrics: request duration histogram, request counter, LLM token counter, memory gauge (ratio).
 * </ul>
 *
 * The same seed gives the same content; use {@link #idGenerator(long)} in the SDK for the same ids
 * as well. Not thread-safe: one thread generates.
 */
public final class TrafficGenerator {

  private final TracePlanner planner;
  private final TraceEmitter emitter;

  /**
   * @param seed the seed of every random choice
   * @param telemetry the OpenTelemetry instance (resource, exporters) of each service
   */
  public TrafficGenerator(long seed, Function<SimulatedService, ? extends OpenTelemetry> telemetry) {
    requireNonNull(telemetry, "telemetry");
    Map<SimulatedService, ServiceInstruments> services = new EnumMap<>(SimulatedService.class);
    for (SimulatedService service : SimulatedService.values()) {
      services.put(service, new ServiceInstruments(service, telemetry.apply(service)));
    }
    this.planner = new TracePlanner(new Random(seed));
    this.emitter = new TraceEmitter(services);
  }

  /** Ids for the SDK's tracer providers: the same seed gives the same trace and span ids. */
  public static IdGenerator idGenerator(long seed) {
    return new SeededIdGenerator(seed ^ 0x5DEECE66DL);
  }

  /** Writes one trace (and its logs and measurements) that ends at {@code now}. */
  public GeneratedTrace next(Instant now) {
    long endEpochNanos = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    return emitter.emit(planner.next(), endEpochNanos);
  }
}
