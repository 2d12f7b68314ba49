package io.tributary.schemas.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes the Confluent format when a registry client is given (schema id looked up once per topic,
 * then served from memory), else Avro single-object encoding.
 *
 * <p>Each thread reuses one output buffer and one encoder: serializing is on the hot path of every
 * topology, and growing a fresh buffer byte by byte per record costs more than the encoding itself.
 */
final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final Class<T> type;
  private final Schema schema;
  private final SchemaRegistryClient registry;
  private final boolean autoRegister;
  private final SpecificDatumWriter<T> writer;
  /** Single-object header: the marker, then the CRC-64-AVRO fingerprint of the schema (little-endian). */
  private final byte[] singleObjectHeader;
  /** Per thread: a serializer instance is shared by every stream thread of an application. */
  private final ThreadLocal<ReusedOutput> output = ThreadLocal.withInitial(ReusedOutput::new);
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
    this.singleObjectHeader = singleObjectHeader(schema);
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
    ReusedOutput out = output.get();
    out.reset();
    try {
      if (registry == null) {
        out.write(singleObjectHeader, 0, singleObjectHeader.length);
      } else {
        Integer cached = schemaIdByTopic.get(topic);
        int id = cached != null ? cached : schemaIdByTopic.computeIfAbsent(topic, this::schemaId);
        out.write(WireFormat.CONFLUENT_MAGIC);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
      }
      writer.write(data, out.encoder);
      out.encoder.flush();
    } catch (SerializationException e) {
      throw e;
    } catch (SchemaRegistryException e) {
      throw new SerializationException(prefix(topic) + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(prefix(topic) + e, e);
    }
    return out.toByteArray();
  }

  /**
   * {@code singleObject} (a {@code T} in single-object encoding, written by this serializer without
   * a registry or by code writing the same bytes) in this serializer's format: as it is without a
   * registry, else its Avro body behind the Confluent header of {@code topic}'s schema id. Bytes of
   * another schema are decoded and written again; bytes that are not single-object encoded fail.
   */
  byte[] reframe(String topic, byte[] singleObject, Function<byte[], T> decode) {
    if (singleObject == null) {
      return null;
    }
    if (!WireFormat.isSingleObject(singleObject)) {
      throw new SerializationException(prefix(topic) + "expected Avro single-object encoding, got "
          + singleObject.length + " bytes of another format");
    }
    if (!Arrays.equals(singleObject, 0, singleObjectHeader.length, singleObjectHeader, 0, singleObjectHeader.length)) {
      return serialize(topic, decode.apply(singleObject)); // another schema version: Avro resolves it
    }
    if (registry == null) {
      return singleObject;
    }
    int id;
    try {
      Integer cached = schemaIdByTopic.get(topic);
      id = cached != null ? cached : schemaIdByTopic.computeIfAbsent(topic, this::schemaId);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(prefix(topic) + e.getMessage(), e);
    }
    int body = singleObject.length - singleObjectHeader.length;
    byte[] framed = new byte[WireFormat.CONFLUENT_HEADER_LENGTH + body];
    framed[0] = WireFormat.CONFLUENT_MAGIC;
    framed[1] = (byte) (id >>> 24);
    framed[2] = (byte) (id >>> 16);
    framed[3] = (byte) (id >>> 8);
    framed[4] = (byte) id;
    System.arraycopy(singleObject, singleObjectHeader.length, framed, WireFormat.CONFLUENT_HEADER_LENGTH, body);
    return framed;
  }

  private static byte[] singleObjectHeader(Schema schema) {
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    byte[] header = new byte[WireFormat.SINGLE_OBJECT_HEADER_LENGTH];
    header[0] = WireFormat.SINGLE_OBJECT_MARKER_0;
    header[1] = WireFormat.SINGLE_OBJECT_MARKER_1;
    for (int i = 2; i < header.length; i++) { // little-endian, as WireFormat.fingerprint reads it
      header[i] = (byte) fingerprint;
      fingerprint >>>= 8;
    }
    return header;
  }

  /**
   * A growable byte buffer without the locking of {@code ByteArrayOutputStream}, with a direct
   * (unbuffered, so stateless between records) encoder writing into it.
   */
  private static final class ReusedOutput extends OutputStream {

    /** A buffer grown past this by a huge record is not kept for the thread's next record. */
    private static final int MAX_RETAINED = 1 << 20;

    private byte[] bytes = new byte[1024];
    private int size;
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(this, null);

    void reset() {
      size = 0;
      if (bytes.length > MAX_RETAINED) {
        bytes = new byte[1024];
      }
    }

    @Override
    public void write(int b) {
      if (size == bytes.length) {
        grow(1);
      }
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > bytes.length - size) {
        grow(len);
      }
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    private void grow(int needed) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + needed));
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }
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
