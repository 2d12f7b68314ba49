package io.tributary.platform.alerting;

import static java.util.Objects.requireNonNull;

import io.tributary.alerting.AlertRules;
import io.tributary.alerting.AlertingConfig;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to run the alerting application.
 *
 * @param rules the rule groups, already checked
 * @param config windows' grace, idle clock, evaluation interval, repartition partitions
 * @param serde the Avro wire format of the topics (schema registry or none)
 * @param stateDir where its state stores live
 * @param threads stream threads
 * @param standbyReplicas warm copies of its stores on other instances
 * @param exactlyOnce {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param streamsOverrides any other Kafka Streams setting, applied last
 * @param metricsHost where {@code /metrics} and the health checks bind
 * @param metricsPort their port; 0 picks a free one
 */
public record AlertingSettings(
    AlertRules rules,
    AlertingConfig config,
    SerdeConfig serde,
    Path stateDir,
    int threads,
    int standbyReplicas,
    boolean exactlyOnce,
    Map<String, String> streamsOverrides,
    String metricsHost,
    int metricsPort) {

  /** Next to the pipelines' 9464. */
  public static final int DEFAULT_METRICS_PORT = 9465;

  public AlertingSettings {
    requireNonNull(rules, "rules");
    requireNonNull(config, "config");
    requireNonNull(serde, "serde");
    requireNonNull(stateDir, "stateDir");
    requireNonNull(metricsHost, "metricsHost");
    streamsOverrides = Map.copyOf(streamsOverrides);
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    if (standbyReplicas < 0) {
      throw new IllegalArgumentException("standbyReplicas: " + standbyReplicas + " (expected: >= 0)");
    }
  }
}
