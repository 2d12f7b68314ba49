package io.tributary.sinks.remotewrite;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/** A task's options: the connector's plus the task id the connector assigns. */
public final class PrometheusRemoteWriteSinkTaskConfig extends PrometheusRemoteWriteSinkConnectorConfig {

  public static final String TASK_ID_CONFIG = io.tributary.sinks.internal.TributarySinkConnector.TASK_ID_CONFIG;

  static final ConfigDef TASK_CONFIG_DEF = configDef().define(TASK_ID_CONFIG, ConfigDef.Type.INT, 0,
      ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW, "Set by the connector: the task's number.");

  public PrometheusRemoteWriteSinkTaskConfig(Map<String, String> props) {
    super(TASK_CONFIG_DEF, props);
  }

  public int taskId() {
    return getInt(TASK_ID_CONFIG);
  }
}
