package io.tributary.processors.integration;

import io.tributary.processors.PipelineConfig;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The traces application in a JVM of its own, so {@link TailSamplingIT} and {@link TracesFailoverDrillIT} can kill it as a crash
 * would (SIGKILL: no close, no commit, no flush). Prints {@code RUNNING} once processing.
 *
 * <p>Arguments: bootstrap servers, application id, state directory, input, output and dead-letter
 * topics, pipeline YAML file.
 */
public final class TracesApp {

  static final String RUNNING = "RUNNING";

  private TracesApp() {}

  /** The properties every instance of {@link TailSamplingIT} runs with, in this JVM or its own. */
  static Properties streamsProps(String bootstrapServers, String applicationId, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Static membership: an instance restarted on its state directory (after a crash) takes its
    // place in the group at once instead of waiting for the dead member's session to time out.
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        applicationId + "-" + stateDir.getFileName());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    return props;
  }

  /** Starts this class in a JVM of its own, on this test's classpath, output to {@code log}. */
  static Process start(String bootstrapServers, String appId, Path stateDir, Topics topics, Path configFile, Path log)
      throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath, TracesApp.class.getName(),
        bootstrapServers, appId, stateDir.toString(), topics.input(), topics.output(), topics.deadLetter(),
        configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  public static void main(String[] args) throws InterruptedException {
    Topics topics = new Topics(args[3], args[4], args[5]);
    PipelineConfig config = PipelineConfig.load(Path.of(args[6]));
    KafkaStreams streams = new KafkaStreams(TracesTopology.build(config, topics),
        streamsProps(args[0], args[1], Path.of(args[2])));
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        System.out.println(RUNNING);
        System.out.flush();
      }
    });
    streams.start();
    new CountDownLatch(1).await(); // until killed
  }
}
