/**
 * OTLP itself, as it arrives on the raw topics and at the gateway: {@link io.tributary.schemas.otlp.OtlpJson}
 * reads and writes the OTLP/JSON encoding of the OTLP protobuf messages.
 */
package io.tributary.schemas.otlp;
