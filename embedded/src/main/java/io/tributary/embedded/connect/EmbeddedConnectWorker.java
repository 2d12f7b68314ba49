package io.tributary.embedded.connect;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka Connect worker in distributed mode running inside this JVM: the worker of
 * {@code tributary connect} and {@code tributary dev}, and of the sink tests. Connectors on the
 * classpath are found through {@code META-INF/services} ({@code plugin.discovery=service_load}),
 * which starts a worker in seconds instead of scanning every jar.
 *
 * <p>Distributed mode even for one worker: connector configs, offsets and status live in Kafka
 * topics, so a restart resumes where it stopped and the offsets API (replay) works.
 */
public final class EmbeddedConnectWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedConnectWorker.class);

  public static final String DEFAULT_GROUP_ID = "tributary-connect";
  public static final String DEFAULT_LISTENER = "http://127.0.0.1:8083";

  private final Map<String, String> workerProps;
  private Connect<DistributedHerder> connect;
  private URI restUrl;

  private EmbeddedConnectWorker(Builder b) {
    this.workerProps = workerProps(b);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The worker properties this worker starts with (for logs and tests). */
  public Map<String, String> workerProps() {
    return workerProps;
  }

  /** Starts the worker and its REST server; returns once the REST server listens. */
  public synchronized EmbeddedConnectWorker start() {
    if (connect != null) {
      return this;
    }
    log.info("Starting Kafka Connect worker (group {}, {}) on {}",
        workerProps.get("group.id"), workerProps.get("bootstrap.servers"), workerProps.get("listeners"));
    connect = new ConnectDistributed().startConnect(workerProps);
    restUrl = connect.rest().serverUrl();
    log.info("Kafka Connect worker ready, REST API at {}", restUrl);
    return this;
  }

  /** The REST API's base URL, e.g. {@code http://127.0.0.1:8083/}. */
  public synchronized URI restUrl() {
    if (restUrl == null) {
      throw new IllegalStateException("the Connect worker is not started");
    }
    return restUrl;
  }

  /** A client for this worker's REST API. */
  public ConnectRestClient client() {
    return new ConnectRestClient(restUrl());
  }

  /**
   * The worker's Kafka metrics: Connect's own and those its connectors and tasks register as plugin
   * metrics (group {@code plugins}, tags {@code connector} and {@code task}), as its JMX shows them.
   */
  public synchronized Metrics metrics() {
    if (connect == null) {
      throw new IllegalStateException("the Connect worker is not started");
    }
    return connect.herder().connectMetrics().metrics();
  }

  public synchronized boolean isRunning() {
    return connect != null;
  }

  /** Stops connectors and tasks (committing their offsets), then the worker. */
  public synchronized void stop() {
    if (connect != null) {
      connect.stop();
      connect.awaitStop();
      connect = null;
      restUrl = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static Map<String, String> workerProps(Builder b) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("bootstrap.servers", requireNonNull(b.bootstrapServers, "bootstrapServers"));
    p.put("group.id", b.groupId);
    p.put("config.storage.topic", b.groupId + "-configs");
    p.put("offset.storage.topic", b.groupId + "-offsets");
    p.put("status.storage.topic", b.groupId + "-status");
    p.put("config.storage.replication.factor", String.valueOf(b.replicationFactor));
    p.put("offset.storage.replication.factor", String.valueOf(b.replicationFactor));
    p.put("status.storage.replication.factor", String.valueOf(b.replicationFactor));
    // Tributary's sinks decode Avro themselves (both wire formats), so the worker hands them bytes.
    p.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    p.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    p.put("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter");
    p.put("listeners", b.listener);
    p.put("plugin.discovery", "service_load");
    p.put("offset.flush.interval.ms", "10000");
    if (b.pluginPath != null) {
      p.put("plugin.path", b.pluginPath);
    }
    p.putAll(b.overrides);
    return Map.copyOf(p);
  }

  public static final class Builder {
    private String bootstrapServers;
    private String groupId = DEFAULT_GROUP_ID;
    private String listener = DEFAULT_LISTENER;
    private int replicationFactor = 1;
    private String pluginPath;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder() {}

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
      return this;
    }

    /** The Connect cluster's group id; also the prefix of its three internal topics. */
    public Builder groupId(String groupId) {
      if (groupId == null || groupId.isBlank()) {
        throw new IllegalArgumentException("groupId: '" + groupId + "' (expected: a non-blank name)");
      }
      this.groupId = groupId;
      return this;
    }

    /** The REST listener, e.g. {@code http://127.0.0.1:8083}; port 0 picks a free port. */
    public Builder listener(String listener) {
      URI uri = URI.create(requireNonNull(listener, "listener"));
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("listener: " + listener + " (expected: http://host:port)");
      }
      this.listener = listener;
      return this;
    }

    /**
     * Replication factor of the internal topics (1 on a single broker, 3 in production; -1 takes
     * the broker's {@code default.replication.factor}).
     */
    public Builder replicationFactor(int replicationFactor) {
      if (replicationFactor < 1 && replicationFactor != -1) {
        throw new IllegalArgumentException("replicationFactor: " + replicationFactor + " (expected: -1 or >= 1)");
      }
      this.replicationFactor = replicationFactor;
      return this;
    }

    /** Extra plugin directories, for connectors that are not on the classpath. */
    public Builder pluginPath(String pluginPath) {
      this.pluginPath = pluginPath;
      return this;
    }

    /** Any other worker property, applied last. */
    public Builder workerConfig(String key, String value) {
      overrides.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    public EmbeddedConnectWorker build() {
      requireNonNull(bootstrapServers, "bootstrapServers");
      return new EmbeddedConnectWorker(this);
    }
  }
}
