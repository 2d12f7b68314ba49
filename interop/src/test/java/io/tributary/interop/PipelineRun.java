package io.tributary.interop;

import io.tributary.processors.PipelineConfig;
import io.tributary.processors.Topics;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.testsupport.AvroValues;
import io.tributary.testsupport.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.awaitility.Awaitility;

/**
 * One pipeline (traces, logs or metrics) as a real Kafka Streams application over one raw topic, with
 * output, dead-letter and OTLP output topics of its own ({@code <input>.out}, {@code .dlq},
 * {@code .otlp}), exactly-once.
 */
final class PipelineRun implements AutoCloseable {

  /** The shipped tail-sampling policies. */
  static final String SHIPPED_POLICIES = """
      - name: errors
        error: {}
      - name: slow
        latency: {threshold: 5s}
      - name: llm-cost
        cost: {threshold: 1.0}
      - name: probabilistic
        probabilistic: {percentage: 10}
      """;

  /** The shipped pipeline file with the shipped policies, as {@link #config}. */
  static final String CONFIG = config(SHIPPED_POLICIES, "");

  /**
   * A pipeline file: tail sampling with {@code policies} (a YAML list) and a one-second decision wait,
   * span metrics and reference-data enrichment off (they would need topics of their own), then
   * {@code more} (other top-level sections); everything else as shipped.
   */
  static String config(String policies, String more) {
    return """
        sampling:
          decision-wait: 1s
          check-interval: 200ms
          policies:
        %s
        enrichment:
          services: {enabled: false}
          llm-cost: {enabled: false}
        span-metrics:
          enabled: false
        %s""".formatted(policies.indent(4).stripTrailing(), more);
  }

  private final String bootstrapServers;
  private final Topics topics;
  private final KafkaStreams streams;
  private final Path stateDir;

  private PipelineRun(String bootstrapServers, Topics topics, KafkaStreams streams, Path stateDir) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.streams = streams;
    this.stateDir = stateDir;
  }

  /**
   * Starts the pipeline {@code topology} builds on {@code input} (which must exist) and returns once it
   * is running, e.g. {@code start(kafka, "otlp_spans-1", PipelineRun.CONFIG, TracesTopology::build)}.
   */
  static PipelineRun start(String bootstrapServers, String input, String config,
      BiFunction<PipelineConfig, Topics, Topology> topology) throws Exception {
    Topics topics = new Topics(input, input + ".out", input + ".dlq").withOtlpOutput(input + ".otlp");
    TestTopics.create(bootstrapServers, 3, TopicCatalog.SPANS.configs(), topics.output(), topics.deadLetter(),
        topics.otlpOutput());
    Path stateDir = Files.createTempDirectory("traces-pipeline");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "interop-" + input);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    PipelineConfig pipeline = PipelineConfig.parse(config, "interop pipeline", name -> null);
    KafkaStreams streams = new KafkaStreams(topology.apply(pipeline, topics), props);
    streams.start();
    Awaitility.await("pipeline on " + input + " running").atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    return new PipelineRun(bootstrapServers, topics, streams, stateDir);
  }

  Topics topics() {
    return topics;
  }

  /** Every Avro record of the output written so far (committed). */
  <T extends SpecificRecord> List<T> output(Class<T> type) {
    return AvroValues.decode(type, TestTopics.readAll(bootstrapServers, topics.output()));
  }

  /** Every record of the OTLP output written so far (committed). */
  List<ConsumerRecord<byte[], byte[]>> otlpOutput() {
    return TestTopics.readAll(bootstrapServers, topics.otlpOutput());
  }

  /** Every dead letter written so far. */
  List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return TestTopics.readAll(bootstrapServers, topics.deadLetter());
  }

  @Override
  public void close() {
    // Generous: an exactly-once app on a loaded machine may take longer than 30 s to finish its
    // transaction and stop, and cleanUp() refuses to run before it has stopped.
    if (streams.close(Duration.ofMinutes(2))) {
      streams.cleanUp();
      io.tributary.embedded.internal.LocalResources.deleteRecursively(stateDir);
    }
  }
}
