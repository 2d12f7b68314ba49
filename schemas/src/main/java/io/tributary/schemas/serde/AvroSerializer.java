package io.tributary.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes the Confluent format when a registry client is given (schema id looked up once per topic,
 * then served from memory), else Avro single-object encoding.
 */
final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final Class<T> type;
  private final Schema schema;
  private final SchemaRegistryClient registry;
  private final boolean autoRegister;
  private final SpecificDatumWriter<T> writer;
  private final BinaryMessageEncoder<T> singleObjectEncoder;
  private final Map<String, Integer> schemaIdByTopic = new ConcurrentHashMap<>();
  private volatile boolean isKey;

  AvroSerializer(Class<T> type, SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
    this.writer = new SpecificDatumWriter<>(schema, model);
    this.singleObjectEncoder = new BinaryMessageEncoder<>(model, schema);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (this.isKey != isKey) {
      this.isKey = isKey;
      schemaIdByTopic.clear();
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      if (registry == null) {
        singleObjectEncoder.encode(data, out);
      } else {
        Integer cached = schemaIdByTopic.get(topic);
        int id = cached != null ? cached : schemaIdByTopic.computeIfAbsent(topic, this::schemaId);
        out.write(WireFormat.CONFLUENT_MAGIC);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(data, encoder);
        encoder.flush();
      }
    } catch (SerializationException e) {
      throw e;
    } catch (SchemaRegistryException e) {
      throw new SerializationException(prefix(topic) + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(prefix(topic) + e, e);
    }
    return out.toByteArray();
  }

  /** The subject of {@code topic} by Confluent's TopicNameStrategy. */
  String subject(String topic) {
    return topic + (isKey ? "-key" : "-value");
  }

  private int schemaId(String topic) {
    String subject = subject(topic);
    if (autoRegister) {
      return registry.register(subject, schema);
    }
    return registry.lookup(subject, schema).orElseThrow(() -> new SerializationException(prefix(topic)
        + "schema " + schema.getFullName() + " is not registered under subject '" + subject + "' at "
        + registry.url() + " and auto-registration is off (" + SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG
        + "=false): register it first, or turn auto-registration on"));
  }

  private String prefix(String topic) {
    return "Cannot serialize a " + type.getSimpleName() + " for topic '" + topic + "': ";
  }
}
