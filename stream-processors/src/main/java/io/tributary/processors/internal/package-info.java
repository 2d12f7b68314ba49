/**
 * Internal, unstable: the Kafka Streams steps the pipelines are strung from (normalize with its
 * dead-letter branch, redact, write), the counters behind {@code PipelineStats}, and what every
 * step's config reader shares: {@code ConfigValues} (typed values and problems with their key paths)
 * and {@code ConfigChecks}. Nothing here reads the public packages above it; no other module uses
 * these types.
 */
package io.tributary.processors.internal;
