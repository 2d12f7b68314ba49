/**
 * The OTLP sink: {@code Span} records to any OTLP/HTTP receiver (Grafana Tempo, an OpenTelemetry
 * Collector) as gzip'd protobuf {@code ExportTraceServiceRequest}s regrouped by resource and scope,
 * one request per tenant ({@code X-Scope-OrgID}), with the OTLP specification's retry rules.
 */
package io.tributary.sinks.otlp;
