/**
 * Steps of the metrics pipeline: the cardinality guard ({@link
 * io.tributary.processors.metrics.CardinalityGuard}) with its configuration ({@link
 * io.tributary.processors.metrics.CardinalityConfig}) and counts ({@link
 * io.tributary.processors.metrics.CardinalityStats}).
 */
package io.tributary.processors.metrics;
