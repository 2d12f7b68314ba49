package io.tributary.sinks.otlp;

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
 * Writes {@code Span} records (topic {@code telemetry.spans}) to any OTLP/HTTP receiver (Grafana
 * Tempo's distributor, an OpenTelemetry Collector): spans regrouped by resource and scope into
 * {@code ExportTraceServiceRequest}s, protobuf with gzip, one request per tenant with the tenant in
 * {@code X-Scope-OrgID}, retried per the OTLP specification; spans the receiver refuses go to the
 * dead-letter queue with its message while the rest of their batch is delivered. See
 * {@link OtlpSinkConnectorConfig} for the options.
 */
public final class OtlpSinkConnector extends SinkConnector {

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    new OtlpSinkConnectorConfig(props); // validates; throws ConfigException with the reason
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return OtlpSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      Map<String, String> c = new HashMap<>(props);
      c.put(OtlpSinkTaskConfig.TASK_ID_CONFIG, Integer.toString(i));
      configs.add(c);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return OtlpSinkConnectorConfig.CONFIG_DEF;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    OtlpSinkConnectorConfig.crossValidate(config.configValues(), connectorConfigs);
    return config;
  }

  @Override
  public String version() {
    return PluginVersion.get();
  }
}
