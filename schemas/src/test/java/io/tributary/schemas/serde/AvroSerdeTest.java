package io.tributary.schemas.serde;

import static io.tributary.schemas.TestRecords.everyAnyValueVariant;
import static io.tributary.schemas.TestSchemas.withoutField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.TestRecords;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

  private static final String TOPIC = "telemetry.spans";

  static Stream<SpecificRecord> everyRecord() {
    return TestRecords.all().stream();
  }

  @ParameterizedTest
  @MethodSource("everyRecord")
  void shouldRoundTripEveryRecordInSingleObjectEncoding(SpecificRecord record) {
    try (AvroSerde<SpecificRecord> serde = serdeFor(record, SerdeConfig.getDefault())) {
      byte[] bytes = serde.serializer().serialize(TOPIC, record);

      assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
      assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(record);
    }
  }

  @Test
  void shouldKeepEveryAnyValueVariantAndAttributeOrder() {
    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault())) {
      Span read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, TestRecords.span()));

      List<Object> values = read.getAttributes().stream().map(kv -> kv.getValue().getValue()).toList();
      assertThat(values.get(0)).isNull();
      assertThat(values.get(1)).isEqualTo("/api/orders/{id}");
      assertThat(values.get(2)).isEqualTo(true);
      assertThat(values.get(3)).isEqualTo(503L);
      assertThat(values.get(4)).isEqualTo(0.0125d);
      assertThat(values.get(5)).isEqualTo(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF}));
      assertThat(values.get(6)).isInstanceOf(ArrayValue.class);
      assertThat(((ArrayValue) values.get(6)).getValues()).extracting(AnyValue::getValue)
          .containsExactly("a", 2L, false, null, new ArrayValue(List.of(new AnyValue(1.5d))));
      assertThat(((KeyValueList) values.get(7)).getValues()).extracting(kv -> kv.getKey())
          .containsExactly("b", "a", "a", "nested");
      assertThat(read.getAttributes()).isEqualTo(everyAnyValueVariant());
    }
  }

  @Test
  void shouldRoundTripEveryMetricValueType() {
    try (AvroSerde<MetricPoint> serde = AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault())) {
      for (MetricPoint point : TestRecords.metricPoints()) {
        MetricPoint read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, point));

        assertThat(read).as(point.getType().name()).isEqualTo(point);
        assertThat(read.getValue().getClass()).isEqualTo(point.getValue().getClass());
      }
    }
  }

  @Test
  void shouldWriteTheConfluentFormatWithARegistry() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(42);
    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault(), registry)) {
      byte[] bytes = serde.serializer().serialize(TOPIC, TestRecords.span());

      assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0, 0, 0, 0, 42);
      assertThat(registry.registeredSubjects).containsExactly("telemetry.spans-value");
      assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(TestRecords.span());
    }
  }

  @Test
  void shouldReframeSingleObjectBytesIntoWhatTheSerializerWrites() {
    byte[] singleObject = AvroSerde.forType(Span.class, SerdeConfig.getDefault()).serializer()
        .serialize(TOPIC, TestRecords.span());
    try (AvroSerde<Span> embedded = AvroSerde.forType(Span.class, SerdeConfig.getDefault());
        AvroSerde<Span> registered = AvroSerde.forType(Span.class, SerdeConfig.getDefault(),
            new InMemorySchemaRegistry(42))) {
      assertThat(embedded.reframe(TOPIC, singleObject)).isSameAs(singleObject);
      assertThat(registered.reframe(TOPIC, singleObject))
          .isEqualTo(registered.serializer().serialize(TOPIC, TestRecords.span()))
          .startsWith(0, 0, 0, 0, 42);
    }
  }

  @Test
  void shouldRefuseToReframeBytesThatAreNotSingleObjectEncoded() {
    try (AvroSerde<Span> registered = AvroSerde.forType(Span.class, SerdeConfig.getDefault(),
        new InMemorySchemaRegistry(42))) {
      byte[] confluent = registered.serializer().serialize(TOPIC, TestRecords.span());

      assertThatThrownBy(() -> registered.reframe(TOPIC, confluent))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("'" + TOPIC + "'").hasMessageContaining("single-object");
    }
  }

  @Test
  void shouldUseTheKeySubjectForAKeySerde() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1);
    try (AvroSerde<Alert> serde = AvroSerde.forType(Alert.class, SerdeConfig.getDefault(), registry)) {
      serde.configure(Map.of(), true);
      serde.serializer().serialize("telemetry.alerts", TestRecords.alert());

      assertThat(registry.registeredSubjects).containsExactly("telemetry.alerts-key");
    }
  }

  @Test
  void shouldReadHandBuiltConfluentBytesWithAKnownId() throws IOException {
    Span span = TestRecords.span();
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1).with(1234, Span.getClassSchema());
    byte[] bytes = confluent(1234, Span.getClassSchema(), span);

    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault(), registry)) {
      assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(span);
    }
  }

  @Test
  void shouldReadBothFormatsWithOneDeserializer() throws IOException {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1).with(7, Span.getClassSchema());
    byte[] confluent = confluent(7, Span.getClassSchema(), TestRecords.span());
    byte[] singleObject = Span.getEncoder().encode(TestRecords.span()).array();

    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault(), registry)) {
      assertThat(serde.deserializer().deserialize(TOPIC, confluent)).isEqualTo(TestRecords.span());
      assertThat(serde.deserializer().deserialize(TOPIC, singleObject)).isEqualTo(TestRecords.span());
    }
  }

  @Test
  void shouldResolveAnOlderWriterSchemaToTheCurrentOne() throws IOException {
    Schema older = withoutField(Span.getClassSchema(), "samplingPolicy");
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1).with(3, older);
    byte[] bytes = confluent(3, older, asGeneric(TestRecords.span(), older));

    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault(), registry)) {
      Span read = serde.deserializer().deserialize(TOPIC, bytes);

      assertThat(read.getSamplingPolicy()).isNull();
      assertThat(read).usingRecursiveComparison().ignoringFields("samplingPolicy").isEqualTo(TestRecords.span());
    }
  }

  @Test
  void shouldPassNullsThrough() {
    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault())) {
      assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
      assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }
  }

  @Test
  void shouldNameTopicAndBytesForUnknownLeadingBytes() {
    assertThatThrownBy(() -> spans().deserialize(TOPIC, "{\"name\":1}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("Cannot deserialize a Span from topic 'telemetry.spans': ")
        .hasMessageContaining("unknown leading bytes 7B 22 6E 61 6D 65 22 3A ...")
        .hasMessageContaining("expected: Confluent format (magic byte 0x00");
  }

  @Test
  void shouldRejectAnEmptyValue() {
    assertThatThrownBy(() -> spans().deserialize(TOPIC, new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'telemetry.spans'").hasMessageContaining("found an empty value");
  }

  @Test
  void shouldRejectATruncatedConfluentHeader() {
    assertThatThrownBy(() -> spans().deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'telemetry.spans'")
        .hasMessageContaining("truncated Confluent header: 3 bytes 00 00 01 (expected: at least 5");
  }

  @Test
  void shouldRejectATruncatedSingleObjectHeader() {
    assertThatThrownBy(() -> spans().deserialize(TOPIC, new byte[] {(byte) 0xC3, 1, 9, 9}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("truncated single-object header: 4 bytes C3 01 09 09 (expected: at least 10");
  }

  @Test
  void shouldRejectATruncatedBody() throws IOException {
    byte[] whole = Span.getEncoder().encode(TestRecords.span()).array();
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

    assertThatThrownBy(() -> spans().deserialize(TOPIC, truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'telemetry.spans'")
        .hasMessageContaining("truncated or corrupt Avro body after schema fingerprint");
  }

  @Test
  void shouldRejectATruncatedConfluentBody() throws IOException {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1).with(5, Span.getClassSchema());
    byte[] whole = confluent(5, Span.getClassSchema(), TestRecords.span());

    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault(), registry)) {
      assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, Arrays.copyOf(whole, 30)))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("truncated or corrupt Avro body after schema id 5");
    }
  }

  @Test
  void shouldNameTheUnknownFingerprintAndTheKnownOnes() throws IOException {
    Schema unknown = withoutField(Span.getClassSchema(), "samplingPolicy");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(SpecificData.get(), unknown)
        .encode(asGeneric(TestRecords.span(), unknown), out);

    assertThatThrownBy(() -> spans().deserialize(TOPIC, out.toByteArray()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'telemetry.spans'")
        .hasMessageMatching("(?s).*found schema fingerprint [0-9a-f]{16}, which this Span reader does not know "
            + "\\(expected one of: [0-9a-f]{16} \\(v1\\).*");
  }

  @Test
  void shouldSayThatTheConfluentFormatNeedsARegistry() throws IOException {
    byte[] bytes = confluent(77, Span.getClassSchema(), TestRecords.span());

    assertThatThrownBy(() -> spans().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Confluent format with schema id 77 but no schema registry is configured")
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void shouldRejectAWriterSchemaTheReaderCannotRead() throws IOException {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1).with(9, LogRecord.getClassSchema());
    byte[] bytes = confluent(9, LogRecord.getClassSchema(), TestRecords.logRecord());

    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault(), registry)) {
      assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("topic 'telemetry.spans'")
          .hasMessageContaining("writer schema id 9 (io.tributary.schemas.avro.LogRecord)")
          .hasMessageContaining("cannot read");
    }
  }

  @Test
  void shouldNameTheMissingSchemaIdInTheRegistry() throws IOException {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1);
    byte[] bytes = confluent(404, Span.getClassSchema(), TestRecords.span());

    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault(), registry)) {
      assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("cannot get writer schema id 404")
          .hasMessageContaining("HTTP 404, error_code 40403");
    }
  }

  @Test
  void shouldSayWhichFieldIsMissingWhenSerializing() {
    Span invalid = TestRecords.span();
    invalid.setName(null);

    assertThatThrownBy(() -> AvroSerde.forType(Span.class, SerdeConfig.getDefault()).serializer()
        .serialize(TOPIC, invalid))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("Cannot serialize a Span for topic 'telemetry.spans': ")
        .hasMessageContaining("name");
  }

  private static org.apache.kafka.common.serialization.Deserializer<Span> spans() {
    return AvroSerde.forType(Span.class, SerdeConfig.getDefault()).deserializer();
  }

  @SuppressWarnings("unchecked")
  private static AvroSerde<SpecificRecord> serdeFor(SpecificRecord record, SerdeConfig config) {
    return AvroSerde.forType((Class<SpecificRecord>) record.getClass(), config);
  }

  /** Confluent bytes built by hand: magic 0, big-endian id, Avro binary. */
  static byte[] confluent(int id, Schema writer, Object datum) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(writer, SpecificData.getForSchema(writer)).write(datum, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  static GenericRecord asGeneric(SpecificRecord record, Schema schema) {
    GenericData.Record generic = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      generic.put(field.name(), record.get(record.getSchema().getField(field.name()).pos()));
    }
    return generic;
  }
}
