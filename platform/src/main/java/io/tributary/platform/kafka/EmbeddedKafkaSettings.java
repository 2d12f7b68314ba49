package io.tributary.platform.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where the embedded broker listens and keeps its data.
 *
 * @param host the address both listeners bind to
 * @param port the client port
 * @param controllerPort the KRaft controller port
 * @param dataDir the data directory, kept across restarts
 */
public record EmbeddedKafkaSettings(String host, int port, int controllerPort, Path dataDir) {

  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;
  public static final String DEFAULT_DATA_DIR = "data/kafka";

  public EmbeddedKafkaSettings {
    requireNonNull(host, "host");
    requireNonNull(dataDir, "dataDir");
  }

  /** {@code host:port} for clients. */
  public String bootstrapServers() {
    return host + ":" + port;
  }
}
