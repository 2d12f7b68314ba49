package io.tributary.sinks.otlp;

import io.tributary.sinks.internal.TributarySinkConnector;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Writes {@code Span} records (topic {@code telemetry.spans}) to any OTLP/HTTP receiver (Grafana
 * Tempo's distributor, an OpenTelemetry Collector): spans regrouped by resource and scope into
 * {@code ExportTraceServiceRequest}s, protobuf with gzip, one request per tenant with the tenant in
 * {@code X-Scope-OrgID}, retried per the OTLP specification; spans the receiver refuses go to the
 * dead-letter queue with its message while the rest of their batch is delivered. See
 * {@link OtlpSinkConnectorConfig} for the options.
 */
public final class OtlpSinkConnector extends TributarySinkConnector {

  public OtlpSinkConnector() {
    super(OtlpSinkConnectorConfig.CONFIG_DEF, OtlpSinkTask.class);
  }

  @Override
  protected void parse(Map<String, String> props) {
    new OtlpSinkConnectorConfig(props);
  }

  @Override
  protected void crossValidate(List<ConfigValue> values, Map<String, String> props) {
    OtlpSinkConnectorConfig.crossValidate(values, props);
  }
}
