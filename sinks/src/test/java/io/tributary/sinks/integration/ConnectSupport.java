package io.tributary.sinks.integration;

import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Topics, producing, connector settings and the dead-letter topic for the sink ITs. */
final class ConnectSupport {

  static final String ERROR_MESSAGE_HEADER = "__connect.errors.exception.message";

  private ConnectSupport() {}

  /** A new topic with a unique name. */
  static String createTopic(EmbeddedKafkaBroker broker, String prefix, int partitions) {
    String name = TestTopics.unique(prefix);
    TestTopics.create(broker.bootstrapServers(), partitions, name);
    return name;
  }

  /** The settings every test connector shares: read from the start, dead-letter topic with reasons. */
  static Map<String, String> connectorBase(String connectorClass, String topic, String deadLetterTopic) {
    Map<String, String> c = ConnectRestClient.sinkConfig(connectorClass, topic, deadLetterTopic);
    c.put("batch.max.age.ms", "200");
    c.put("retry.backoff.max.ms", "1000");
    return c;
  }

  static void send(EmbeddedKafkaBroker broker, String topic, List<byte[]> keys, List<byte[]> values) {
    try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(broker.bootstrapServers())) {
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
