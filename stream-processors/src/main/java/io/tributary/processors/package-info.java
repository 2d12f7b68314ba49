/**
 * Tributary's signal pipelines on Kafka Streams, for the {@code processor} role and its tests: one
 * topology factory per signal ({@link io.tributary.processors.TracesTopology},
 * {@link io.tributary.processors.LogsTopology}, {@link io.tributary.processors.MetricsTopology}),
 * the topics they use ({@link io.tributary.processors.Topics}, with
 * {@link io.tributary.processors.DeadLetterHeaders}), and their configuration, read from one
 * validated YAML file ({@link io.tributary.processors.PipelineConfig}, read by
 * {@code PipelineConfigReader}). Each step owns its configuration and the reader of its section of
 * that file, in its own package: {@code redact}, {@code sampling}, {@code enrich}, {@code spanmetrics},
 * {@code metrics} (cardinality) and {@code otlp}; what those readers share lives in {@code internal}.
 */
package io.tributary.processors;
