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
import java.util.List;
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
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  /** Writes raw records as the gateway does: key, OTLP protobuf bytes, acknowledged by every replica. */
  static KafkaProducer<String, byte[]> rawProducer(EmbeddedKafkaBroker kafka) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Consumer settings that read only what the transactions committed, and commit no offsets. */
  static Properties readCommitted(EmbeddedKafkaBroker kafka) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
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
}
