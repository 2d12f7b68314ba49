/**
 * Tail sampling of the traces pipeline: its configuration ({@link
 * io.tributary.processors.sampling.SamplingConfig} with {@link
 * io.tributary.processors.sampling.SamplingPolicy} and {@link
 * io.tributary.processors.sampling.SamplingCondition}), the step that adds it to a topology
 * ({@link io.tributary.processors.sampling.TailSampling}, with its store names), what it lets through
 * ({@link io.tributary.processors.sampling.KeptSpan}), and its counts
 * ({@link io.tributary.processors.sampling.SamplingStats}).
 */
package io.tributary.processors.sampling;
