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
 *       tributary_gateway_inflight_limit_bytes], readiness [tributary_gateway_ready];
 *   <li>per tenant: requests refused over the tenant's limit [tributary_gateway_tenant_limited_total{tenant,
 *       signal,limit}], items and bytes written [tributary_gateway_tenant_items_total,
 *       tributary_gateway_tenant_bytes_total]; API keys file reloads
 *       [tributary_gateway_api_keys_reloads_total{outcome}].
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
  private final ConcurrentMap<String, Counter> tenantCounters = new ConcurrentHashMap<>();
  private final Counter apiKeysReloaded;
  private final Counter apiKeysReloadFailed;

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    requests = new Counter[OtlpSignal.values().length][Transport.values().length][Outcome.values().length];
    for (OtlpSignal signal : OtlpSignal.values()) {
      for (Transport transport : Transport.values()) {
        if (!transport.carries(signal)) {
          continue;
        }
        for (Outcome outcome : Outcome.values()) {
          requests[signal.ordinal()][transport.ordinal()][outcome.ordinal()] = Counter
              .builder("tributary.gateway.requests")
              .description("Export requests (OTLP and remote_write) by signal, transport and outcome")
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
    apiKeysReloaded = Counter.builder("tributary.gateway.api.keys.reloads").tag("outcome", "success")
        .description("Changes of the API keys file taken, or refused (the keys in use stay)").register(registry);
    apiKeysReloadFailed = Counter.builder("tributary.gateway.api.keys.reloads").tag("outcome", "failure")
        .description("Changes of the API keys file taken, or refused (the keys in use stay)").register(registry);
  }

  /**
   * Shows the per-tenant meters of {@code tenants} at 0, so "never limited" reads as 0 rather than as a
   * missing series. Tenants come from the keys file, so their number is bounded.
   */
  void registerTenants(Iterable<String> tenants) {
    for (String tenant : tenants) {
      for (OtlpSignal signal : OtlpSignal.values()) {
        tenantLimitedCounter(tenant, signal, TenantRateLimiter.ITEMS);
        tenantLimitedCounter(tenant, signal, TenantRateLimiter.BYTES);
        tenantCounter("items", tenant, signal);
        tenantCounter("bytes", tenant, signal);
      }
    }
  }

  /** A request of {@code tenant} refused for being over its {@code limit} ("items" or "bytes"). */
  void tenantLimited(String tenant, OtlpSignal signal, String limit) {
    tenantLimitedCounter(tenant, signal, limit).increment();
  }

  /** Items and request bytes of {@code tenant} that Kafka acknowledged. */
  void tenantAccepted(String tenant, OtlpSignal signal, long items, long bytes) {
    tenantCounter("items", tenant, signal).increment(items);
    tenantCounter("bytes", tenant, signal).increment(bytes);
  }

  void apiKeysReload(boolean success) {
    (success ? apiKeysReloaded : apiKeysReloadFailed).increment();
  }

  private Counter tenantLimitedCounter(String tenant, OtlpSignal signal, String limit) {
    return tenantCounters.computeIfAbsent("limited/" + tenant + '/' + signal.id + '/' + limit,
        k -> Counter.builder("tributary.gateway.tenant.limited")
            .description("Requests refused with 429 / RESOURCE_EXHAUSTED because the tenant was over its limit")
            .tags("tenant", tenant, "signal", signal.id, "limit", limit).register(registry));
  }

  private Counter tenantCounter(String what, String tenant, OtlpSignal signal) {
    return tenantCounters.computeIfAbsent(what + '/' + tenant + '/' + signal.id,
        k -> Counter.builder("tributary.gateway.tenant." + what)
            .description(what.equals("items")
                ? "Items (spans, log records, data points) of the tenant written to Kafka"
                : "Request bytes (protobuf, decompressed) of the tenant written to Kafka")
            .tags("tenant", tenant, "signal", signal.id).register(registry));
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
