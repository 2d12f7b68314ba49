package io.tributary.platform.streams;

import io.tributary.processors.BoundedRocksDbMemory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings every Tributary Streams application starts from. */
public final class StreamsProperties {

  private StreamsProperties() {}

  /**
   * @param exactlyOnce {@code exactly_once_v2} (the default of every role) or {@code at_least_once}
   * @param overrides any other setting, applied last
   */
  public static Properties of(String applicationId, String bootstrapServers, Path stateDir, int threads,
      int standbyReplicas, boolean exactlyOnce, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    // Raw records can be as large as the gateway writes them.
    p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), 8 * 1024 * 1024);
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    p.putAll(overrides);
    return p;
  }
}
