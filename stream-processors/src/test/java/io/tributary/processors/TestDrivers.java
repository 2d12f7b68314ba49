package io.tributary.processors;

import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** TopologyTestDriver set-up shared by the step and topology tests. */
public final class TestDrivers {

  private TestDrivers() {}

  public static TopologyTestDriver driver(Topology topology, Path stateDir) {
    return new TopologyTestDriver(topology, props(stateDir));
  }

  /** With the driver's mock wall clock starting at {@code wallClock} (advance it with {@code advanceWallClockTime}). */
  public static TopologyTestDriver driver(Topology topology, Path stateDir, Instant wallClock) {
    return new TopologyTestDriver(topology, props(stateDir), wallClock);
  }

  /** A pipeline's input: raw OTLP bytes. */
  public static TestInputTopic<String, byte[]> rawInput(TopologyTestDriver driver, Topics topics) {
    return driver.createInputTopic(topics.input(), new StringSerializer(), new ByteArraySerializer());
  }

  /** A pipeline's output: Avro records of {@code type}, in the embedded serde format. */
  public static <T extends SpecificRecord> TestOutputTopic<String, T> output(TopologyTestDriver driver, Topics topics,
      Class<T> type) {
    return driver.createOutputTopic(topics.output(), new StringDeserializer(),
        AvroSerde.forType(type, SerdeConfig.getDefault()).deserializer());
  }

  /** A pipeline's OTLP output: {@code Export*ServiceRequest} protobuf. */
  public static TestOutputTopic<String, byte[]> otlpOutput(TopologyTestDriver driver, Topics topics) {
    return driver.createOutputTopic(topics.otlpOutput(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** A pipeline's dead letters: raw records as they came. */
  public static TestOutputTopic<String, byte[]> deadLetters(TopologyTestDriver driver, Topics topics) {
    return driver.createOutputTopic(topics.deadLetter(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static Properties props(Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tributary-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return props;
  }

  /** Headers as the gateway writes them. */
  public static Headers tenantHeaders(String tenant) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(TelemetryHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  public static String header(Headers headers, String key) {
    return headers.lastHeader(key) == null ? null
        : new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
