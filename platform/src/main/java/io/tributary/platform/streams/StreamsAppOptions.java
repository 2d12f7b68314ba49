package io.tributary.platform.streams;

import io.tributary.processors.BoundedRocksDbMemory;
import io.tributary.schemas.serde.SerdeConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every Kafka Streams role has ({@code processor}, {@code alerting}): state, threads,
 * standbys, processing guarantee, schema registry, extra Streams settings and where {@code /metrics}
 * binds. The port itself is each role's own option (each has its own default).
 */
public final class StreamsAppOptions {

  public static final int DEFAULT_THREADS = 1;
  public static final int DEFAULT_STANDBY_REPLICAS = 0;
  public static final String DEFAULT_STATE_DIR = "data/streams";
  public static final String DEFAULT_METRICS_HOST = "0.0.0.0";
  public static final long DEFAULT_ROCKSDB_MEMORY_MIB = BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES / (1024 * 1024);

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = DEFAULT_STATE_DIR,
      description = "Where the state stores live (default: ${DEFAULT-VALUE}).")
  public Path stateDir = Path.of(DEFAULT_STATE_DIR);

  @Option(names = "--threads", paramLabel = "N", defaultValue = "" + DEFAULT_THREADS,
      description = "Stream threads per application (default: ${DEFAULT-VALUE}).")
  public int threads = DEFAULT_THREADS;

  @Option(names = "--standby-replicas", paramLabel = "N", defaultValue = "" + DEFAULT_STANDBY_REPLICAS,
      description = "Warm copies of each state store kept on other instances (default: ${DEFAULT-VALUE}).")
  public int standbyReplicas = DEFAULT_STANDBY_REPLICAS;

  @Option(names = "--at-least-once",
      description = "Use at_least_once instead of the default exactly_once_v2 processing guarantee.")
  boolean atLeastOnce;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Confluent-compatible schema registry of the Avro topics; without it records use "
          + "Avro single-object encoding with the schemas of the jar.")
  URI schemaRegistryUrl;

  @Option(names = "--streams-property", paramLabel = "KEY=VALUE",
      description = "One Kafka Streams or client setting, applied last. Repeatable.")
  public Map<String, String> streamsProperties = new LinkedHashMap<>();

  @Option(names = "--rocksdb-memory-mib", paramLabel = "MIB", defaultValue = "" + DEFAULT_ROCKSDB_MEMORY_MIB,
      description = "Off-heap memory of all RocksDB state stores of the process: one shared block cache, "
          + "half of it for memtables (default: ${DEFAULT-VALUE}). Size the container for heap + this + "
          + "about 100 MiB.")
  public long rocksDbMemoryMib = DEFAULT_ROCKSDB_MEMORY_MIB;

  @Option(names = "--metrics-bind-address", paramLabel = "ADDRESS", defaultValue = DEFAULT_METRICS_HOST,
      description = "Address of the Prometheus /metrics and health (/health/live, /health/ready) port "
          + "(default: ${DEFAULT-VALUE}).")
  public String metricsHost = DEFAULT_METRICS_HOST;

  /** The Streams settings of these options: the RocksDB budget, then each {@code --streams-property}. */
  public Map<String, String> streamsOverrides() {
    if (rocksDbMemoryMib < 16) {
      throw new IllegalArgumentException("--rocksdb-memory-mib: " + rocksDbMemoryMib + " (expected: at least 16)");
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, Long.toString(rocksDbMemoryMib * 1024 * 1024));
    overrides.putAll(streamsProperties);
    return overrides;
  }

  public boolean exactlyOnce() {
    return !atLeastOnce;
  }

  public SerdeConfig serde() {
    return schemaRegistryUrl == null
        ? SerdeConfig.getDefault()
        : SerdeConfig.builder().schemaRegistryUrl(schemaRegistryUrl).build();
  }
}
