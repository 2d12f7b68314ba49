package io.tributary.schemas.serde;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.AvroClassTrust;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record type ({@code Span}, {@code LogRecord},
 * {@code MetricPoint}, {@code Alert}, ...).
 *
 * <ul>
 *   <li>With a registry ({@link SerdeConfig#schemaRegistryUrl()}), records are written in the
 *       Confluent wire format: byte 0, the 4-byte big-endian schema id, the Avro binary body. The
 *       subject follows Confluent's TopicNameStrategy: {@code <topic>-value}, or {@code <topic>-key}
 *       for a key serde. Ids and writer schemas are cached, so only a topic's first record reaches
 *       the registry.
 *   <li>Without one (the embedded default), records are written in Avro single-object encoding
 *       ({@code C3 01}, the schema's 8-byte fingerprint, the body) with the schemas of this jar.
 *   <li>The deserializer reads both formats, whatever its config, and resolves the writer's schema
 *       to this jar's (schema evolution). Bytes in neither format, truncated bytes or an unknown
 *       schema give a {@link org.apache.kafka.common.errors.SerializationException} naming the topic,
 *       what was found and what was expected.
 * </ul>
 *
 * <pre>{@code
 * Serde<Span> spans = AvroSerde.forType(Span.class, SerdeConfig.getDefault());
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes the registry client only if this serde created it.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  static {
    AvroClassTrust.install(); // in case Avro was initialised where the service hook was not visible
  }

  private final Class<T> type;
  private final SchemaRegistryClient registry;
  private final boolean ownsRegistry;
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;

  private AvroSerde(Class<T> type, SerdeConfig config, SchemaRegistryClient registry, boolean ownsRegistry,
      boolean isKey) {
    this.type = type;
    this.registry = registry;
    this.ownsRegistry = ownsRegistry;
    this.serializer = new AvroSerializer<>(type, registry, config.autoRegisterSchemas(), isKey);
    this.deserializer = new AvroDeserializer<>(type, registry, config.cacheCapacity());
  }

  /**
   * A serde for record values of {@code type}; with a registry configured it creates its own
   * registry client.
   */
  public static <T extends SpecificRecord> AvroSerde<T> forType(Class<T> type, SerdeConfig config) {
    requireNonNull(type, "type");
    requireNonNull(config, "config");
    SchemaRegistryClient registry = config.hasRegistry() ? SchemaRegistryClient.create(config) : null;
    return new AvroSerde<>(type, config, registry, registry != null, false);
  }

  /**
   * A serde for record values of {@code type} sharing {@code registry} (and its caches) with other
   * serdes; {@code config}'s registry URL is ignored, its other settings apply. Closing the serde
   * leaves the client open.
   */
  public static <T extends SpecificRecord> AvroSerde<T> forType(
      Class<T> type, SerdeConfig config, SchemaRegistryClient registry) {
    requireNonNull(type, "type");
    requireNonNull(config, "config");
    requireNonNull(registry, "registry");
    return new AvroSerde<>(type, config, registry, false, false);
  }

  /**
   * Kafka's configure: {@code isKey = true} makes the serializer use the {@code <topic>-key}
   * subject. Other configs are ignored; settings come from {@link SerdeConfig}.
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  /**
   * Turns a record already in single-object encoding (what this serde writes without a registry,
   * e.g. a record kept as bytes in a state store) into what {@link #serializer()} would write for
   * {@code topic}, without decoding it when it has this serde's schema: the same bytes without a
   * registry, the Avro body behind the Confluent header with one.
   *
   * @throws org.apache.kafka.common.errors.SerializationException when the bytes are not
   *     single-object encoded, or the registry refuses the schema
   */
  public byte[] reframe(String topic, byte[] singleObject) {
    return serializer.reframe(topic, singleObject, bytes -> deserializer.deserialize(topic, bytes));
  }

  /** The record type this serde writes and reads. */
  public Class<T> type() {
    return type;
  }

  /** The registry client, when a registry is configured. */
  public Optional<SchemaRegistryClient> registryClient() {
    return Optional.ofNullable(registry);
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }

  @Override
  public String toString() {
    return "AvroSerde[" + type.getSimpleName() + (registry == null ? ", single-object" : ", " + registry.url())
        + "]";
  }
}
