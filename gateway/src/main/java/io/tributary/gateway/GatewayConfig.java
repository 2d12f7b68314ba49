package io.tributary.gateway;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settings of the {@link OtlpGateway}, immutable; build one with {@link #builder()}. Every setting
 * is checked when set; {@link Builder#build()} checks the rules between settings.
 */
public final class GatewayConfig {

  public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
  /** The OTLP/gRPC port of the OpenTelemetry specification. */
  public static final int DEFAULT_GRPC_PORT = 4317;
  /** The OTLP/HTTP port of the OpenTelemetry specification. */
  public static final int DEFAULT_HTTP_PORT = 4318;
  public static final String DEFAULT_SPANS_TOPIC = Signal.TRACES.rawTopic().orElseThrow().name();
  public static final String DEFAULT_LOGS_TOPIC = Signal.LOGS.rawTopic().orElseThrow().name();
  public static final String DEFAULT_METRICS_TOPIC = Signal.METRICS.rawTopic().orElseThrow().name();
  /** Largest request body after decompression. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
  /** Bytes of requests received and not yet answered, beyond which requests get 429. */
  public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 256L * 1024 * 1024;
  /** What Retry-After and gRPC RetryInfo tell clients on 429 and 503. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
  /** How long Kafka may take to acknowledge a record before the request gets 503. */
  public static final Duration DEFAULT_KAFKA_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  /** On close, how long no request must have arrived before the servers stop. */
  public static final Duration DEFAULT_SHUTDOWN_QUIET_PERIOD = Duration.ofSeconds(1);
  /** On close, the longest wait for in-flight requests. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(40);
  /**
   * How often the API keys file is checked for changes. A Kubernetes Secret update reaches the pod's
   * volume within about a minute anyway; reading a small file this often costs nothing.
   */
  public static final Duration DEFAULT_API_KEYS_RELOAD_INTERVAL = Duration.ofSeconds(10);

  static final int MIN_REQUEST_BYTES = 1024;
  static final int MAX_REQUEST_BYTES = 1024 * 1024 * 1024;
  /** Producer settings owned by other options of this class. */
  private static final Map<String, String> RESERVED_PRODUCER_KEYS = Map.of(
      "bootstrap.servers", "bootstrapServers",
      "delivery.timeout.ms", "kafkaDeliveryTimeout",
      "key.serializer", "(fixed: the gateway writes bytes)",
      "value.serializer", "(fixed: the gateway writes bytes)");
  private static final Set<String> SECRET_HINTS = Set.of("password", "secret", "jaas", "token", "key.pass");

  private final String bindAddress;
  private final int grpcPort;
  private final int httpPort;
  private final String bootstrapServers;
  private final String spansTopic;
  private final String logsTopic;
  private final String metricsTopic;
  private final int maxRequestBytes;
  private final long maxInFlightBytes;
  private final Duration retryAfter;
  private final Duration kafkaDeliveryTimeout;
  private final Map<String, String> producerOverrides;
  private final Map<String, String> apiKeys;
  private final Map<String, TenantLimit> tenantLimits;
  private final Path apiKeysFile;
  private final Duration apiKeysReloadInterval;
  private final Path tlsCertificateChain;
  private final Path tlsPrivateKey;
  private final Duration shutdownQuietPeriod;
  private final Duration shutdownTimeout;

  private GatewayConfig(Builder b) {
    this.bindAddress = b.bindAddress;
    this.grpcPort = b.grpcPort;
    this.httpPort = b.httpPort;
    this.bootstrapServers = b.bootstrapServers;
    this.spansTopic = b.spansTopic;
    this.logsTopic = b.logsTopic;
    this.metricsTopic = b.metricsTopic;
    this.maxRequestBytes = b.maxRequestBytes;
    this.maxInFlightBytes = b.maxInFlightBytes;
    this.retryAfter = b.retryAfter;
    this.kafkaDeliveryTimeout = b.kafkaDeliveryTimeout;
    this.producerOverrides = Map.copyOf(b.producerOverrides);
    this.apiKeys = Map.copyOf(b.apiKeys);
    this.tenantLimits = Map.copyOf(b.tenantLimits);
    this.apiKeysFile = b.apiKeysFile;
    this.apiKeysReloadInterval = b.apiKeysReloadInterval;
    this.tlsCertificateChain = b.tlsCertificateChain;
    this.tlsPrivateKey = b.tlsPrivateKey;
    this.shutdownQuietPeriod = b.shutdownQuietPeriod;
    this.shutdownTimeout = b.shutdownTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bindAddress = bindAddress;
    b.grpcPort = grpcPort;
    b.httpPort = httpPort;
    b.bootstrapServers = bootstrapServers;
    b.spansTopic = spansTopic;
    b.logsTopic = logsTopic;
    b.metricsTopic = metricsTopic;
    b.maxRequestBytes = maxRequestBytes;
    b.maxInFlightBytes = maxInFlightBytes;
    b.retryAfter = retryAfter;
    b.kafkaDeliveryTimeout = kafkaDeliveryTimeout;
    b.producerOverrides.putAll(producerOverrides);
    b.apiKeys.putAll(apiKeys);
    b.tenantLimits.putAll(tenantLimits);
    b.apiKeysFile = apiKeysFile;
    b.apiKeysReloadInterval = apiKeysReloadInterval;
    b.tlsCertificateChain = tlsCertificateChain;
    b.tlsPrivateKey = tlsPrivateKey;
    b.shutdownQuietPeriod = shutdownQuietPeriod;
    b.shutdownTimeout = shutdownTimeout;
    return b;
  }

  /** The address both ports bind to. */
  public String bindAddress() {
    return bindAddress;
  }

  /** The OTLP/gRPC port; 0 picks a free one (see {@link OtlpGateway#grpcPort()}). */
  public int grpcPort() {
    return grpcPort;
  }

  /** The OTLP/HTTP port, also serving /health/live, /health/ready and /metrics; 0 picks a free one. */
  public int httpPort() {
    return httpPort;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String spansTopic() {
    return spansTopic;
  }

  public String logsTopic() {
    return logsTopic;
  }

  public String metricsTopic() {
    return metricsTopic;
  }

  /**
   * The topic the gateway writes {@code signal}'s requests to.
   *
   * @throws IllegalArgumentException for a signal the gateway does not receive (alerts)
   */
  public String rawTopic(Signal signal) {
    return switch (signal) {
      case TRACES -> spansTopic;
      case LOGS -> logsTopic;
      case METRICS -> metricsTopic;
      case ALERTS -> throw new IllegalArgumentException("signal: " + signal + " (expected: one of "
          + Signal.pipelines() + ", the signals the gateway receives)");
    };
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  public long maxInFlightBytes() {
    return maxInFlightBytes;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public Duration kafkaDeliveryTimeout() {
    return kafkaDeliveryTimeout;
  }

  /** Kafka producer settings applied over the gateway's own (e.g. security settings). */
  public Map<String, String> producerOverrides() {
    return producerOverrides;
  }

  /** API key to tenant; empty means authentication is off and every request is the default tenant. */
  public Map<String, String> apiKeys() {
    return apiKeys;
  }

  public boolean authenticationEnabled() {
    return !apiKeys.isEmpty();
  }

  /**
   * Tenant to its limit per gateway instance; {@link ApiKeys#ANY_TENANT} applies to every tenant
   * without an entry (with authentication off, to the default tenant). Empty: no tenant is limited.
   */
  public Map<String, TenantLimit> tenantLimits() {
    return tenantLimits;
  }

  /** The API keys file, when the keys came from one: the gateway reloads it when its content changes. */
  public Optional<Path> apiKeysFile() {
    return Optional.ofNullable(apiKeysFile);
  }

  public Duration apiKeysReloadInterval() {
    return apiKeysReloadInterval;
  }

  /** PEM certificate chain when TLS is on. */
  public Optional<Path> tlsCertificateChain() {
    return Optional.ofNullable(tlsCertificateChain);
  }

  /** PEM (PKCS#8) private key when TLS is on. */
  public Optional<Path> tlsPrivateKey() {
    return Optional.ofNullable(tlsPrivateKey);
  }

  public Duration shutdownQuietPeriod() {
    return shutdownQuietPeriod;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Every setting; API keys only counted and secret-looking producer settings masked. */
  @Override
  public String toString() {
    Map<String, String> overrides = new TreeMap<>();
    producerOverrides.forEach((k, v) -> overrides.put(k, looksSecret(k) ? "***" : v));
    return "GatewayConfig{bindAddress=" + bindAddress + ", grpcPort=" + grpcPort + ", httpPort=" + httpPort
        + ", bootstrapServers=" + bootstrapServers + ", spansTopic=" + spansTopic + ", logsTopic=" + logsTopic
        + ", metricsTopic=" + metricsTopic + ", maxRequestBytes=" + maxRequestBytes
        + ", maxInFlightBytes=" + maxInFlightBytes + ", retryAfter=" + retryAfter
        + ", kafkaDeliveryTimeout=" + kafkaDeliveryTimeout + ", producerOverrides=" + overrides
        + ", apiKeys=" + (apiKeys.isEmpty() ? "none (authentication off)" : apiKeys.size() + " keys")
        + (apiKeysFile == null ? "" : " from " + apiKeysFile + " (checked every " + apiKeysReloadInterval + ")")
        + ", tenantLimits=" + (tenantLimits.isEmpty() ? "none" : new TreeMap<>(tenantLimits))
        + ", tls=" + (tlsCertificateChain == null ? "off" : tlsCertificateChain + " + " + tlsPrivateKey)
        + ", shutdownQuietPeriod=" + shutdownQuietPeriod + ", shutdownTimeout=" + shutdownTimeout + '}';
  }

  private static boolean looksSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_HINTS.stream().anyMatch(lower::contains);
  }

  /** Builds a {@link GatewayConfig}; only {@link #bootstrapServers} is required. */
  public static final class Builder {
    private String bindAddress = DEFAULT_BIND_ADDRESS;
    private int grpcPort = DEFAULT_GRPC_PORT;
    private int httpPort = DEFAULT_HTTP_PORT;
    private String bootstrapServers;
    private String spansTopic = DEFAULT_SPANS_TOPIC;
    private String logsTopic = DEFAULT_LOGS_TOPIC;
    private String metricsTopic = DEFAULT_METRICS_TOPIC;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private long maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
    private Duration retryAfter = DEFAULT_RETRY_AFTER;
    private Duration kafkaDeliveryTimeout = DEFAULT_KAFKA_DELIVERY_TIMEOUT;
    private final Map<String, String> producerOverrides = new LinkedHashMap<>();
    private final Map<String, String> apiKeys = new LinkedHashMap<>();
    private final Map<String, TenantLimit> tenantLimits = new LinkedHashMap<>();
    private Path apiKeysFile;
    private Duration apiKeysReloadInterval = DEFAULT_API_KEYS_RELOAD_INTERVAL;
    private Path tlsCertificateChain;
    private Path tlsPrivateKey;
    private Duration shutdownQuietPeriod = DEFAULT_SHUTDOWN_QUIET_PERIOD;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

    Builder() {}

    public Builder bindAddress(String bindAddress) {
      this.bindAddress = notBlank("bindAddress", bindAddress, "a host name or IP address");
      return this;
    }

    public Builder grpcPort(int grpcPort) {
      this.grpcPort = port("grpcPort", grpcPort);
      return this;
    }

    public Builder httpPort(int httpPort) {
      this.httpPort = port("httpPort", httpPort);
      return this;
    }

    /** Kafka's {@code bootstrap.servers}, e.g. {@code 127.0.0.1:9092}. Required. */
    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = notBlank("bootstrapServers", bootstrapServers, "host:port[,host:port...]");
      return this;
    }

    public Builder spansTopic(String spansTopic) {
      this.spansTopic = notBlank("spansTopic", spansTopic, "a topic name");
      return this;
    }

    public Builder logsTopic(String logsTopic) {
      this.logsTopic = notBlank("logsTopic", logsTopic, "a topic name");
      return this;
    }

    public Builder metricsTopic(String metricsTopic) {
      this.metricsTopic = notBlank("metricsTopic", metricsTopic, "a topic name");
      return this;
    }

    /** Largest request body after decompression; larger requests get 413 / RESOURCE_EXHAUSTED. */
    public Builder maxRequestBytes(int maxRequestBytes) {
      if (maxRequestBytes < MIN_REQUEST_BYTES || maxRequestBytes > MAX_REQUEST_BYTES) {
        throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes
            + " (expected: " + MIN_REQUEST_BYTES + "-" + MAX_REQUEST_BYTES + ")");
      }
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    /**
     * Cap on bytes of requests received and not yet answered; beyond it requests get 429 /
     * RESOURCE_EXHAUSTED. A request is always admitted when nothing else is in flight.
     */
    public Builder maxInFlightBytes(long maxInFlightBytes) {
      if (maxInFlightBytes < 1) {
        throw new IllegalArgumentException("maxInFlightBytes: " + maxInFlightBytes + " (expected: >= 1)");
      }
      this.maxInFlightBytes = maxInFlightBytes;
      return this;
    }

    public Builder retryAfter(Duration retryAfter) {
      requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative() || retryAfter.isZero()) {
        throw new IllegalArgumentException("retryAfter: " + retryAfter + " (expected: > 0)");
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /** How long Kafka may take to acknowledge a record (producer {@code delivery.timeout.ms}). */
    public Builder kafkaDeliveryTimeout(Duration kafkaDeliveryTimeout) {
      requireNonNull(kafkaDeliveryTimeout, "kafkaDeliveryTimeout");
      if (kafkaDeliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0
          || kafkaDeliveryTimeout.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("kafkaDeliveryTimeout: " + kafkaDeliveryTimeout + " (expected: PT1S-P1D)");
      }
      this.kafkaDeliveryTimeout = kafkaDeliveryTimeout;
      return this;
    }

    /** A Kafka producer setting applied over the gateway's own (security settings, tuning). */
    public Builder producerOverride(String key, String value) {
      notBlank("producer setting key", key, "a Kafka producer setting");
      requireNonNull(value, "value of producer setting " + key);
      String owner = RESERVED_PRODUCER_KEYS.get(key);
      if (owner != null) {
        throw new IllegalArgumentException("producer setting " + key + " (expected: set it through " + owner + ")");
      }
      producerOverrides.put(key, value);
      return this;
    }

    public Builder producerOverrides(Map<String, String> overrides) {
      requireNonNull(overrides, "producerOverrides").forEach(this::producerOverride);
      return this;
    }

    /** Adds API keys (key to tenant); any key turns authentication on. */
    public Builder apiKeys(Map<String, String> keysToTenants) {
      requireNonNull(keysToTenants, "apiKeys").forEach((key, tenant) -> {
        ApiKeys.checkKey(key);
        ApiKeys.checkTenant(tenant);
        apiKeys.put(key, tenant);
      });
      return this;
    }

    /**
     * The keys and tenant limits of an API keys file ({@link ApiKeys#load}); the running gateway
     * reloads that file whenever its content changes (a new key works, a removed one is refused, limits
     * change), and keeps the keys it has when the new content is invalid.
     */
    public Builder apiKeys(ApiKeys keys) {
      requireNonNull(keys, "apiKeys");
      apiKeys(keys.tenantsByKey());
      keys.tenantLimits().forEach(this::tenantLimit);
      this.apiKeysFile = keys.file();
      return this;
    }

    /**
     * Limits {@code tenant} (or, as {@link ApiKeys#ANY_TENANT}, every tenant without a limit of its
     * own) on each gateway instance; over it requests get 429 / RESOURCE_EXHAUSTED with a retry delay.
     */
    public Builder tenantLimit(String tenant, TenantLimit limit) {
      requireNonNull(limit, "limit of tenant " + tenant);
      if (!ApiKeys.ANY_TENANT.equals(tenant)) {
        ApiKeys.checkTenant(tenant);
      }
      tenantLimits.put(tenant, limit);
      return this;
    }

    /** How often the API keys file is checked for changes (only with {@link #apiKeys(ApiKeys)}). */
    public Builder apiKeysReloadInterval(Duration interval) {
      requireNonNull(interval, "apiKeysReloadInterval");
      if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("apiKeysReloadInterval: " + interval + " (expected: PT0.01S-PT1H)");
      }
      this.apiKeysReloadInterval = interval;
      return this;
    }

    /** Serves both ports over TLS with this PEM certificate chain and PEM (PKCS#8) private key. */
    public Builder tls(Path certificateChain, Path privateKey) {
      this.tlsCertificateChain = requireNonNull(certificateChain, "certificateChain");
      this.tlsPrivateKey = requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * On close, the servers stop once no request arrived for {@code quietPeriod} and none is in flight,
     * or after {@code timeout} at the latest (then in-flight requests are cut).
     */
    public Builder shutdown(Duration quietPeriod, Duration timeout) {
      requireNonNull(quietPeriod, "quietPeriod");
      requireNonNull(timeout, "timeout");
      if (quietPeriod.isNegative() || quietPeriod.isZero()) {
        throw new IllegalArgumentException("shutdown quietPeriod: " + quietPeriod
            + " (expected: > 0; in-flight requests are drained only with a quiet period)");
      }
      if (timeout.compareTo(quietPeriod) < 0) {
        throw new IllegalArgumentException("shutdown timeout: " + timeout + " (expected: >= quietPeriod " + quietPeriod + ")");
      }
      this.shutdownQuietPeriod = quietPeriod;
      this.shutdownTimeout = timeout;
      return this;
    }

    public GatewayConfig build() {
      if (bootstrapServers == null) {
        throw new IllegalStateException("bootstrapServers is required (Kafka's bootstrap.servers, e.g. 127.0.0.1:9092)");
      }
      if (grpcPort != 0 && grpcPort == httpPort) {
        throw new IllegalStateException("grpcPort and httpPort are both " + grpcPort + " (expected: two ports)");
      }
      return new GatewayConfig(this);
    }

    private static int port(String name, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + ": " + port + " (expected: 0-65535, 0 for any free port)");
      }
      return port;
    }

    private static String notBlank(String name, String value, String expected) {
      requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + ": '" + value + "' (expected: " + expected + ")");
      }
      return value;
    }
  }
}
