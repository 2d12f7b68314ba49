package io.tributary.sinks.integration;

import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/** Topics, producing, the dead-letter topic and the Connect worker for the sink ITs. */
final class ConnectSupport {

  static final String ERROR_MESSAGE_HEADER = "__connect.errors.exception.message";

  private ConnectSupport() {}

  static EmbeddedConnectWorker startWorker(EmbeddedKafkaBroker broker, String groupId) {
    return EmbeddedConnectWorker.builder()
        .bootstrapServers(broker.bootstrapServers())
        .groupId(groupId)
        .listener("http://127.0.0.1:0")
        .workerConfig("offset.flush.interval.ms", "1000")
        .build()
        .start();
  }

  /** A new topic with a unique name. */
  static String createTopic(EmbeddedKafkaBroker broker, String prefix, int partitions) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + name, e);
    }
    return name;
  }

  /** The settings every test connector shares: read from the start, dead-letter topic with reasons. */
  static Map<String, String> connectorBase(String connectorClass, String topic, String deadLetterTopic) {
    Map<String, String> c = ConnectRestClient.sinkConfig(connectorClass, topic, deadLetterTopic);
    c.put("batch.max.age.ms", "200");
    c.put("retry.backoff.max.ms", "1000");
    return c;
  }

  static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("linger.ms", "5");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Avro values in the single-object encoding (no registry), as the pipelines write them. */
  static <T extends SpecificRecord> byte[] avro(Class<T> type, String topic, T value) {
    try (AvroSerde<T> serde = AvroSerde.forType(type, SerdeConfig.getDefault())) {
      Serializer<T> serializer = serde.serializer();
      return serializer.serialize(topic, value);
    }
  }

  static void send(EmbeddedKafkaBroker broker, String topic, List<byte[]> keys, List<byte[]> values) {
    try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
      for (int i = 0; i < values.size(); i++) {
        producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i)));
      }
      producer.flush();
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A record of the dead-letter topic: its value and the reason Connect put in its headers. */
  record DeadLetter(byte[] value, String reason) {}

  /** Waits until the dead-letter topic holds {@code expected} records and returns them. */
  static List<DeadLetter> awaitDeadLetters(EmbeddedKafkaBroker broker, String topic, int expected, Duration timeout) {
    List<DeadLetter> letters = new ArrayList<>();
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("group.id", "dlq-reader-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await("dead-letter topic " + topic + " holds " + expected + " records").atMost(timeout)
          .until(() -> {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
              Header h = r.headers().lastHeader(ERROR_MESSAGE_HEADER);
              letters.add(new DeadLetter(r.value(), h == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
            }
            return letters.size() >= expected;
          });
      // Nothing more arrives shortly after (a second poll round).
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(1500))) {
        Header h = r.headers().lastHeader(ERROR_MESSAGE_HEADER);
        letters.add(new DeadLetter(r.value(), h == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
      }
    }
    return letters;
  }
}
