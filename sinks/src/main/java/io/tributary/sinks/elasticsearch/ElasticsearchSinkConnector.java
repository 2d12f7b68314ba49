package io.tributary.sinks.elasticsearch;

import io.tributary.sinks.internal.TributarySinkConnector;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Writes Tributary's processed topics (spans, logs, metric points, alerts) into Elasticsearch data
 * streams. Options: {@link ElasticsearchSinkConnectorConfig}. The worker must hand it the record
 * bytes ({@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter}); it
 * decodes Avro itself, in either wire format.
 */
public final class ElasticsearchSinkConnector extends TributarySinkConnector {

  public ElasticsearchSinkConnector() {
    super(ElasticsearchSinkConnectorConfig.CONFIG_DEF, ElasticsearchSinkTask.class);
  }

  @Override
  protected void parse(Map<String, String> props) {
    new ElasticsearchSinkConnectorConfig(props);
  }

  @Override
  protected void crossValidate(List<ConfigValue> values, Map<String, String> props) {
    Map<String, List<String>> problems = ElasticsearchSinkConnectorConfig.crossFieldProblems(props);
    for (ConfigValue value : values) {
      problems.getOrDefault(value.name(), List.of()).forEach(value::addErrorMessage);
    }
  }
}
