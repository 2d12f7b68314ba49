package io.tributary.sinks.internal;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Decodes a sink record's value (bytes from the worker's {@code ByteArrayConverter}) into one of
 * Tributary's Avro types, in either wire format (Confluent with a registry, single-object without).
 * Anything that is not a decodable value is a {@link PoisonRecordException} naming the topic,
 * partition and offset.
 */
public final class RecordDecoder<T extends SpecificRecord> implements AutoCloseable {

  private final Class<T> type;
  private final AvroSerde<T> serde;
  private final Deserializer<T> deserializer;

  private RecordDecoder(Class<T> type, SerdeConfig config) {
    this.type = requireNonNull(type, "type");
    this.serde = AvroSerde.forType(type, config);
    this.deserializer = serde.deserializer();
  }

  public static <T extends SpecificRecord> RecordDecoder<T> of(Class<T> type, SerdeConfig config) {
    return new RecordDecoder<>(type, config);
  }

  /** The record's value as a {@code T}; throws {@link PoisonRecordException} if it is not one. */
  public T decode(SinkRecord record) {
    Object value = record.value();
    if (value == null) {
      throw new PoisonRecordException(where(record) + ": empty value (tombstone); expected a "
          + type.getSimpleName() + " record");
    }
    if (!(value instanceof byte[] bytes)) {
      throw new PoisonRecordException(where(record) + ": value is a " + value.getClass().getName()
          + "; set value.converter=org.apache.kafka.connect.converters.ByteArrayConverter on the connector");
    }
    try {
      T decoded = deserializer.deserialize(record.topic(), bytes);
      if (decoded == null) {
        throw new PoisonRecordException(where(record) + ": value decodes to nothing");
      }
      return decoded;
    } catch (PoisonRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new PoisonRecordException(where(record) + ": not a " + type.getSimpleName() + " record ("
          + e.getMessage() + ")", e);
    }
  }

  /** {@code topic-partition@offset}, how errors point at a record. */
  public static String where(SinkRecord record) {
    return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
  }

  @Override
  public void close() {
    serde.close();
  }
}
