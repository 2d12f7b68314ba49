package io.tributary.sinks.otlp;

import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.Resource;

/**
 * One span on its way to the OTLP endpoint: already converted, with the (Avro) resource and
 * scope it is regrouped under.
 */
record OtlpSpan(Resource resource, InstrumentationScope scope, Span span) {}
