package io.tributary.sinks.remotewrite;

import io.tributary.sinks.internal.PluginVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes {@code MetricPoint} records (topic {@code telemetry.metrics}) to a Prometheus-compatible
 * store with the remote_write 1.0 protocol: Prometheus, VictoriaMetrics, Grafana Mimir, Thanos
 * Receive. OpenTelemetry names become Prometheus names as the OpenTelemetry specification says;
 * samples are sharded by series so each series stays in order; transient failures are retried,
 * samples the store refuses go to the dead-letter queue with the store's reason while the rest of
 * their batch is still delivered. See {@link PrometheusRemoteWriteSinkConnectorConfig} for the
 * options.
 */
public final class PrometheusRemoteWriteSinkConnector extends SinkConnector {

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    new PrometheusRemoteWriteSinkConnectorConfig(props); // validates; throws ConfigException with the reason
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PrometheusRemoteWriteSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      Map<String, String> c = new HashMap<>(props);
      c.put(PrometheusRemoteWriteSinkTaskConfig.TASK_ID_CONFIG, Integer.toString(i));
      configs.add(c);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return PrometheusRemoteWriteSinkConnectorConfig.CONFIG_DEF;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    PrometheusRemoteWriteSinkConnectorConfig.crossValidate(config.configValues(), connectorConfigs);
    return config;
  }

  @Override
  public String version() {
    return PluginVersion.get();
  }
}
