package io.tributary.gateway.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.gateway.ApiKeys;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.TenantLimit;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal, unstable. Everything behind the gateway's two ports, built from a {@link GatewayConfig}:
 * the Kafka publisher, in-flight accounting, metrics and the services. The servers themselves (ports,
 * TLS, timeouts) are {@code OtlpGateway}'s; tests can serve these services from their own server.
 */
public final class GatewayServices implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayServices.class);

  /** Room for record headers and batch framing within the topics' max.message.bytes. */
  private static final int RECORD_OVERHEAD_BYTES = 64 * 1024;
  static final int MAX_RECORD_VALUE_BYTES = TopicCatalog.MAX_MESSAGE_BYTES - RECORD_OVERHEAD_BYTES;
  /** Producer buffer beyond the in-flight cap: partly filled batches of every partition. */
  private static final long PRODUCER_BUFFER_SLACK = 64L * 1024 * 1024;
  private static final int LINGER_MS = 5;
  private static final int BATCH_BYTES = 512 * 1024;
  private static final Duration MAX_BLOCK = Duration.ofSeconds(1);

  private final GatewayConfig config;
  private final PrometheusMeterRegistry registry;
  private final GatewayMetrics metrics;
  private final KafkaPublisher publisher;
  private final InFlightBytes inFlight;
  private final TenantDirectory tenants;
  private final TenantRateLimiter tenantLimits;
  private final ApiKeysReloader apiKeysReloader;
  private final ExportHandler handler;
  private final JvmGcMetrics gcMetrics;
  private volatile boolean serving;

  public GatewayServices(GatewayConfig config) {
    this.config = config;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    this.metrics = new GatewayMetrics(registry);
    this.inFlight = new InFlightBytes(config.maxInFlightBytes());
    Map<OtlpSignal, String> topics = new EnumMap<>(OtlpSignal.class);
    for (OtlpSignal signal : OtlpSignal.values()) {
      topics.put(signal, config.rawTopic(signal.signal));
    }
    this.publisher = new KafkaPublisher(producerConfig(config), adminConfig(config),
        List.copyOf(Set.copyOf(topics.values())), metrics);
    Map<OtlpSignal, ExportSplitter> splitters = new EnumMap<>(OtlpSignal.class);
    for (OtlpSignal signal : OtlpSignal.values()) {
      splitters.put(signal, new ExportSplitter(signal.requestDescriptor, signal.inspectors, MAX_RECORD_VALUE_BYTES));
    }
    this.tenants = new TenantDirectory(config.apiKeys());
    this.tenantLimits = new TenantRateLimiter(config.tenantLimits(), System::nanoTime);
    metrics.registerTenants(tenantsOf(config.apiKeys(), config.tenantLimits()));
    this.handler = new ExportHandler(splitters, topics, publisher, inFlight, tenantLimits, metrics);
    metrics.bindGauges(inFlight, this::isReady);
    this.apiKeysReloader = config.apiKeysFile()
        .map(file -> new ApiKeysReloader(file, config.apiKeysReloadInterval(), this::apiKeysChanged, metrics))
        .orElse(null);
  }

  /** A new API keys file: keys and limits are replaced together, so a new key never runs unlimited. */
  private void apiKeysChanged(ApiKeys keys) {
    tenantLimits.limits(keys.tenantLimits());
    tenants.replace(keys);
    metrics.registerTenants(tenantsOf(keys.tenantsByKey(), keys.tenantLimits()));
  }

  private static Set<String> tenantsOf(Map<String, String> tenantsByKey, Map<String, TenantLimit> limits) {
    Set<String> tenants = new TreeSet<>(tenantsByKey.values());
    limits.keySet().stream().filter(t -> !t.equals(ApiKeys.ANY_TENANT)).forEach(tenants::add);
    if (tenantsByKey.isEmpty() && !limits.isEmpty()) {
      tenants.add(TelemetryHeaders.DEFAULT_TENANT);
    }
    return tenants;
  }

  /** The OTLP/gRPC port: the three {@code Export} services behind authentication. */
  public void configureGrpcServices(ServerBuilder sb) {
    GrpcService grpc = OtlpGrpcService.build(handler, config.maxRequestBytes(), config.retryAfter());
    sb.service(grpc, authentication(), service -> service.decorate(OtlpGrpcService.countRefusedByArmeria(metrics)));
    // Armeria's own server meters are exposed once, by the HTTP port; registering both servers' into one
    // registry would clash on the shared executors' meters.
    sb.meterRegistry(new CompositeMeterRegistry());
  }

  /**
   * The OTLP/HTTP port: {@code /v1/traces|logs|metrics} and Prometheus remote_write ({@code /api/v1/write})
   * behind authentication, health and metrics.
   */
  public void configureHttpServices(ServerBuilder sb) {
    sb.meterRegistry(registry);
    for (OtlpSignal signal : OtlpSignal.values()) {
      sb.service(signal.httpPath, new OtlpHttpService(signal, handler, config.maxRequestBytes(), config.retryAfter())
          .decorate(authentication()));
    }
    sb.service(RemoteWriteService.PATH, new RemoteWriteService(handler, config.maxRequestBytes(), MAX_RECORD_VALUE_BYTES,
        config.retryAfter()).decorate(authentication()));
    sb.service("/health/live", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "live\n"));
    sb.service("/health/ready", (ctx, req) -> {
      String reason = unreadyReason();
      return reason.isEmpty()
          ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ready\n")
          : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "not ready: " + reason + "\n");
    });
    sb.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
        MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), registry.scrape()));
  }

  private Function<? super HttpService, TenantAuthService> authentication() {
    return TenantAuthService.newDecorator(tenants, metrics, config.retryAfter());
  }

  /** Whether the servers are up (set by the owner of the servers). */
  public void serving(boolean serving) {
    this.serving = serving;
  }

  public boolean isReady() {
    return unreadyReason().isEmpty();
  }

  private String unreadyReason() {
    if (!serving) {
      return "not serving";
    }
    return publisher.unhealthyReason();
  }

  /** Flushes and closes the Kafka producer; call after the servers have drained. */
  @Override
  public void close() {
    serving = false;
    if (apiKeysReloader != null) {
      apiKeysReloader.close();
    }
    publisher.close(config.shutdownTimeout());
    gcMetrics.close();
    registry.close();
  }

  static Map<String, Object> producerConfig(GatewayConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "tributary-gateway");
    // Durability: the client hears success only after every replica in sync has the record.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicCatalog.MAX_MESSAGE_BYTES);
    // Requests hold their bytes until acknowledged, so the producer never needs much more than the cap.
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.maxInFlightBytes() + PRODUCER_BUFFER_SLACK);
    // send() runs on the sender thread, never an event loop; it still must not stall for long.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
    long deliveryMs = config.kafkaDeliveryTimeout().toMillis();
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, deliveryMs - LINGER_MS));
    p.putAll(config.producerOverrides());
    Object acks = p.get(ProducerConfig.ACKS_CONFIG);
    if (!"all".equals(acks) && !"-1".equals(String.valueOf(acks))) {
      log.warn("Producer acks={} overrides the gateway's acks=all: acknowledged telemetry can be lost when a broker"
          + " fails", acks);
    }
    return p;
  }

  /** The admin client that checks whether Kafka answers again: same servers and security settings. */
  static Map<String, Object> adminConfig(GatewayConfig config) {
    Map<String, Object> a = new HashMap<>();
    Set<String> adminKeys = AdminClientConfig.configNames();
    config.producerOverrides().forEach((k, v) -> {
      if (adminKeys.contains(k)) {
        a.put(k, v);
      }
    });
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    a.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-gateway-health");
    a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    return a;
  }
}
