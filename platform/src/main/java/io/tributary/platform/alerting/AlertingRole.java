package io.tributary.platform.alerting;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.alerting.AlertingStats;
import io.tributary.alerting.AlertingTopics;
import io.tributary.alerting.AlertingTopology;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.streams.StreamsHealth;
import io.tributary.platform.streams.StreamsHttpServer;
import io.tributary.platform.streams.StreamsProperties;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the alerting application with its {@code /metrics} and health checks; closing stops it cleanly. */
public final class AlertingRole {

  private static final Logger log = LoggerFactory.getLogger(AlertingRole.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final String NAME = "alerting";

  public static final RoleContext.Key<AlertingSettings> SETTINGS =
      RoleContext.Key.of("alerting settings", AlertingSettings.class);
  /** Where {@code /metrics} and the health checks answer (published once bound). */
  public static final RoleContext.Key<InetSocketAddress> HTTP_ADDRESS =
      RoleContext.Key.of("alerting http address", InetSocketAddress.class);

  private AlertingRole() {}

  public static AutoCloseable start(RoleContext context) {
    AlertingSettings settings = context.require(SETTINGS);
    String bootstrap = context.require(KafkaOptions.BOOTSTRAP_SERVERS);
    AlertingStats stats = new AlertingStats();
    KafkaStreams streams = new KafkaStreams(
        AlertingTopology.build(settings.rules(), AlertingTopics.defaults(), settings.serde(), settings.config(), stats),
        StreamsProperties.of(AlertingTopology.APPLICATION_ID, bootstrap, settings.stateDir(), settings.threads(),
            settings.standbyReplicas(), settings.exactlyOnce(), settings.streamsOverrides()));
    StreamsHealth health = new StreamsHealth();
    health.add(NAME, streams);
    streams.setStateListener((now, before) -> {
      health.changed(NAME, now);
      log.info("alerting: {} -> {}", before, now);
    });
    streams.setUncaughtExceptionHandler(e -> {
      log.error("alerting: stream thread failed; replacing it", e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AlertingMetrics.bind(registry, stats);
    KafkaStreamsMetrics clientMetrics = new KafkaStreamsMetrics(streams, Tags.of("app", NAME));
    clientMetrics.bindTo(registry);
    StreamsHttpServer server;
    try {
      server = StreamsHttpServer.start(NAME, settings.metricsHost(), settings.metricsPort(), registry, () -> {}, health);
    } catch (RuntimeException e) {
      streams.close(CLOSE_TIMEOUT);
      clientMetrics.close();
      registry.close();
      throw e;
    }
    streams.start();
    context.put(HTTP_ADDRESS, new InetSocketAddress(settings.metricsHost(), server.port()));
    log.info("Alerting started: {} rules (state in {})", settings.rules().size(), settings.stateDir());
    return () -> {
      health.closing();
      streams.close(CLOSE_TIMEOUT);
      clientMetrics.close();
      server.close();
      registry.close();
    };
  }
}
