package io.tributary.sinks.elasticsearch.integration;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Records, offsets and connector configurations shared by the Elasticsearch sink ITs. */
final class SinkTestSupport {

  private SinkTestSupport() {}

  static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(), value)).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("sending to " + topic + ": " + e.getMessage(), e);
    }
  }

  /** Every record of {@code topic} so far (reads until {@code expected} records or 30 s). */
  static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafkaBroker kafka, String topic, int expected) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("auto.offset.reset", "earliest");
    p.put("group.id", "it-reader-" + topic + "-" + System.nanoTime());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** The connector's committed offsets (Connect's offsets API) as topic-partition -> offset. */
  static Map<TopicPartition, Long> committedOffsets(ConnectRestClient connect, String connector) {
    Map<TopicPartition, Long> out = new HashMap<>();
    connect.offsets(connector).path("offsets").forEach(o -> out.put(
        new TopicPartition(o.path("partition").path("kafka_topic").asText(), o.path("partition").path("kafka_partition").asInt()),
        o.path("offset").path("kafka_offset").asLong()));
    return out;
  }

  /** A connector configuration writing to {@code es} under dataset {@code dataset}, with a dead-letter topic. */
  static Map<String, String> connectorConfig(EmbeddedElasticsearch es, String dataset, String topicSignals) {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", ElasticsearchSinkConnector.class.getName());
    c.put("tasks.max", "1");
    c.put("topics", String.join(",", Stream.of(topicSignals.split(",")).map(s -> s.substring(0, s.lastIndexOf(':')))
        .toList()));
    c.put("topic.signals", topicSignals);
    c.put("connection.urls", es.httpUrl().toString());
    c.put("data.stream.dataset", dataset);
    c.put("index.template.replicas", "0");
    c.put("bulk.linger.ms", "50");
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", deadLetterTopic(dataset));
    c.put("errors.deadletterqueue.topic.replication.factor", "1");
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    return c;
  }

  static String deadLetterTopic(String dataset) {
    return "dlq-" + dataset;
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
