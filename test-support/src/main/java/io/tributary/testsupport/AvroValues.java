package io.tributary.testsupport;

import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** Attribute values of the Avro records, instants as their nanosecond fields, and the records' bytes. */
public final class AvroValues {

  private AvroValues() {}

  /** An attribute: {@code value} is anything {@link AnyValue} holds (String, Boolean, Long, Double, ByteBuffer, ...). */
  public static KeyValue kv(String key, Object value) {
    return new KeyValue(key, new AnyValue(value));
  }

  /** Attributes from alternating keys and values, in order (a mutable list, as Avro's builders leave it). */
  public static List<KeyValue> attributes(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keysAndValues: " + keysAndValues.length + " items (expected: key, value pairs)");
    }
    List<KeyValue> attributes = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      attributes.add(kv((String) keysAndValues[i], keysAndValues[i + 1]));
    }
    return attributes;
  }

  /** {@code time} in unix nanoseconds, as the records' {@code *_time_unix_nano} fields hold it. */
  public static long nanos(Instant time) {
    return time.getEpochSecond() * 1_000_000_000L + time.getNano();
  }

  /** {@code record} in Avro's single-object encoding: what the pipelines write without a schema registry. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> byte[] singleObject(String topic, T record) {
    try (AvroSerde<T> serde = AvroSerde.forType((Class<T>) record.getClass(), SerdeConfig.getDefault())) {
      return serde.serializer().serialize(topic, record);
    }
  }

  /** The values of {@code records} decoded as {@code type}, in either wire format the deserializers accept. */
  public static <T extends SpecificRecord> List<T> decode(Class<T> type, List<ConsumerRecord<byte[], byte[]>> records) {
    try (AvroSerde<T> serde = AvroSerde.forType(type, SerdeConfig.getDefault())) {
      Deserializer<T> deserializer = serde.deserializer();
      return records.stream().map(r -> deserializer.deserialize(r.topic(), r.value())).toList();
    }
  }
}
