/**
 * The Elasticsearch sink connector: Tributary's spans, logs, metric points and alerts from Kafka
 * into Elasticsearch data streams ({@code traces-*}, {@code logs-*}, {@code metrics-*}), with
 * index templates it installs, deterministic document ids written with {@code op_type=create}
 * (re-delivery and replay never duplicate), retries with backoff and a dead-letter queue for what
 * Elasticsearch refuses. Options: {@link io.tributary.sinks.elasticsearch.ElasticsearchSinkConnectorConfig}.
 */
package io.tributary.sinks.elasticsearch;
