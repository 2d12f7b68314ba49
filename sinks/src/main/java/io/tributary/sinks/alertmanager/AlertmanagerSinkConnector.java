package io.tributary.sinks.alertmanager;

import io.tributary.sinks.internal.TributarySinkConnector;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Sends alert state changes from {@code telemetry.alerts} to Alertmanager ({@code POST
 * /api/v2/alerts}, firing alerts re-sent on an interval, {@code endsAt} on resolution) or, in
 * webhook mode, to plain webhooks. Options: {@link AlertmanagerSinkConfig}.
 */
public final class AlertmanagerSinkConnector extends TributarySinkConnector {

  public AlertmanagerSinkConnector() {
    super(AlertmanagerSinkConfig.CONFIG_DEF, AlertmanagerSinkTask.class);
  }

  @Override
  protected void parse(Map<String, String> props) {
    new AlertmanagerSinkConfig(props);
  }

  @Override
  protected void crossValidate(List<ConfigValue> values, Map<String, String> props) {
    HttpSinkOptions.addCrossCheckErrors(values, AlertmanagerSinkConfig.DEPRECATED.resolve("alertmanager-sink", props),
        HttpSinkOptions.AuthType.AUTO, AlertmanagerSinkConfig.DEFAULT_BATCH_SIZE,
        AlertmanagerSinkConfig.DEFAULT_BUFFER_MAX_SIZE);
  }
}
