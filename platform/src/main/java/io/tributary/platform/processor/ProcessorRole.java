package io.tributary.platform.processor;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;
import io.tributary.processors.PipelineStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the chosen pipelines, one Kafka Streams application each; closing stops them cleanly. */
public final class ProcessorRole {

  private static final Logger log = LoggerFactory.getLogger(ProcessorRole.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** How to run the pipelines (set by the command, or by {@code dev}). */
  public static final RoleContext.Key<ProcessorSettings> SETTINGS =
      RoleContext.Key.of("processor settings", ProcessorSettings.class);

  private ProcessorRole() {}

  /** Where {@code /metrics} and the health checks answer (published by this role, with the port bound). */
  public static final RoleContext.Key<InetSocketAddress> HTTP_ADDRESS =
      RoleContext.Key.of("processor http address", InetSocketAddress.class);

  public static AutoCloseable start(RoleContext context) {
    ProcessorSettings settings = context.require(SETTINGS);
    String bootstrap = context.require(KafkaOptions.BOOTSTRAP_SERVERS);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PipelineHealth health = new PipelineHealth();
    List<PipelineMetrics> metrics = new ArrayList<>();
    List<KafkaStreams> running = new ArrayList<>();
    List<KafkaStreamsMetrics> clientMetrics = new ArrayList<>();
    ProcessorHttpServer server;
    try {
      for (Pipeline pipeline : settings.pipelines().stream().sorted(Comparator.naturalOrder()).toList()) {
        PipelineStats stats = new PipelineStats();
        KafkaStreams streams = new KafkaStreams(
            pipeline.topology(settings.config(), settings.serde(), stats), properties(pipeline, settings, bootstrap));
        health.add(pipeline, streams);
        streams.setStateListener((now, before) -> {
          health.changed(pipeline, now);
          log.info("{} pipeline: {} -> {}", pipeline.id(), before, now);
        });
        // A thread that died on an unexpected error is replaced; its tasks restart from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
          log.error("{} pipeline: stream thread failed; replacing it", pipeline.id(), e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics.add(new PipelineMetrics(registry, pipeline, stats));
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, Tags.of("pipeline", pipeline.id()));
        binder.bindTo(registry);
        clientMetrics.add(binder);
        running.add(streams);
      }
      server = ProcessorHttpServer.start(settings.metricsHost(), settings.metricsPort(), registry, metrics, health);
    } catch (RuntimeException e) {
      running.forEach(streams -> streams.close(CLOSE_TIMEOUT));
      clientMetrics.forEach(KafkaStreamsMetrics::close);
      registry.close();
      throw e;
    }
    running.forEach(KafkaStreams::start);
    context.put(HTTP_ADDRESS, new InetSocketAddress(settings.metricsHost(), server.port()));
    log.info("Pipelines started: {} (state in {})", settings.pipelines(), settings.stateDir());
    return () -> {
      health.closing();
      for (KafkaStreams streams : running) {
        streams.close(CLOSE_TIMEOUT);
      }
      clientMetrics.forEach(KafkaStreamsMetrics::close);
      server.close();
      registry.close();
    };
  }

  static Properties properties(Pipeline pipeline, ProcessorSettings settings, String bootstrap) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, pipeline.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        settings.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    // Raw records can be as large as the gateway writes them.
    p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), 8 * 1024 * 1024);
    p.putAll(settings.streamsOverrides());
    return p;
  }
}
