/**
 * Tributary's signal pipelines on Kafka Streams, for the {@code processor} role and its tests: one
 * topology factory per signal ({@link io.tributary.processors.TracesTopology},
 * {@link io.tributary.processors.LogsTopology}, {@link io.tributary.processors.MetricsTopology}),
 * the topics they use ({@link io.tributary.processors.Topics}, with
 * {@link io.tributary.processors.DeadLetterHeaders}), and their configuration, read from one
 * validated YAML file ({@link io.tributary.processors.PipelineConfig},
 * {@link io.tributary.processors.RedactionRules}). The steps with configuration of their own live in
 * {@code sampling}, {@code enrich}, {@code spanmetrics} and {@code metrics}.
 */
package io.tributary.processors;
