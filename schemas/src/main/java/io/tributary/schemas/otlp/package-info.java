/**
 * Tributary's Avro records back to OTLP protobuf, shared by everything that writes OTLP: the OTLP
 * sink and the pipelines' OTLP output topics. {@link io.tributary.schemas.otlp.AvroToOtlp} converts
 * one span, log record or metric point; {@link io.tributary.schemas.otlp.OtlpRequests} regroups
 * converted items by resource and scope into one {@code Export*ServiceRequest};
 * {@link io.tributary.schemas.otlp.OtlpRecordKeys} is the record-key rule of the OTLP topics, the
 * same for the gateway's raw topics and the pipelines' output topics.
 */
package io.tributary.schemas.otlp;
