/**
 * Internal, unstable: the tail-sampling processor, its stores' binary formats (span buffer under
 * trace id + sequence, per-trace summary, deadline index, decision cache and its expiry index),
 * the compiled policies with their rate limiters, and the counters behind {@code SamplingStats}.
 * No other module uses these types.
 */
package io.tributary.processors.sampling.internal;
