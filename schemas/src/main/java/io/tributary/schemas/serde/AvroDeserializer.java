package io.tributary.schemas.serde;

import io.tributary.schemas.SchemaHistory;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads both wire formats, told apart by their first bytes. Confluent records are resolved from the
 * writer's schema (fetched once per id) to this jar's schema; single-object records may have been
 * written with any version kept in {@link SchemaHistory}.
 */
final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final Class<T> type;
  private final Schema schema;
  private final SpecificData model;
  private final SchemaRegistryClient registry;
  /** Fingerprint -> a reader from that kept writer schema to this jar's, for single-object records. */
  private final Map<Long, SpecificDatumReader<T>> readerByFingerprint = new HashMap<>();
  /**
   * A decoder per thread, re-pointed at each record's bytes: Avro's single-object decoder reads
   * through an {@code InputStream} a byte at a time, which costs more than the reading itself.
   */
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();
  /** Fingerprint -> where that writer schema comes from, for error messages. */
  private final Map<Long, String> knownFingerprints = new LinkedHashMap<>();
  private final BoundedCache<Integer, SpecificDatumReader<T>> readerBySchemaId;

  AvroDeserializer(Class<T> type, SchemaRegistryClient registry, int cacheCapacity) {
    this.type = type;
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.registry = registry;
    List<Schema> kept = SchemaHistory.keptVersions(type);
    for (int i = 0; i < kept.size(); i++) {
      long fingerprint = SchemaNormalization.parsingFingerprint64(kept.get(i));
      readerByFingerprint.putIfAbsent(fingerprint, new SpecificDatumReader<>(kept.get(i), schema, model));
      knownFingerprints.putIfAbsent(fingerprint, "v" + (i + 1));
    }
    long current = SchemaNormalization.parsingFingerprint64(schema);
    readerByFingerprint.putIfAbsent(current, new SpecificDatumReader<>(schema, schema, model));
    knownFingerprints.putIfAbsent(current, "current");
    this.readerBySchemaId = new BoundedCache<>(cacheCapacity);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (WireFormat.isConfluent(data)) {
      return readConfluent(topic, data);
    }
    if (WireFormat.isSingleObject(data)) {
      return readSingleObject(topic, data);
    }
    throw error(topic, data.length == 0
        ? "found an empty value (expected: " + WireFormat.EXPECTED + ")"
        : "found unknown leading bytes " + WireFormat.head(data) + " (" + data.length + " bytes; expected: "
            + WireFormat.EXPECTED + ")", null);
  }

  private T readConfluent(String topic, byte[] data) {
    if (data.length < WireFormat.CONFLUENT_HEADER_LENGTH) {
      throw error(topic, "found a truncated Confluent header: " + data.length + " bytes " + WireFormat.head(data)
          + " (expected: at least 5, the magic byte 0x00 and a 4-byte schema id)", null);
    }
    int id = WireFormat.schemaId(data);
    if (registry == null) {
      throw error(topic, "found the Confluent format with schema id " + id
          + " but no schema registry is configured (expected: single-object encoding, or set "
          + SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + ")", null);
    }
    SpecificDatumReader<T> reader;
    try {
      reader = readerBySchemaId.getOrLoad(id, this::readerFor);
    } catch (SchemaRegistryException e) {
      throw error(topic, "cannot get writer schema id " + id + ": " + e.getMessage(), e);
    } catch (IncompatibleWriterException e) {
      throw error(topic, e.getMessage(), null);
    }
    BinaryDecoder decoder = decoder(data, WireFormat.CONFLUENT_HEADER_LENGTH);
    try {
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw error(topic, "found a truncated or corrupt Avro body after schema id " + id + " (" + data.length
          + " bytes; expected: a " + schema.getName() + " written with that schema): " + e, e);
    }
  }

  private T readSingleObject(String topic, byte[] data) {
    if (data.length < WireFormat.SINGLE_OBJECT_HEADER_LENGTH) {
      throw error(topic, "found a truncated single-object header: " + data.length + " bytes "
          + WireFormat.head(data) + " (expected: at least 10, 0xC3 0x01 and an 8-byte fingerprint)", null);
    }
    long fingerprint = WireFormat.fingerprint(data);
    SpecificDatumReader<T> reader = readerByFingerprint.get(fingerprint);
    if (reader == null) {
      throw error(topic, String.format("found schema fingerprint %016x, which this %s reader does not know "
          + "(expected one of: %s). The writer uses a schema this jar does not keep: upgrade the reader, or "
          + "use a schema registry", fingerprint, schema.getName(), known()), null);
    }
    try {
      return reader.read(null, decoder(data, WireFormat.SINGLE_OBJECT_HEADER_LENGTH));
    } catch (IOException | RuntimeException e) {
      throw error(topic, String.format("found a truncated or corrupt Avro body after schema fingerprint %016x "
          + "(%d bytes): %s", fingerprint, data.length, e), e);
    }
  }

  /** This thread's decoder over {@code data} from {@code offset} on. */
  private BinaryDecoder decoder(byte[] data, int offset) {
    BinaryDecoder reused = decoders.get();
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, offset, data.length - offset, reused);
    if (reused != decoder) {
      decoders.set(decoder);
    }
    return decoder;
  }

  private SpecificDatumReader<T> readerFor(int id) {
    Schema writer = registry.schemaById(id);
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(schema, writer);
    if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
      String reasons = compatibility.getResult().getIncompatibilities().stream()
          .map(i -> i.getMessage() + " at " + i.getLocation())
          .collect(Collectors.joining("; "));
      throw new IncompatibleWriterException("found writer schema id " + id + " (" + writer.getFullName()
          + ") that this jar's " + schema.getFullName() + " cannot read (expected: a schema "
          + schema.getName() + " is BACKWARD compatible with): " + reasons);
    }
    return new SpecificDatumReader<>(writer, schema, model);
  }

  private String known() {
    return knownFingerprints.entrySet().stream()
        .map(e -> String.format("%016x (%s)", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private SerializationException error(String topic, String what, Throwable cause) {
    return new SerializationException(
        "Cannot deserialize a " + type.getSimpleName() + " from topic '" + topic + "': " + what, cause);
  }

  /** A registered writer schema that the reader's schema cannot resolve. */
  private static final class IncompatibleWriterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IncompatibleWriterException(String message) {
      super(message, null, false, false);
    }
  }
}
