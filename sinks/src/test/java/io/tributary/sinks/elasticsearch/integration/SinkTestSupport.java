package io.tributary.sinks.elasticsearch.integration;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector;
import io.tributary.sinks.elasticsearch.TestTelemetry;
import io.tributary.testsupport.AvroValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

  /**
   * Sends spans {@code 0..spans-1} of tenant {@code acme} (ten per trace, ids from {@link TestTelemetry}) at
   * {@code spansPerTick} every 100 ms, acks=all; counts those the broker acknowledged. For the drills'
   * steady load.
   */
  static void produceSpans(KafkaProducer<byte[], byte[]> producer, String topic, int spans, int spansPerTick,
      AtomicInteger acknowledged) {
    long start = System.nanoTime();
    for (int n = 0; n < spans; n++) {
      if (n % spansPerTick == 0) {
        long wait = start + Duration.ofMillis(100L * (n / spansPerTick)).toNanos() - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // pacing the load, not waiting for a condition
        }
      }
      String traceId = TestTelemetry.traceId(n / 10);
      producer.send(new ProducerRecord<>(topic, traceId.getBytes(), AvroValues.singleObject(topic,
          TestTelemetry.span("acme", traceId, TestTelemetry.spanId(n), "op", TestTelemetry.T0 + n, 1_000))),
          (metadata, e) -> {
            if (e == null) {
              acknowledged.incrementAndGet();
            }
          });
    }
    producer.flush();
  }

  /** The document ids of spans {@code 0..spans-1} of {@link #produceSpans}. */
  static Set<String> spanIds(int spans) {
    return IntStream.range(0, spans).mapToObj(n -> TestTelemetry.traceId(n / 10) + TestTelemetry.spanId(n))
        .collect(Collectors.toSet());
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
