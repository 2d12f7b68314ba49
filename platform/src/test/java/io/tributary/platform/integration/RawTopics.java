package io.tributary.platform.integration;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the raw OTLP topics from the beginning and decodes their records. */
final class RawTopics implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;

  RawTopics(String bootstrapServers) {
    consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Every record of {@code topic} written so far. */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  /** Every record of {@code topic} parsed with {@code parser}. */
  <T> List<T> readAll(String topic, Function<byte[], T> parser) {
    return readAll(topic).stream().map(r -> parser.apply(r.value())).toList();
  }

  static ExportTraceServiceRequest traces(byte[] bytes) {
    return parse(() -> ExportTraceServiceRequest.parseFrom(bytes));
  }

  static ExportLogsServiceRequest logs(byte[] bytes) {
    return parse(() -> ExportLogsServiceRequest.parseFrom(bytes));
  }

  static ExportMetricsServiceRequest metrics(byte[] bytes) {
    return parse(() -> ExportMetricsServiceRequest.parseFrom(bytes));
  }

  static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  static Optional<KeyValue> attribute(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(a -> a.getKey().equals(key)).findFirst();
  }

  static String serviceName(Resource resource) {
    return attribute(resource.getAttributesList(), "service.name").map(a -> a.getValue().getStringValue()).orElse("");
  }

  private interface Parse<T> {
    T run() throws com.google.protobuf.InvalidProtocolBufferException;
  }

  private static <T> T parse(Parse<T> parse) {
    try {
      return parse.run();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("record is not valid OTLP protobuf: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
