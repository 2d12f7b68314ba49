package io.tributary.console;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the console reads and where it listens.
 *
 * @param bindAddress the address to listen on
 * @param port the HTTP port (0: a free one)
 * @param elasticsearch the cluster the Elasticsearch sink writes to (traces, logs, alerts); empty: those pages
 *     say that none is configured
 * @param bootstrapServers Kafka, for consumer lag and topic throughput (empty: not shown)
 * @param connect the Kafka Connect REST URL, for the sinks' connector and task states (empty: not shown)
 * @param roles each role's HTTP base URL, serving {@code /metrics} and {@code /health/ready}, by role name
 * @param tenantsByKey API key to tenant; empty turns authentication off (every tenant's data is shown)
 * @param sampleInterval how often throughput and lag are sampled
 */
public record ConsoleConfig(
    String bindAddress, int port, Optional<URI> elasticsearch, Optional<String> bootstrapServers, Optional<URI> connect,
    Map<String, URI> roles, Map<String, String> tenantsByKey, Duration sampleInterval) {

  public static final int DEFAULT_PORT = 8080;
  public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(5);

  public ConsoleConfig {
    requireNonNull(bindAddress, "bindAddress");
    requireNonNull(elasticsearch, "elasticsearch");
    requireNonNull(bootstrapServers, "bootstrapServers");
    requireNonNull(connect, "connect");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
    }
    requireNonNull(sampleInterval, "sampleInterval");
    if (sampleInterval.toMillis() < 100) {
      throw new IllegalArgumentException("sampleInterval: " + sampleInterval + " (expected: >= 100ms)");
    }
    // Role order is the order the overview shows them in.
    roles = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(roles, "roles")));
    tenantsByKey = Map.copyOf(requireNonNull(tenantsByKey, "tenantsByKey"));
  }

  /** Authentication off, no roles, Kafka and Connect unknown, default port and interval. */
  public static ConsoleConfig of(String bindAddress, int port, URI elasticsearch) {
    return new ConsoleConfig(bindAddress, port, Optional.of(elasticsearch), Optional.empty(), Optional.empty(), Map.of(), Map.of(),
        DEFAULT_SAMPLE_INTERVAL);
  }
}
