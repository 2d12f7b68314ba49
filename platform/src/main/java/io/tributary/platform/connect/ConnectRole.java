package io.tributary.platform.connect;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.streams.StreamsHttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Kafka Connect worker with the Tributary sinks, then creates the connectors its settings
 * list, each validated by the plugin's own {@code ConfigDef} first. Its metrics port serves the sink
 * tasks' counts ({@link SinkTaskMeters}) and the worker's health.
 */
public final class ConnectRole {

  private static final Logger log = LoggerFactory.getLogger(ConnectRole.class);
  private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(120);
  private static final String NAME = "connect";

  public static final RoleContext.Key<ConnectSettings> SETTINGS =
      RoleContext.Key.of("connect settings", ConnectSettings.class);
  /** Where {@code /metrics} (the sink tasks' counts) and the health checks answer (published once bound). */
  public static final RoleContext.Key<InetSocketAddress> HTTP_ADDRESS =
      RoleContext.Key.of("connect http address", InetSocketAddress.class);
  /** The worker's REST API (published by this role once it listens). */
  public static final RoleContext.Key<URI> REST_URL = RoleContext.Key.of("connect REST URL", URI.class);

  private ConnectRole() {}

  public static AutoCloseable start(RoleContext context) {
    ConnectSettings settings = context.require(SETTINGS);
    EmbeddedConnectWorker.Builder builder = EmbeddedConnectWorker.builder()
        .bootstrapServers(context.require(KafkaOptions.BOOTSTRAP_SERVERS))
        .groupId(settings.groupId())
        .listener(settings.listener())
        .replicationFactor(settings.replicationFactor())
        .pluginPath(settings.pluginPath());
    settings.workerConfig().forEach(builder::workerConfig);
    EmbeddedConnectWorker worker = builder.build().start();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SinkTaskMeters meters = new SinkTaskMeters(registry, worker::metrics);
    WorkerHealth health = new WorkerHealth(worker);
    StreamsHttpServer server = null;
    try {
      server = StreamsHttpServer.start(NAME, settings.metricsHost(), settings.metricsPort(), registry, () -> {
        try {
          meters.refresh();
        } catch (IllegalStateException e) {
          // The worker is stopping: the scrape answers with the meters it has.
        }
      }, health);
      ConnectRestClient client = worker.client();
      for (ConnectorSpec connector : settings.connectors()) {
        create(client, connector);
      }
      for (ConnectorSpec connector : settings.connectors()) {
        client.awaitRunning(connector.name(), 1, RUNNING_TIMEOUT);
        log.info("Connector {} running", connector.name());
      }
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      worker.stop();
      registry.close();
      throw e;
    }
    health.ready = true;
    settings.disabledSinks().forEach(log::info);
    context.put(REST_URL, worker.restUrl());
    context.put(HTTP_ADDRESS, new InetSocketAddress(settings.metricsHost(), server.port()));
    StreamsHttpServer started = server;
    return () -> {
      health.ready = false;
      worker.stop();
      started.close();
      registry.close();
    };
  }

  /** Live while the worker runs; ready once the connectors it was given run too. */
  private static final class WorkerHealth implements StreamsHttpServer.Health {
    private final EmbeddedConnectWorker worker;
    volatile boolean ready;

    WorkerHealth(EmbeddedConnectWorker worker) {
      this.worker = worker;
    }

    @Override
    public boolean isLive() {
      return worker.isRunning();
    }

    @Override
    public boolean isReady() {
      return ready && worker.isRunning();
    }

    @Override
    public String describe() {
      return "connect worker: " + (!worker.isRunning() ? "stopped" : ready ? "running" : "starting connectors") + "\n";
    }
  }

  private static void create(ConnectRestClient client, ConnectorSpec connector) {
    Map<String, String> named = new HashMap<>(connector.config());
    named.put("name", connector.name()); // the validate call checks Connect's own options too
    ConnectRestClient.Validation validation = client.validate(connector.config().get("connector.class"), named);
    if (!validation.isValid()) {
      throw new ConfigException("connector " + connector.name() + ": invalid configuration: "
          + validation.problems().stream().map(p -> p.config() + ": " + p.message())
              .collect(Collectors.joining("; ")));
    }
    client.putConnector(connector.name(), connector.config());
    log.info("Connector {} created ({})", connector.name(), connector.config().get("connector.class"));
  }
}
