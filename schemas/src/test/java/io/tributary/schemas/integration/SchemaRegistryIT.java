package io.tributary.schemas.integration;

import static io.tributary.schemas.TestSchemas.withField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.tributary.schemas.TestRecords;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SchemaRegistryClient;
import io.tributary.schemas.serde.SchemaRegistryClient.CompatibilityLevel;
import io.tributary.schemas.serde.SchemaRegistryClient.RemoteCalls;
import io.tributary.schemas.serde.SchemaRegistryException;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serdes and the registry client against a real Apicurio Registry through its Confluent-compatible API. */
@ExtendWith(ApicurioRegistry.class)
class SchemaRegistryIT {

  @Test
  void shouldRegisterAndFetchById(ApicurioRegistry.Registry registry) {
    Schema schema = Span.getClassSchema();
    int id;
    try (SchemaRegistryClient client = SchemaRegistryClient.create(config(registry))) {
      id = client.register("it-fetch-value", schema);

      assertThat(client.lookup("it-fetch-value", schema)).hasValue(id);
      assertThat(client.lookup("it-fetch-value", LogRecord.getClassSchema())).isEmpty();
      assertThat(client.lookup("it-no-such-subject-value", schema)).isEmpty();
      assertThat(client.remoteCalls()).as("not found is an answer, not a failure")
          .isEqualTo(new RemoteCalls(1, 2, 0, 0, 0, 0));
    }
    try (SchemaRegistryClient fresh = SchemaRegistryClient.create(config(registry))) {
      assertThat(fresh.schemaById(id)).isEqualTo(schema);
      assertThat(fresh.remoteCalls().schemaFetches()).isEqualTo(1);
    }
  }

