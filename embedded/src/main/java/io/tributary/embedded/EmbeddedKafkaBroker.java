package io.tributary.embedded;

import io.tributary.embedded.internal.LocalResources;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka node (KRaft, broker and controller in one) running inside this JVM, by default a
 * cluster of its own ({@link Builder#clusterMember} makes it one node of several), bound to one host (127.0.0.1 by default) with its data in a directory that survives {@link #stop()}, so the
 * same broker can be stopped and started again on the same ports and data (outage tests, restarts
 * of {@code tributary dev}).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int DEFAULT_NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final String host;
  private final int port;
  private final int controllerPort;
  private final Path dataDir;
  private final boolean deleteDataOnClose;
  private final Map<String, String> overrides;
  private final int nodeId;
  private final String quorumVoters;
  private final String clusterId;
  private KafkaRaftServer server;

  private EmbeddedKafkaBroker(Builder b) {
    this.host = b.host;
    this.port = b.port == 0 ? LocalResources.freePort(b.host) : b.port;
    this.controllerPort = b.controllerPort == 0 ? LocalResources.freePort(b.host) : b.controllerPort;
    this.deleteDataOnClose = b.dataDir == null;
    this.dataDir = b.dataDir != null ? b.dataDir : LocalResources.tempDir("kafka");
    this.overrides = Map.copyOf(b.overrides);
    this.nodeId = b.nodeId;
    this.quorumVoters = b.quorumVoters != null ? b.quorumVoters : nodeId + "@" + host + ":" + controllerPort;
    this.clusterId = b.clusterId;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return host + ":" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Formats the data directory on first use, starts the broker and returns once it answers
   * metadata requests. Starting a running broker does nothing.
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      KafkaConfig config = KafkaConfig.fromProps(serverProperties());
      formatIfNeeded();
      KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
      raftServer.startup();
      server = raftServer;
    } catch (IOException e) {
      throw new UncheckedIOException("Kafka data directory " + dataDir + ": " + e.getMessage(), e);
    }
    awaitReady();
    log.info("Kafka broker ready on {} (data in {})", bootstrapServers(), dataDir);
    return this;
  }

  /** Stops the broker and keeps its data; {@link #start()} brings it back on the same ports. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
    log.info("Kafka broker on {} stopped", bootstrapServers());
  }

  /** Stops the broker and deletes its data if the data directory was a temporary one. */
  @Override
  public synchronized void close() {
    stop();
    if (deleteDataOnClose) {
      LocalResources.deleteRecursively(dataDir);
    }
  }

  private Properties serverProperties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", quorumVoters);
    p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir().toString());
    // One node: every internal topic has one replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    p.put("num.partitions", "1");
    p.putAll(overrides);
    return p;
  }

  private Path logDir() {
    return dataDir.resolve("kraft-combined-logs");
  }

  private void formatIfNeeded() throws IOException {
    if (Files.exists(logDir().resolve("meta.properties"))) {
      return;
    }
    try (PrintStream quiet = new PrintStream(PrintStream.nullOutputStream())) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(nodeId)
          .setClusterId(clusterId != null ? clusterId : Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir().toString()))
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(logDir().toString())
          .setIgnoreFormatted(true)
          .run();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Formatting Kafka storage in " + logDir() + " failed: " + e.getMessage(), e);
    }
  }

  private void awaitReady() {
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(conf)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "Kafka broker on " + bootstrapServers() + " not ready after " + READY_TIMEOUT, e);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for Kafka on " + bootstrapServers(), e);
        }
      }
    }
  }

  /** Builds an {@link EmbeddedKafkaBroker}; every setting has a default fit for a laptop or a test. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private int controllerPort;
    private Path dataDir;
    private int nodeId = DEFAULT_NODE_ID;
    private String quorumVoters;
    private String clusterId;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    Builder() {}

    /**
     * Makes this broker node {@code nodeId} of a cluster whose controllers (every node here is broker
     * and controller) are {@code quorumVoters} ({@code id@host:controllerPort,...}, this node's among
     * them) and whose storage is formatted with {@code clusterId}, the same on every node. Default: a
     * cluster of one with a random id. The replication settings are {@link #brokerConfig}'s to raise.
     */
    public Builder clusterMember(int nodeId, String quorumVoters, String clusterId) {
      if (nodeId < 0) {
        throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: >= 0)");
      }
      requireNonNull(quorumVoters, "quorumVoters");
      if (!quorumVoters.matches("(\\d+@[^,@]+:\\d+)(,\\d+@[^,@]+:\\d+)*")
          || !("," + quorumVoters).contains("," + nodeId + "@")) {
        throw new IllegalArgumentException("quorumVoters: '" + quorumVoters
            + "' (expected: id@host:port[,id@host:port...] including node " + nodeId + ")");
      }
      this.nodeId = nodeId;
      this.quorumVoters = quorumVoters;
      this.clusterId = requireNonNull(clusterId, "clusterId");
      return this;
    }

    /** The address both listeners bind to (default 127.0.0.1). */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** The client port (default: a free port). */
    public Builder port(int port) {
      this.port = LocalResources.checkPort("port", port);
      return this;
    }

    /** The controller (KRaft quorum) port (default: a free port). */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = LocalResources.checkPort("controllerPort", controllerPort);
      return this;
    }

    /** Where the broker keeps its log (default: a temporary directory deleted on close). */
    public Builder dataDir(Path dataDir) {
      this.dataDir = requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Any broker setting (server.properties key), applied last. */
    public Builder brokerConfig(String key, String value) {
      overrides.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    public EmbeddedKafkaBroker build() {
      return new EmbeddedKafkaBroker(this);
    }
  }
}
