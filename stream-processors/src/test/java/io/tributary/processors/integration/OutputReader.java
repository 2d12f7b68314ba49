package io.tributary.processors.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads an output topic from the start, committed records only, keeping every record it sees. */
final class OutputReader implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Deserializer<io.tributary.schemas.avro.Span> SPAN_DESERIALIZER =
      AvroSerde.forType(io.tributary.schemas.avro.Span.class, SerdeConfig.getDefault()).deserializer();

  private final KafkaConsumer<String, io.tributary.schemas.avro.Span> consumer;
  private final List<TopicPartition> partitions;
  private final List<ConsumerRecord<String, io.tributary.schemas.avro.Span>> records = new ArrayList<>();

  OutputReader(String bootstrapServers, String topic) {
    consumer = new KafkaConsumer<>(TestClients.readCommitted(bootstrapServers), new StringDeserializer(), SPAN_DESERIALIZER);
    // A broker asked right after the topic's creation may not know it yet (three brokers, a loaded machine):
    // an empty answer, and a consumer assigned nothing cannot poll.
    partitions = await("the brokers know " + topic).atMost(TIMEOUT).until(
        () -> consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList(),
        found -> !found.isEmpty());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  void poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
  }

  /** Up to the last stable offset of every partition: everything committed by now. */
  void readToEnd() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    await("reading " + partitions + " to " + ends).atMost(TIMEOUT).until(() -> {
      poll();
      return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
    });
  }

  List<io.tributary.schemas.avro.Span> spans() {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  Map<String, TreeSet<String>> spanIdsByTrace() {
    Map<String, TreeSet<String>> byTrace = new TreeMap<>();
    for (ConsumerRecord<String, io.tributary.schemas.avro.Span> record : records) {
      assertThat(record.key()).isEqualTo(record.value().getTraceId());
      byTrace.computeIfAbsent(record.key(), k -> new TreeSet<>()).add(record.value().getSpanId());
    }
    return byTrace;
  }

  Map<String, String> policyByTrace() {
    Map<String, String> policies = new TreeMap<>();
    spans().forEach(span -> policies.merge(span.getTraceId(), String.valueOf(span.getSamplingPolicy()),
        (a, b) -> a.equals(b) ? a : a + "|" + b));
    return policies;
  }

  /** Spans written more than once: "trace/span" -> times. */
  Map<String, Long> duplicates() {
    return spans().stream().collect(Collectors.groupingBy(s -> s.getTraceId() + "/" + s.getSpanId(),
            Collectors.counting())).entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Override
  public void close() {
    consumer.close();
  }
}
