package io.tributary.sinks.alertmanager;

import io.tributary.sinks.internal.PluginVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Sends alert state changes from {@code telemetry.alerts} to Alertmanager ({@code POST
 * /api/v2/alerts}, firing alerts re-sent on an interval, {@code endsAt} on resolution) or, in
 * webhook mode, to plain webhooks. Options: {@link AlertmanagerSinkConfig}.
 */
public final class AlertmanagerSinkConnector extends SinkConnector {

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    new AlertmanagerSinkConfig(props); // fail fast with the reason
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return AlertmanagerSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return AlertmanagerSinkConfig.CONFIG_DEF;
  }

  @Override
  public String version() {
    return PluginVersion.get();
  }
}
