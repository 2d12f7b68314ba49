package io.tributary.platform.connect;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * How {@code tributary connect} runs its worker.
 *
 * @param groupId the Connect cluster (workers with the same id share connectors and tasks)
 * @param listener the REST API listener, {@code http://host:port}
 * @param replicationFactor of the worker's internal topics
 * @param pluginPath extra plugin directories (the Tributary sinks are on the classpath already)
 * @param workerConfig other worker properties, applied last
 * @param connectors connectors created or updated once the worker runs ({@code dev})
 * @param disabledSinks one line per sink left off and how to turn it on ({@code dev})
 * @param metricsHost where {@code /metrics} (the sink tasks' counts) and the health checks bind
 * @param metricsPort their port; 0 picks a free one
 */
public record ConnectSettings(
    String groupId,
    String listener,
    int replicationFactor,
    String pluginPath,
    Map<String, String> workerConfig,
    List<ConnectorSpec> connectors,
    List<String> disabledSinks,
    String metricsHost,
    int metricsPort) {

  public static final String DEFAULT_GROUP_ID = "tributary-connect";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8083;
  /** After the pipelines' 9464, alerting's 9465 and k8s-metadata's 9466. */
  public static final int DEFAULT_METRICS_PORT = 9467;

  public ConnectSettings {
    requireNonNull(groupId, "groupId");
    requireNonNull(listener, "listener");
    requireNonNull(metricsHost, "metricsHost");
    workerConfig = Map.copyOf(workerConfig);
    connectors = List.copyOf(connectors);
    disabledSinks = List.copyOf(disabledSinks);
  }

  /** The same worker with these connectors to create, and these sinks reported as off. */
  public ConnectSettings withConnectors(List<ConnectorSpec> connectors, List<String> disabledSinks) {
    return new ConnectSettings(groupId, listener, replicationFactor, pluginPath, workerConfig, connectors,
        disabledSinks, metricsHost, metricsPort);
  }
}
