package io.tributary.platform.cli;

import io.tributary.platform.roles.RoleContext;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** The Kafka cluster a role talks to ({@code --bootstrap-server}). */
public final class KafkaOptions {

  /** Where {@code tributary dev} runs its broker, so tools work against it without flags. */
  public static final String DEFAULT_BOOTSTRAP_SERVER = "127.0.0.1:9092";

  /** The bootstrap servers of the cluster the roles of this process use. */
  public static final RoleContext.Key<String> BOOTSTRAP_SERVERS =
      RoleContext.Key.of("Kafka bootstrap servers", String.class);

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,HOST:PORT...]",
      defaultValue = DEFAULT_BOOTSTRAP_SERVER,
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServer = DEFAULT_BOOTSTRAP_SERVER;

  /** The checked bootstrap server list. */
  public String bootstrapServers() {
    return checkBootstrapServers(bootstrapServer);
  }

  /** {@code value} if every entry is {@code host:port}; a {@link ConfigException} naming the option otherwise. */
  public static String checkBootstrapServers(String value) {
    String trimmed = value == null ? "" : value.trim();
    boolean valid = !trimmed.isEmpty() && Arrays.stream(trimmed.split(",")).map(String::trim).allMatch(
        KafkaOptions::isHostPort);
    if (!valid) {
      throw ConfigException.invalid("--bootstrap-server", "'" + value + "'", "host:port[,host:port...]");
    }
    return trimmed;
  }

  private static boolean isHostPort(String entry) {
    int colon = entry.lastIndexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      return false;
    }
    try {
      int port = Integer.parseInt(entry.substring(colon + 1));
      return port > 0 && port <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
