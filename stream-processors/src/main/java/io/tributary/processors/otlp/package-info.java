/**
 * The pipelines' OTLP output: their processed records (after redaction, enrichment and, for traces,
 * tail sampling; for metrics, the cardinality guard) also written as OTLP protobuf, one
 * {@code Export*ServiceRequest} per record in the OpenTelemetry Collector's {@code otlp_proto}
 * encoding, keyed like the raw topics, for a Collector's or Jaeger's kafka receiver. The steps
 * ({@link io.tributary.processors.otlp.OtlpOutput}) and their switches
 * ({@link io.tributary.processors.otlp.OtlpOutputConfig}).
 */
package io.tributary.processors.otlp;
