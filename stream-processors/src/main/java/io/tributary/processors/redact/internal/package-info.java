/**
 * Internal, unstable: redaction of Avro telemetry by {@code RedactionRules}: key rules (drop, HMAC
 * hash, allow-list), value masks with cheap pre-checks, and per-rule counters.
 */
package io.tributary.processors.redact.internal;
