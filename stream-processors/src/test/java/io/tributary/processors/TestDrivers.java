package io.tributary.processors;

import io.tributary.schemas.TelemetryHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
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
