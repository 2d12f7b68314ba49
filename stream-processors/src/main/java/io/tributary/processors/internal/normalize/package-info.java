/**
 * Internal, unstable: OTLP requests, protobuf or OTLP/JSON ({@code RawRequests} tells them apart),
 * to Tributary's Avro records (one span, log record or metric point each, ids as lowercase hex,
 * every field the schemas hold), and the stable ids used as record keys.
 */
package io.tributary.processors.internal.normalize;
