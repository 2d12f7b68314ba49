package io.tributary.platform.processor;

import static java.util.Objects.requireNonNull;

import io.tributary.platform.streams.StreamsAppOptions;
import io.tributary.processors.PipelineConfig;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to run the pipelines of one process.
 *
 * @param pipelines which pipelines run here
 * @param config the pipeline configuration (redaction, sampling, ...), already validated
 * @param serde the Avro wire format of the output topics (schema registry or none)
 * @param stateDir where Kafka Streams keeps its state stores (RocksDB); one subdirectory per application
 * @param threads stream threads per pipeline
 * @param standbyReplicas warm copies of each state store on other instances
 * @param exactlyOnce {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param streamsOverrides any other Kafka Streams / client setting, applied last
 * @param metricsHost the address {@code /metrics} and the health checks bind to
 * @param metricsPort their port; 0 picks a free one
 */
public record ProcessorSettings(
    Set<Pipeline> pipelines,
    PipelineConfig config,
    SerdeConfig serde,
    Path stateDir,
    int threads,
    int standbyReplicas,
    boolean exactlyOnce,
    Map<String, String> streamsOverrides,
    String metricsHost,
    int metricsPort) {

  public static final int DEFAULT_THREADS = StreamsAppOptions.DEFAULT_THREADS;
  public static final int DEFAULT_STANDBY_REPLICAS = StreamsAppOptions.DEFAULT_STANDBY_REPLICAS;
  public static final String DEFAULT_STATE_DIR = StreamsAppOptions.DEFAULT_STATE_DIR;
  /** The port of {@code /metrics} and the health checks: the OpenTelemetry Prometheus exporter's usual one. */
  public static final int DEFAULT_METRICS_PORT = 9464;
  public static final String DEFAULT_METRICS_HOST = StreamsAppOptions.DEFAULT_METRICS_HOST;

  public ProcessorSettings {
    requireNonNull(pipelines, "pipelines");
    requireNonNull(config, "config");
    requireNonNull(serde, "serde");
    requireNonNull(stateDir, "stateDir");
    requireNonNull(metricsHost, "metricsHost");
    pipelines = Set.copyOf(pipelines);
    streamsOverrides = Map.copyOf(streamsOverrides);
    if (pipelines.isEmpty()) {
      throw new IllegalArgumentException("pipelines: [] (expected: at least one of " + List.of(Pipeline.values()) + ")");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    if (standbyReplicas < 0) {
      throw new IllegalArgumentException("standbyReplicas: " + standbyReplicas + " (expected: >= 0)");
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new IllegalArgumentException("metricsPort: " + metricsPort + " (expected: 0-65535, 0 for any free port)");
    }
  }

  /** These settings with {@code config} as the pipeline configuration. */
  public ProcessorSettings withConfig(PipelineConfig config) {
    return new ProcessorSettings(pipelines, config, serde, stateDir, threads, standbyReplicas, exactlyOnce,
        streamsOverrides, metricsHost, metricsPort);
  }

  /**
   * All three pipelines with the shipped configuration, state under {@code stateDir}, {@code /metrics}
   * and health on {@code metricsHost:metricsPort}.
   */
  public static ProcessorSettings defaults(Path stateDir, String metricsHost, int metricsPort) {
    return new ProcessorSettings(Set.of(Pipeline.values()), PipelineConfig.getDefault(), SerdeConfig.getDefault(),
        stateDir, DEFAULT_THREADS, DEFAULT_STANDBY_REPLICAS, true, Map.of(), metricsHost, metricsPort);
  }
}
