package io.tributary.schemas.serde;

import io.tributary.schemas.SchemaHistory;
import java.io.IOException;
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
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
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
  private final BinaryMessageDecoder<T> singleObjectDecoder;
  /** Fingerprint -> where that writer schema comes from, for error messages. */
  private final Map<Long, String> knownFingerprints = new LinkedHashMap<>();
  private final BoundedCache<Integer, SpecificDatumReader<T>> readerBySchemaId;

  AvroDeserializer(Class<T> type, SchemaRegistryClient registry, int cacheCapacity) {
    this.type = type;
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.registry = registry;
    this.singleObjectDecoder = new BinaryMessageDecoder<>(model, schema);
    List<Schema> kept = SchemaHistory.keptVersions(type);
    for (int i = 0; i < kept.size(); i++) {
      singleObjectDecoder.addSchema(kept.get(i));
      knownFingerprints.putIfAbsent(SchemaNormalization.parsingFingerprint64(kept.get(i)), "v" + (i + 1));
    }
    knownFingerprints.putIfAbsent(SchemaNormalization.parsingFingerprint64(schema), "current");
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
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
        data, WireFormat.CONFLUENT_HEADER_LENGTH, data.length - WireFormat.CONFLUENT_HEADER_LENGTH, null);
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
    try {
      return singleObjectDecoder.decode(data);
    } catch (MissingSchemaException e) {
      throw error(topic, String.format("found schema fingerprint %016x, which this %s reader does not know "
          + "(expected one of: %s). The writer uses a schema this jar does not keep: upgrade the reader, or "
          + "use a schema registry", WireFormat.fingerprint(data), schema.getName(), known()), e);
    } catch (IOException | RuntimeException e) {
      throw error(topic, String.format("found a truncated or corrupt Avro body after schema fingerprint %016x "
          + "(%d bytes): %s", WireFormat.fingerprint(data), data.length, e), e);
    }
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