  @Test
  void shouldRoundTripEveryRecordTypeInConfluentFormat(ApicurioRegistry.Registry registry) {
    try (SchemaRegistryClient client = SchemaRegistryClient.create(config(registry))) {
      for (SpecificRecord record : TestRecords.all()) {
        String topic = "it-roundtrip-" + record.getClass().getSimpleName();
        byte[] bytes;
        try (AvroSerde<SpecificRecord> writer = serde(record, config(registry))) {
          bytes = writer.serializer().serialize(topic, record);
        }
        // A new serde must fetch the writer's schema by id from the registry.
        try (AvroSerde<SpecificRecord> reader = serde(record, config(registry))) {
          assertThat(bytes[0]).as("magic byte").isZero();
          assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("schema id")
              .isEqualTo(client.lookup(topic + "-value", record.getSchema()).orElseThrow());
          assertThat(reader.deserializer().deserialize(topic, bytes)).isEqualTo(record);
          assertThat(reader.registryClient().orElseThrow().remoteCalls().schemaFetches()).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void shouldReframeSingleObjectBytesIntoTheRegistryFormat(ApicurioRegistry.Registry registry) {
    byte[] singleObject = AvroSerde.forType(Span.class, SerdeConfig.getDefault()).serializer()
        .serialize("it-reframe", TestRecords.span());
    try (AvroSerde<Span> writer = AvroSerde.forType(Span.class, config(registry));
        AvroSerde<Span> reader = AvroSerde.forType(Span.class, config(registry))) {
      byte[] framed = writer.reframe("it-reframe", singleObject);

      assertThat(framed).isEqualTo(writer.serializer().serialize("it-reframe", TestRecords.span()));
      assertThat(reader.deserializer().deserialize("it-reframe", framed)).isEqualTo(TestRecords.span());
    }
  }

  @Test
  void shouldServeEveryRecordAfterTheFirstFromTheCache(ApicurioRegistry.Registry registry) {
    try (AvroSerde<Span> writer = AvroSerde.forType(Span.class, config(registry));
        AvroSerde<Span> reader = AvroSerde.forType(Span.class, config(registry))) {
      SchemaRegistryClient writes = writer.registryClient().orElseThrow();
      SchemaRegistryClient reads = reader.registryClient().orElseThrow();

      byte[] first = writer.serializer().serialize("it-cache", TestRecords.span());
      reader.deserializer().deserialize("it-cache", first);
      RemoteCalls writesAfterFirst = writes.remoteCalls();
      RemoteCalls readsAfterFirst = reads.remoteCalls();
      for (int i = 0; i < 100; i++) {
        reader.deserializer().deserialize("it-cache", writer.serializer().serialize("it-cache", TestRecords.span()));
      }

      assertThat(writesAfterFirst.registrations()).isEqualTo(1);
      assertThat(readsAfterFirst.schemaFetches()).isEqualTo(1);
      assertThat(writes.remoteCalls()).isEqualTo(writesAfterFirst);
      assertThat(reads.remoteCalls()).isEqualTo(readsAfterFirst);

      writer.serializer().serialize("it-cache-other-topic", TestRecords.span());
      assertThat(writes.remoteCalls().registrations()).as("a new topic is a new subject").isEqualTo(2);
    }
  }

  @Test
  void shouldRegisterKeySchemasUnderTheKeySubject(ApicurioRegistry.Registry registry) {
    try (AvroSerde<Alert> keys = AvroSerde.forType(Alert.class, config(registry))) {
      keys.configure(Map.of(), true);
      keys.serializer().serialize("it-keys", TestRecords.alert());

      SchemaRegistryClient client = keys.registryClient().orElseThrow();
      assertThat(client.lookup("it-keys-key", Alert.getClassSchema())).isPresent();
      assertThat(client.lookup("it-keys-value", Alert.getClassSchema())).isEmpty();
    }
  }

  @Test
  void shouldOnlyLookUpWhenAutoRegistrationIsOff(ApicurioRegistry.Registry registry) {
    SerdeConfig lookupOnly = config(registry).toBuilder().autoRegisterSchemas(false).build();
    try (AvroSerde<MetricPoint> serde = AvroSerde.forType(MetricPoint.class, lookupOnly)) {
      MetricPoint point = TestRecords.metricPoints().get(0);

      assertThatThrownBy(() -> serde.serializer().serialize("it-lookup-only", point))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("Cannot serialize a MetricPoint for topic 'it-lookup-only'")
          .hasMessageContaining("is not registered under subject 'it-lookup-only-value'")
          .hasMessageContaining("auto.register.schemas=false");

      int id = serde.registryClient().orElseThrow().register("it-lookup-only-value", MetricPoint.getClassSchema());
      assertThat(ByteBuffer.wrap(serde.serializer().serialize("it-lookup-only", point), 1, 4).getInt()).isEqualTo(id);
    }
  }

  @Test
  void shouldRejectAnIncompatibleChangeOnceCompatibilityIsBackward(ApicurioRegistry.Registry registry) {
    String subject = "it-compat-value";
    Schema v1 = Span.getClassSchema();
    Schema withRequiredField = withField(v1, new Schema.Field("region", Schema.create(Schema.Type.STRING)));
    Schema withDefaultedField = withField(v1, new Schema.Field("zone", Schema.create(Schema.Type.STRING), null, "eu"));
    try (SchemaRegistryClient client = SchemaRegistryClient.create(config(registry))) {
      client.register(subject, v1);
      assertThat(client.compatibility(subject)).as("Apicurio's default").isEqualTo(CompatibilityLevel.NONE);

      client.setCompatibility(subject, CompatibilityLevel.BACKWARD);

      assertThat(client.compatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
      assertThat(client.isCompatible(subject, withRequiredField)).isFalse();
      assertThat(client.isCompatible(subject, withDefaultedField)).isTrue();
      assertThatThrownBy(() -> client.register(subject, withRequiredField))
          .asInstanceOf(type(SchemaRegistryException.class))
          .satisfies(e -> {
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.subject()).isEqualTo(subject);
            assertThat(e.isUnreachable()).isFalse();
            assertThat(e.getMessage())
                .startsWith("Schema registry at " + registry.ccompatUrl() + " rejected POST /subjects/" + subject
                    + "/versions for subject '" + subject + "': HTTP 409, error_code 409: ")
                .contains("incompatible");
          });
      assertThat(client.register(subject, withDefaultedField)).isPositive();
    }
  }

  @Test
  void shouldSayTheRegistryIsUnreachable() {
    String url = "http://127.0.0.1:" + ApicurioRegistry.freePort() + ApicurioRegistry.CCOMPAT_PATH;
    SerdeConfig down = SerdeConfig.builder().schemaRegistryUrl(url).requestTimeout(Duration.ofSeconds(2)).build();
    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, down)) {
      assertThatThrownBy(() -> serde.serializer().serialize("it-down", TestRecords.span()))
          .isInstanceOf(SerializationException.class)
          .hasMessageStartingWith("Cannot serialize a Span for topic 'it-down': Schema registry at " + url
              + " is unreachable (POST /subjects/it-down-value/versions for subject 'it-down-value': ConnectException")
          .hasMessageContaining("Check that the registry runs and that schema.registry.url points at")
          .cause().asInstanceOf(type(SchemaRegistryException.class))
          .satisfies(e -> assertThat(e.isUnreachable()).isTrue());
      assertThat(serde.registryClient().orElseThrow().remoteCalls().failures()).isEqualTo(1);
    }
  }

  private static SerdeConfig config(ApicurioRegistry.Registry registry) {
    return SerdeConfig.builder().schemaRegistryUrl(registry.ccompatUrl()).build();
  }

  @SuppressWarnings("unchecked")
  private static AvroSerde<SpecificRecord> serde(SpecificRecord record, SerdeConfig config) {
    return AvroSerde.forType((Class<SpecificRecord>) record.getClass(), config);
  }
}
