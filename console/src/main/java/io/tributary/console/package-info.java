/**
 * The web console: {@link io.tributary.console.ConsoleServer} serves the bundled front end and a small
 * JSON API over Elasticsearch (traces, logs, LLM calls, alerts), Kafka's admin API (consumer lag,
 * topic throughput) and the roles' Prometheus {@code /metrics}. Everything else is in {@code internal}.
 */
package io.tributary.console;
