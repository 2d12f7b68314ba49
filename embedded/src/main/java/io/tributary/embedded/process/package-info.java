/**
 * Real servers that run as child processes of this JVM (Prometheus, VictoriaMetrics, later
 * Alertmanager): started on 127.0.0.1 with their data in a directory that survives a stop, waited
 * for until their ready URL answers, stopped with their whole process tree, restartable on the
 * same port and data, or killed (SIGKILL) as a crash would. Java programs run the same way in JVMs of
 * their own ({@code ExternalServer.java}, {@code javaMain}). Used by the tests, the benchmarks and by
 * {@code tributary dev}; tests ask the metric
 * stores PromQL through {@link io.tributary.embedded.process.PromQl}.
 */
package io.tributary.embedded.process;
