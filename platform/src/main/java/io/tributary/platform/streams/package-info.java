/**
 * What the Kafka Streams roles of a process share (the pipelines, alerting): health from their
 * states, and the small HTTP server for {@code /metrics} and the health checks.
 */
package io.tributary.platform.streams;
