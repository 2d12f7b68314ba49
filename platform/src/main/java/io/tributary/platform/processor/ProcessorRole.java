package io.tributary.platform.processor;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.streams.StreamsHealth;
import io.tributary.platform.streams.StreamsHttpServer;
import io.tributary.platform.streams.StreamsProperties;
import io.tributary.processors.PipelineStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
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
    StreamsHealth health = new StreamsHealth();
    List<PipelineMetrics> metrics = new ArrayList<>();
    List<KafkaStreams> running = new ArrayList<>();
    List<KafkaStreamsMetrics> clientMetrics = new ArrayList<>();
    StreamsHttpServer server;
    try {
      for (Pipeline pipeline : settings.pipelines().stream().sorted(Comparator.naturalOrder()).toList()) {
        PipelineStats stats = new PipelineStats();
        KafkaStreams streams = new KafkaStreams(
            pipeline.topology(settings.config(), settings.serde(), stats), properties(pipeline, settings, bootstrap));
        health.add(pipeline.id(), streams);
        streams.setStateListener((now, before) -> {
          health.changed(pipeline.id(), now);
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
      server = StreamsHttpServer.start("processor", settings.metricsHost(), settings.metricsPort(), registry,
          () -> metrics.forEach(PipelineMetrics::refresh), health);
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
    return StreamsProperties.of(pipeline.applicationId(), bootstrap, settings.stateDir(), settings.threads(),
        settings.standbyReplicas(), settings.exactlyOnce(), settings.streamsOverrides());
  }
}
