package io.tributary.platform.gateway;

import io.tributary.gateway.ApiKeys;
import io.tributary.gateway.GatewayConfig;
import io.tributary.platform.RoleRunner;
import io.tributary.platform.Roles;
import io.tributary.platform.cli.ByteSizeConverter;
import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.DurationConverter;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary gateway}: the OTLP gateway against an existing Kafka cluster. */
@Command(name = "gateway",
    sortOptions = false,
    description = {
      "Run the OTLP gateway: OTLP/gRPC and OTLP/HTTP (protobuf, JSON) in, the raw Kafka topics out. "
          + "Prometheus remote_write 1.0 (POST /api/v1/write), health (/health/live, /health/ready) and "
          + "Prometheus /metrics are on the HTTP port.",
      "Stops gracefully on SIGTERM: readiness turns false, in-flight requests finish, the producer flushes."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped, or (--check-config) the configuration is valid",
      "1:failed to start or run, or (--check-config) the configuration is invalid",
      "2:invalid options or files (the message names the option and the fix)"
    })
public final class GatewayCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  CheckConfigOption check;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = GatewayConfig.DEFAULT_BIND_ADDRESS,
      description = "Address both ports bind to (default: ${DEFAULT-VALUE}).")
  String bindAddress = GatewayConfig.DEFAULT_BIND_ADDRESS;

  @Option(names = "--grpc-port", paramLabel = "PORT", defaultValue = "" + GatewayConfig.DEFAULT_GRPC_PORT,
      description = "OTLP/gRPC port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int grpcPort = GatewayConfig.DEFAULT_GRPC_PORT;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + GatewayConfig.DEFAULT_HTTP_PORT,
      description = "OTLP/HTTP port, also health and /metrics (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int httpPort = GatewayConfig.DEFAULT_HTTP_PORT;

  @Option(names = "--api-keys-file", paramLabel = "FILE",
      description = "API keys mapped to tenants, one '<api key>: <tenant>' per line, and optional per-tenant limits, "
          + "'tenant <tenant>: 20000 items/s, 16MiB/s' ('tenant *' for every other tenant); clients send "
          + "'Authorization: Bearer <api key>'. Reloaded when it changes. Without it, authentication is off "
          + "(every request is the default tenant).")
  Path apiKeysFile;

  @Option(names = "--api-keys-reload-interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often --api-keys-file is checked for changes; a changed file is taken without a restart, "
          + "an invalid one is logged and the keys in use stay (default: ${DEFAULT-VALUE}).")
  Duration apiKeysReloadInterval = GatewayConfig.DEFAULT_API_KEYS_RELOAD_INTERVAL;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "PEM certificate chain: serve both ports over TLS (needs --tls-key).")
  Path tlsCertificate;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--max-request-bytes", paramLabel = "SIZE", converter = ByteSizeConverter.class,
      defaultValue = "" + GatewayConfig.DEFAULT_MAX_REQUEST_BYTES,
      description = "Largest request body after decompression, e.g. 16MiB; larger ones get 413 (default: ${DEFAULT-VALUE}).")
  long maxRequestBytes = GatewayConfig.DEFAULT_MAX_REQUEST_BYTES;

  @Option(names = "--max-in-flight-bytes", paramLabel = "SIZE", converter = ByteSizeConverter.class,
      defaultValue = "" + GatewayConfig.DEFAULT_MAX_IN_FLIGHT_BYTES,
      description = "Bytes of requests received and not yet acknowledged by Kafka; beyond it requests get 429 / "
          + "RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  long maxInFlightBytes = GatewayConfig.DEFAULT_MAX_IN_FLIGHT_BYTES;

  // Durations keep the gateway's defaults as initial values, so they cannot drift from them.
  @Option(names = "--retry-after", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "What 429 and 503 answers tell clients to wait (default: ${DEFAULT-VALUE}).")
  Duration retryAfter = GatewayConfig.DEFAULT_RETRY_AFTER;

  @Option(names = "--kafka-delivery-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long Kafka may take to acknowledge a record before the request "
          + "gets 503 (default: ${DEFAULT-VALUE}).")
  Duration kafkaDeliveryTimeout = GatewayConfig.DEFAULT_KAFKA_DELIVERY_TIMEOUT;

  @Option(names = "--producer-config", paramLabel = "FILE",
      description = "Kafka producer settings (properties file) applied over the gateway's own, e.g. "
          + "security.protocol and sasl.* for a secured cluster.")
  Path producerConfigFile;

  @Option(names = "--producer-property", paramLabel = "KEY=VALUE",
      description = "One Kafka producer setting, applied after --producer-config. Repeatable.")
  Map<String, String> producerProperties = new LinkedHashMap<>();

  @Option(names = "--spans-topic", paramLabel = "TOPIC",
      description = "Topic for traces (default: ${DEFAULT-VALUE}).")
  String spansTopic = GatewayConfig.DEFAULT_SPANS_TOPIC;

  @Option(names = "--logs-topic", paramLabel = "TOPIC",
      description = "Topic for logs (default: ${DEFAULT-VALUE}).")
  String logsTopic = GatewayConfig.DEFAULT_LOGS_TOPIC;

  @Option(names = "--metrics-topic", paramLabel = "TOPIC",
      description = "Topic for metrics (default: ${DEFAULT-VALUE}).")
  String metricsTopic = GatewayConfig.DEFAULT_METRICS_TOPIC;

  @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "On SIGTERM, the longest wait for in-flight requests "
          + "(default: ${DEFAULT-VALUE}).")
  Duration shutdownTimeout = GatewayConfig.DEFAULT_SHUTDOWN_TIMEOUT;

  @Override
  public Integer call() throws Exception {
    return RoleRunner.run(Roles.GATEWAY, spec, check, this::context);
  }

  /** The gateway's configuration from the options and the files they name. */
  RoleContext context() {
    String bootstrapServers = kafka.bootstrapServers();
    GatewayConfig.Builder builder = GatewayConfig.builder();
    set("--bind-address", () -> builder.bindAddress(bindAddress));
    set("--grpc-port", () -> builder.grpcPort(grpcPort));
    set("--http-port", () -> builder.httpPort(httpPort));
    set("--bootstrap-server", () -> builder.bootstrapServers(bootstrapServers));
    set("--max-request-bytes", () -> builder.maxRequestBytes(
        (int) Math.min(maxRequestBytes, Integer.MAX_VALUE)));
    set("--max-in-flight-bytes", () -> builder.maxInFlightBytes(maxInFlightBytes));
    set("--retry-after", () -> builder.retryAfter(retryAfter));
    set("--kafka-delivery-timeout", () -> builder.kafkaDeliveryTimeout(kafkaDeliveryTimeout));
    set("--spans-topic", () -> builder.spansTopic(spansTopic));
    set("--logs-topic", () -> builder.logsTopic(logsTopic));
    set("--metrics-topic", () -> builder.metricsTopic(metricsTopic));
    set("--shutdown-timeout", () -> builder.shutdown(GatewayConfig.DEFAULT_SHUTDOWN_QUIET_PERIOD, shutdownTimeout));
    Map<String, String> producer = producerConfig();
    producer.putAll(producerProperties);
    set("--producer-property", () -> builder.producerOverrides(producer));
    if (apiKeysFile != null) {
      ApiKeys keys = apiKeys();
      set("--api-keys-file", () -> builder.apiKeys(keys));
    }
    set("--api-keys-reload-interval", () -> builder.apiKeysReloadInterval(apiKeysReloadInterval));
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new ConfigException("--tls-cert and --tls-key go together: give both to serve TLS, or neither");
    }
    if (tlsCertificate != null) {
      requireReadable("--tls-cert", tlsCertificate);
      requireReadable("--tls-key", tlsKey);
      builder.tls(tlsCertificate, tlsKey);
    }
    GatewayConfig config;
    try {
      config = builder.build();
    } catch (IllegalStateException e) {
      throw new ConfigException(e.getMessage() + ": change --grpc-port or --http-port", e);
    }
    return new RoleContext().put(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers).put(GatewayRole.CONFIG, config);
  }

  private ApiKeys apiKeys() {
    try {
      return ApiKeys.load(apiKeysFile);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--api-keys-file: " + e.getMessage()
          + " (expected: a readable file with one '<api key>: <tenant>' or 'tenant <tenant>: <limit>' per line)", e);
    }
  }

  private Map<String, String> producerConfig() {
    Map<String, String> settings = new LinkedHashMap<>();
    if (producerConfigFile == null) {
      return settings;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(producerConfigFile)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--producer-config: cannot read " + producerConfigFile + " (" + e.getMessage()
          + "): give a readable Java properties file", e);
    }
    properties.stringPropertyNames().stream().sorted().forEach(k -> settings.put(k, properties.getProperty(k)));
    return settings;
  }

  private static void requireReadable(String option, Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(option + ": " + file + " is not a readable file (expected: a PEM file)");
    }
  }

  /**
   * Applies one builder setting, reporting a rejected value under the option's name instead of the
   * builder's ("maxRequestBytes: 10 (expected: ...)" becomes "--max-request-bytes: 10 (expected: ...)").
   */
  private static void set(String option, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      String detail = colon > 0 && !message.substring(0, colon).contains(" ") ? message.substring(colon + 2) : message;
      throw new ConfigException(option + ": " + detail, e);
    }
  }
}
