/**
 * {@code tributary loadgen}: realistic OTLP traffic sent through the OpenTelemetry Java SDK's own
 * exporters. What the traffic looks like ({@link io.tributary.platform.loadgen.TrafficGenerator}:
 * services, nested spans, errors, slow traces, LLM calls, correlated logs, metrics) is kept apart
 * from how fast and how long it is sent ({@code LoadDriver}), so tests can use the generator alone.
 */
package io.tributary.platform.loadgen;
