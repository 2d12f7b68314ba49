package io.tributary.interop;

import io.tributary.processors.PipelineConfig;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;

/**
 * The traces pipeline as a real Kafka Streams application over one raw topic: its own output and
 * dead-letter topics, exactly-once, tail sampling with the shipped policies but a one-second decision
 * wait, span metrics and reference-data enrichment off (they would need topics of their own).
 */
final class TracesPipelineRun implements AutoCloseable {

  /** The shipped pipeline file with a short decision wait; everything else as shipped. */
  static final String CONFIG = """
      sampling:
        decision-wait: 1s
        check-interval: 200ms
        policies:
          - name: errors
            error: {}
          - name: slow
            latency: {threshold: 5s}
          - name: llm-cost
            cost: {threshold: 1.0}
          - name: probabilistic
            probabilistic: {percentage: 10}
      enrichment:
        services: {enabled: false}
        llm-cost: {enabled: false}
      span-metrics:
        enabled: false
      """;

  private final String bootstrapServers;
  private final Topics topics;
  private final KafkaStreams streams;
  private final Path stateDir;

  private TracesPipelineRun(String bootstrapServers, Topics topics, KafkaStreams streams, Path stateDir) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.streams = streams;
    this.stateDir = stateDir;
  }

  /** Starts the pipeline on {@code input} (which must exist) and returns once it is running. */
  static TracesPipelineRun start(String bootstrapServers, String input, String config) throws Exception {
    Topics topics = new Topics(input, input + ".out", input + ".dlq");
    KafkaTopics.create(bootstrapServers, TopicCatalog.SPANS, 3, topics.output(), topics.deadLetter());
    Path stateDir = Files.createTempDirectory("traces-pipeline");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "interop-" + input);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    PipelineConfig pipeline = PipelineConfig.parse(config, "interop traces pipeline", name -> null);
    KafkaStreams streams = new KafkaStreams(TracesTopology.build(pipeline, topics), props);
    streams.start();
    Awaitility.await("traces pipeline on " + input + " running").atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    return new TracesPipelineRun(bootstrapServers, topics, streams, stateDir);
  }

  Topics topics() {
    return topics;
  }

  /** Every kept span written so far (committed). */
  List<Span> output() {
    try (AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault())) {
      Deserializer<Span> deserializer = serde.deserializer();
      return KafkaTopics.readAll(bootstrapServers, topics.output()).stream()
          .map(r -> deserializer.deserialize(r.topic(), r.headers(), r.value())).toList();
    }
  }

  /** Every dead letter written so far. */
  List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return KafkaTopics.readAll(bootstrapServers, topics.deadLetter());
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    streams.cleanUp();
    io.tributary.embedded.internal.LocalResources.deleteRecursively(stateDir);
  }
}
