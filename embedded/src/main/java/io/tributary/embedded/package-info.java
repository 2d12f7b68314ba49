/**
 * Real backends started by Tributary itself: the single-node KRaft broker that {@code tributary dev}
 * runs on 127.0.0.1 and that the tests share, one per test JVM, and clusters of such nodes in JVMs of
 * their own ({@link io.tributary.embedded.ChildKafkaCluster}) for benchmarks and failure drills.
 */
package io.tributary.embedded;
