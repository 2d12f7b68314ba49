/**
 * Benchmarks of Tributary. Each figure is reported next to the raw limit measured in the same run
 * on the same machine (e.g. gateway bytes/s against Kafka's own ProducerPerformance), because other
 * jobs on a shared machine move absolute numbers by 2-5x while ratios hold. Run through {@code bench/run}.
 */
package io.tributary.bench;
