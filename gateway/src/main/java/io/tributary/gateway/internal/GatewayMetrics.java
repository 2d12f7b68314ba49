package io.tributary.gateway.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;

/**
 * The gateway's meters (Prometheus names in brackets):
 * <ul>
 *   <li>requests by signal, transport and outcome [tributary_gateway_requests_total];
 *   <li>items accepted and rejected by reason [tributary_gateway_spans_accepted_total,
 *       tributary_gateway_spans_rejected_total{reason}, likewise log_records and data_points];
 *   <li>Kafka: time from a request's first send to its last acknowledgement
 *       [tributary_gateway_kafka_send_seconds histogram], records and bytes written;
 *   <li>in-flight request bytes and their cap [tributary_gateway_inflight_bytes,
 *       tributary_gateway_inflight_limit_bytes], readiness [tributary_gateway_ready].
 * </ul>
 */
final class GatewayMetrics {

  /** Items of a request Kafka did not take (the whole request got 503). */
  static final String REASON_KAFKA_UNAVAILABLE = "kafka_unavailable";

  private final MeterRegistry registry;
  private final Counter[][][] requests;
  private final Map<OtlpSignal, Counter> accepted = new EnumMap<>(OtlpSignal.class);
  private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<OtlpSignal, Timer> kafkaSend = new EnumMap<>(OtlpSignal.class);
  private final Map<OtlpSignal, Counter> kafkaRecords = new EnumMap<>(OtlpSignal.class);
  private final Map<OtlpSignal, Counter> kafkaBytes = new EnumMap<>(OtlpSignal.class);

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    requests = new Counter[OtlpSignal.values().length][Transport.values().length][Outcome.values().length];
    for (OtlpSignal signal : OtlpSignal.values()) {
      for (Transport transport : Transport.values()) {
        for (Outcome outcome : Outcome.values()) {
          requests[signal.ordinal()][transport.ordinal()][outcome.ordinal()] = Counter
              .builder("tributary.gateway.requests")
              .description("OTLP export requests by signal, transport and outcome")
              .tags("signal", signal.id, "transport", transport.tag, "outcome", outcome.tag)
              .register(registry);
        }
      }
      accepted.put(signal, Counter.builder(itemMeter(signal, "accepted"))
          .description(signal.itemName + " written to Kafka").register(registry));
      for (RejectReason reason : RejectReason.values()) {
        rejectedCounter(signal, reason.tag);
      }
      rejectedCounter(signal, REASON_KAFKA_UNAVAILABLE);
      kafkaSend.put(signal, Timer.builder("tributary.gateway.kafka.send")
          .description("From a request's first Kafka send to the acknowledgement of its last record")
          .tag("signal", signal.id)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(60))
          .register(registry));
      kafkaRecords.put(signal, Counter.builder("tributary.gateway.kafka.records")
          .description("Records acknowledged by Kafka").tag("signal", signal.id).register(registry));
      kafkaBytes.put(signal, Counter.builder("tributary.gateway.kafka.bytes")
          .description("Record value bytes acknowledged by Kafka").baseUnit("bytes").tag("signal", signal.id)
          .register(registry));
    }
  }

  void bindGauges(InFlightBytes inFlight, BooleanSupplier ready) {
    Gauge.builder("tributary.gateway.inflight.bytes", inFlight, InFlightBytes::used)
        .description("Bytes of requests received and not yet answered").register(registry);
    Gauge.builder("tributary.gateway.inflight.limit.bytes", inFlight, InFlightBytes::limit)
        .description("Cap on in-flight request bytes; above it requests get 429 / RESOURCE_EXHAUSTED")
        .register(registry);
    Gauge.builder("tributary.gateway.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 when serving and Kafka is reachable")
        .strongReference(true) // the supplier is a lambda nothing else holds
        .register(registry);
  }

  void request(OtlpSignal signal, Transport transport, Outcome outcome) {
    requests[signal.ordinal()][transport.ordinal()][outcome.ordinal()].increment();
  }

  void accepted(OtlpSignal signal, long items) {
    if (items > 0) {
      accepted.get(signal).increment(items);
    }
  }

  void rejected(OtlpSignal signal, String reason, long items) {
    if (items > 0) {
      rejectedCounter(signal, reason).increment(items);
    }
  }

  void kafkaWritten(OtlpSignal signal, long nanos, int records, long bytes) {
    kafkaSend.get(signal).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    kafkaRecords.get(signal).increment(records);
    kafkaBytes.get(signal).increment(bytes);
  }

  private Counter rejectedCounter(OtlpSignal signal, String reason) {
    return rejected.computeIfAbsent(signal.id + '/' + reason, k -> Counter.builder(itemMeter(signal, "rejected"))
        .description(signal.itemName + " not written, by reason").tag("reason", reason).register(registry));
  }

  private static String itemMeter(OtlpSignal signal, String what) {
    return "tributary.gateway." + signal.itemName.replace(' ', '.') + "." + what;
  }
}
