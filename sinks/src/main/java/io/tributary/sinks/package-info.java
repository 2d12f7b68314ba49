/**
 * Tributary's Kafka Connect plugin: sink connectors that persist the processed topics to
 * Elasticsearch, any OTLP endpoint (Tempo), a Prometheus remote_write store and Alertmanager.
 * Each connector lives in its own package; what they share (decoding, dead-lettering, backoff,
 * common options) is in {@code internal}.
 */
package io.tributary.sinks;
