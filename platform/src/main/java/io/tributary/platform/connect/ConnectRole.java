package io.tributary.platform.connect;

import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Kafka Connect worker with the Tributary sinks, then creates the connectors its settings
 * list, each validated by the plugin's own {@code ConfigDef} first.
 */
public final class ConnectRole {

  private static final Logger log = LoggerFactory.getLogger(ConnectRole.class);
  private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(120);

  public static final RoleContext.Key<ConnectSettings> SETTINGS =
      RoleContext.Key.of("connect settings", ConnectSettings.class);
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
    try {
      ConnectRestClient client = worker.client();
      for (ConnectorSpec connector : settings.connectors()) {
        create(client, connector);
      }
      for (ConnectorSpec connector : settings.connectors()) {
        client.awaitRunning(connector.name(), 1, RUNNING_TIMEOUT);
        log.info("Connector {} running", connector.name());
      }
    } catch (RuntimeException e) {
      worker.stop();
      throw e;
    }
    settings.disabledSinks().forEach(log::info);
    context.put(REST_URL, worker.restUrl());
    return worker::stop;
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
