/**
 * Kafka Connect for Tributary's sinks: an in-process distributed worker ({@code tributary connect},
 * {@code tributary dev}, the sink tests) and a small client for any worker's REST API (connector
 * create/validate/status and the offsets API used by replay).
 */
package io.tributary.embedded.connect;
