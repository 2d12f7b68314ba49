package io.tributary.processors.internal.normalize;

import java.util.List;

/**
 * Turns one raw OTLP record (an {@code Export*ServiceRequest} in protobuf or OTLP/JSON, told apart
 * per record) into the Avro records of the processed topic, one per span, log record or metric
 * point. Implementations are stateless and thread-safe.
 *
 * @param <T> the Avro record type
 */
public interface Normalizer<T> {

  /**
   * Converts {@code payload}; every record gets {@code tenant}.
   *
   * @throws MalformedTelemetryException when the payload is not a valid request of this signal
   *     in either encoding
   */
  List<T> normalize(byte[] payload, String tenant) throws MalformedTelemetryException;

  /** The protobuf message this normalizer reads, for dead-letter reasons. */
  String messageName();
}
