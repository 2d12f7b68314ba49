/**
 * OTLP as Tributary reads and writes it. {@link io.tributary.schemas.otlp.OtlpJson} reads and writes the
 * OTLP/JSON encoding of the OTLP protobuf messages (the gateway, the pipelines' raw records);
 * {@link io.tributary.schemas.otlp.AvroToOtlp} converts one span, log record or metric point back to
 * OTLP; {@link io.tributary.schemas.otlp.OtlpRequests} regroups converted items by resource and scope
 * into one {@code Export*ServiceRequest} (the OTLP sink, the pipelines' OTLP output topics);
 * {@link io.tributary.schemas.otlp.OtlpRecordKeys} is the record-key rule of the OTLP topics, the same
 * for the gateway's raw topics and the pipelines' output topics.
 */
package io.tributary.schemas.otlp;
