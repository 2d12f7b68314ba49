package io.tributary.sinks.remotewrite;

import io.tributary.sinks.internal.TributarySinkConnector;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Writes {@code MetricPoint} records (topic {@code telemetry.metrics}) to a Prometheus-compatible
 * store with the remote_write 1.0 protocol: Prometheus, VictoriaMetrics, Grafana Mimir, Thanos
 * Receive. OpenTelemetry names become Prometheus names as the OpenTelemetry specification says;
 * samples are sharded by series so each series stays in order; transient failures are retried,
 * samples the store refuses go to the dead-letter queue with the store's reason while the rest of
 * their batch is still delivered. See {@link PrometheusRemoteWriteSinkConnectorConfig} for the
 * options.
 */
public final class PrometheusRemoteWriteSinkConnector extends TributarySinkConnector {

  public PrometheusRemoteWriteSinkConnector() {
    super(PrometheusRemoteWriteSinkConnectorConfig.CONFIG_DEF, PrometheusRemoteWriteSinkTask.class);
  }

  @Override
  protected void parse(Map<String, String> props) {
    new PrometheusRemoteWriteSinkConnectorConfig(props);
  }

  @Override
  protected void crossValidate(List<ConfigValue> values, Map<String, String> props) {
    PrometheusRemoteWriteSinkConnectorConfig.crossValidate(values, props);
  }
}
