/**
 * Internal, unstable: the Kafka Streams steps the pipelines are strung from (normalize with its
 * dead-letter branch, redact, write) and the counters behind {@code PipelineStats}. No other module
 * uses these types.
 */
package io.tributary.processors.internal;
