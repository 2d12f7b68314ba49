package io.tributary.processors.integration;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import io.tributary.testsupport.TestTopics;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients the integration tests reach the shared broker with, and the traces pipeline they run. */
final class TestClients {

  private TestClients() {}

  static Admin admin(EmbeddedKafkaBroker kafka) {
    return admin(kafka.bootstrapServers());
  }

  static Admin admin(String bootstrapServers) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Writes raw records as the gateway does: key, OTLP protobuf bytes, acknowledged by every replica. */
  static KafkaProducer<String, byte[]> rawProducer(EmbeddedKafkaBroker kafka) {
    return rawProducer(kafka.bootstrapServers());
  }

  static KafkaProducer<String, byte[]> rawProducer(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Consumer settings that read only what the transactions committed, and commit no offsets. */
  static Properties readCommitted(EmbeddedKafkaBroker kafka) {
    return readCommitted(kafka.bootstrapServers());
  }

  static Properties readCommitted(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }

  /** Subscribed to {@code topic} from its start, as consumer group {@code group}: committed records only. */
  static <V> KafkaConsumer<String, V> committedConsumer(EmbeddedKafkaBroker kafka, String group, String topic,
      Deserializer<V> valueDeserializer) {
    Properties props = readCommitted(kafka);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), valueDeserializer);
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  /** A traces pipeline instance named {@code applicationId}, exactly-once, reading its input from the start. */
  static KafkaStreams startTraces(EmbeddedKafkaBroker kafka, String applicationId, PipelineConfig config, Topics topics,
      Path stateDir, PipelineStats stats) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    KafkaStreams streams = new KafkaStreams(TracesTopology.build(config, topics, SerdeConfig.getDefault(), stats), props);
    streams.start();
    return streams;
  }

  /** Whether {@code streams} runs and holds at least one active task (a rebalance between instances is over). */
  static boolean ownsTasks(KafkaStreams streams) {
    return streams.state() == KafkaStreams.State.RUNNING
        && streams.metadataForLocalThreads().stream().map(ThreadMetadata::activeTasks).mapToInt(Set::size).sum() > 0;
  }

  /** Reads the metric points of {@code topic} (committed only) in a consumer group of its own. */
  static KafkaConsumer<String, MetricPoint> metricPointConsumer(EmbeddedKafkaBroker kafka, String topic) {
    return committedConsumer(kafka, "it-metric-points-reader-" + UUID.randomUUID(), topic,
        AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault()).deserializer());
  }

  /** Whether the application committed (transactionally) every input record so far. */
  static boolean inputCommitted(Admin admin, String appId, String input) throws Exception {
    int partitions = admin.describeTopics(List.of(input)).allTopicNames().get().get(input).partitions().size();
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      all.add(new TopicPartition(input, p));
    }
    return committedUpTo(admin, appId, endOffsets(admin, all));
  }

  /** The end offsets of {@code partitions} now. */
  static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<TopicPartition> partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** Whether the application's committed offsets reached {@code ends}. */
  static boolean committedUpTo(Admin admin, String appId, Map<TopicPartition, Long> ends) throws Exception {
    // Not requireStable: offsets of an open transaction are not returned either way, and a busy
    // exactly-once application always has one open, so a stable read would keep failing on its partitions.
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId,
        new ListConsumerGroupOffsetsOptions().requireStable(false)).partitionsToOffsetAndMetadata().get();
    return ends.entrySet().stream().allMatch(end -> committed.get(end.getKey()) != null
        && committed.get(end.getKey()).offset() >= end.getValue());
  }

  /** Trace ids (hex) with a committed entry in a store's changelog topic. */
  static Set<String> changelogKeys(String bootstrapServers, String appId, String store) {
    String topic = appId + "-" + store + "-changelog";
    Set<String> keys = new TreeSet<>();
    TestTopics.readAll(bootstrapServers, topic).forEach(r -> keys.add(HexFormat.of().formatHex(r.key())));
    return keys;
  }
}
