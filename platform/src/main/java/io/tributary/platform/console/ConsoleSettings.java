package io.tributary.platform.console;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the console role is told; whatever is empty is taken from the roles running in the same
 * process ({@code dev}): the Elasticsearch URL, the broker, the Connect worker, the roles' metrics.
 *
 * @param host the address the console binds
 * @param port its HTTP port (0: a free one)
 * @param elasticsearch the cluster the Elasticsearch sink writes to
 * @param bootstrapServers Kafka, for lag and topic throughput
 * @param connect the Kafka Connect REST URL
 * @param roles role name to HTTP base URL (serving {@code /metrics} and {@code /health/ready})
 * @param tenantsByKey API key to tenant (the gateway's keys); empty: authentication off
 */
public record ConsoleSettings(String host, int port, Optional<URI> elasticsearch, Optional<String> bootstrapServers,
    Optional<URI> connect, Map<String, URI> roles, Map<String, String> tenantsByKey) {

  public ConsoleSettings {
    roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    tenantsByKey = Map.copyOf(tenantsByKey);
  }

  /** {@code dev}'s: everything discovered, authentication off. */
  public static ConsoleSettings discovered(String host, int port) {
    return new ConsoleSettings(host, port, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of());
  }
}
