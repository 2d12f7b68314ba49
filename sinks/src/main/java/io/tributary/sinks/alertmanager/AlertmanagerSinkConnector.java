package io.tributary.sinks.alertmanager;

import io.tributary.sinks.internal.TributarySinkConnector;
import java.util.Map;

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
}
