package io.tributary.testsupport;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Topics of one test on the shared broker: unique names, created with the configs asked for, written
 * with a byte producer and read back from the beginning to their end offsets, the values parsed as
 * protobuf messages where asked.
 */
public final class TestTopics {

  /** How long {@link #readAll} may take before the test fails. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private TestTopics() {}

  /** A name no other test uses, even on a broker kept across runs: {@code <prefix>-<8 hex digits>}. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates {@code names}, replication factor 1, with {@code partitions} partitions each. */
  public static void create(String bootstrapServers, int partitions, String... names) {
    create(bootstrapServers, partitions, Map.of(), names);
  }

  /** Creates {@code names} with {@code partitions} partitions and the topic {@code configs} (e.g. a catalog topic's). */
  public static void create(String bootstrapServers, int partitions, Map<String, String> configs, String... names) {
    try (Admin admin = admin(bootstrapServers)) {
      admin.createTopics(List.of(names).stream()
          .map(name -> new NewTopic(name, partitions, (short) 1).configs(configs))
          .toList()).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("creating topics " + List.of(names) + ": " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  /** A producer of raw bytes that batches for 5 ms; the caller closes it. */
  public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Every committed record of {@code topic}, from the beginning to the end offsets as of now (records of
   * open or aborted transactions are not read); fails the test after 60 s.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("reading " + topic + " to its end offsets " + end + " took over "
              + READ_TIMEOUT.toSeconds() + " s");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** {@link #readAll} with each value parsed, e.g. by {@code ExportTraceServiceRequest.parser()}. */
  public static <T> List<T> readAll(String bootstrapServers, String topic, Parser<T> parser) {
    return values(readAll(bootstrapServers, topic), parser);
  }

  /** The values of {@code records} parsed; a value that is no such message fails the test. */
  public static <T> List<T> values(List<ConsumerRecord<byte[], byte[]>> records, Parser<T> parser) {
    return records.stream().map(record -> value(record, parser)).toList();
  }

  /** The value of {@code record} parsed; a value that is no such message fails the test. */
  public static <T> T value(ConsumerRecord<byte[], byte[]> record, Parser<T> parser) {
    try {
      return parser.parseFrom(record.value());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
          + " is not the protobuf message expected: " + e.getMessage(), e);
    }
  }

  /** The end offset of every partition of {@code topics}: a test asserts nothing was written by comparing two. */
  public static Map<TopicPartition, Long> endOffsets(String bootstrapServers, Collection<String> topics) {
    try (Admin admin = admin(bootstrapServers)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
          description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
      Map<TopicPartition, Long> offsets = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
      return offsets;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading the end offsets of " + topics + ": " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  private static Admin admin(String bootstrapServers) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }
}
