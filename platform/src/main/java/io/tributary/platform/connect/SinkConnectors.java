package io.tributary.platform.connect;

import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.sinks.alertmanager.AlertmanagerSinkConnector;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector;
import io.tributary.sinks.otlp.OtlpSinkConnector;
import io.tributary.sinks.remotewrite.PrometheusRemoteWriteSinkConnector;
import io.tributary.sinks.remotewrite.PrometheusRemoteWriteSinkConnectorConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sink connectors of a Tributary installation, configured for the catalog's topics, each with
 * its own dead-letter topic and the reason of every dead letter in its headers.
 */
public final class SinkConnectors {

  public static final String ELASTICSEARCH = "tributary-elasticsearch";
  public static final String TEMPO = "tributary-tempo";
  public static final String REMOTE_WRITE = "tributary-remote-write";
  public static final String ALERTMANAGER = "tributary-alertmanager";

  private SinkConnectors() {}

  /** Spans, logs, metric points and alerts into Elasticsearch data streams. */
  public static ConnectorSpec elasticsearch(String url, int replicationFactor) {
    Map<String, String> c = base(ElasticsearchSinkConnector.class.getName(), TopicCatalog.DLQ_SINK_ELASTICSEARCH.name(),
        replicationFactor, TopicCatalog.SPANS.name(), TopicCatalog.LOGS.name(), TopicCatalog.METRICS.name(),
        TopicCatalog.ALERTS.name());
    c.put("connection.urls", url);
    if (replicationFactor == 1) {
      c.put("index.template.replicas", "0"); // a single node would never turn green with replicas
    }
    return new ConnectorSpec(ELASTICSEARCH, c);
  }

  /** Sampled spans to Tempo's (or any) OTLP/HTTP endpoint. */
  public static ConnectorSpec tempo(String otlpEndpoint, int replicationFactor) {
    Map<String, String> c = base(OtlpSinkConnector.class.getName(), TopicCatalog.DLQ_SINK_TEMPO.name(), replicationFactor,
        TopicCatalog.SPANS.name());
    c.put("otlp.endpoint", otlpEndpoint);
    return new ConnectorSpec(TEMPO, c);
  }

  /** Metric points (span metrics included) to a Prometheus remote_write endpoint. */
  public static ConnectorSpec remoteWrite(String url, int replicationFactor) {
    Map<String, String> c = base(PrometheusRemoteWriteSinkConnector.class.getName(), TopicCatalog.DLQ_SINK_REMOTE_WRITE.name(),
        replicationFactor, TopicCatalog.METRICS.name());
    c.put("remote.write.url", url);
    // One store for every tenant: the label keeps them apart, so cost or traffic per tenant is one query.
    c.put(PrometheusRemoteWriteSinkConnectorConfig.TENANT_LABEL_CONFIG, "tenant");
    // Metric points are small (about 150 bytes): larger polls mean fewer put cycles per sample.
    c.put("consumer.override.max.poll.records", "5000");
    return new ConnectorSpec(REMOTE_WRITE, c);
  }

  /** Alert state changes to Alertmanager. */
  public static ConnectorSpec alertmanager(String url, int replicationFactor) {
    Map<String, String> c = base(AlertmanagerSinkConnector.class.getName(), TopicCatalog.DLQ_SINK_ALERTMANAGER.name(),
        replicationFactor, TopicCatalog.ALERTS.name());
    c.put("alertmanager.urls", url);
    return new ConnectorSpec(ALERTMANAGER, c);
  }

  private static Map<String, String> base(String connectorClass, String deadLetterTopic, int replicationFactor,
      String... topics) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", connectorClass);
    c.put("topics", String.join(",", List.of(topics)));
    c.put("tasks.max", "1");
    // The sinks decode Tributary's Avro themselves, whatever the worker's default converters are.
    c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("consumer.override.auto.offset.reset", "earliest");
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", deadLetterTopic);
    c.put("errors.deadletterqueue.topic.replication.factor", String.valueOf(replicationFactor));
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    c.put("errors.log.enable", "true");
    return c;
  }
}
