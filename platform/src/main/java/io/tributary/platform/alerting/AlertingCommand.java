package io.tributary.platform.alerting;

import io.tributary.alerting.AlertRules;
import io.tributary.alerting.AlertRulesException;
import io.tributary.alerting.AlertingConfig;
import io.tributary.alerting.RuleCheck;
import io.tributary.platform.RoleRunner;
import io.tributary.platform.Roles;
import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.DurationConverter;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.cli.Ports;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.streams.StreamsAppOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary alerting}: streaming alert rules over the processed topics. */
@Command(name = "alerting",
    sortOptions = false,
    description = {
      "Evaluate alert rules (YAML rule groups, see docs/alerting.md) over telemetry.spans, telemetry.logs and "
          + "telemetry.metrics in hopping windows, keep each alert's state (inactive, pending, firing, resolved) in "
          + "changelogged stores and write one record per state change to telemetry.alerts, where the Alertmanager "
          + "sink picks them up. Scales by partitions: run more instances with the same options.",
      "Without --rules the shipped example rules apply. --check FILE... validates rule files and exits, like "
          + "promtool check rules.",
      "On --metrics-port: /health/live, /health/ready and Prometheus /metrics: tributary_alerting_samples_total, "
          + "tributary_alerting_evaluations_total, tributary_alerting_state_changes_total{state}, "
          + "tributary_alerting_late_records_dropped_total, tributary_alerting_template_errors_total, "
          + "tributary_alerting_record_errors_total and Kafka Streams' client metrics."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped, or (--check, --check-config) the rules are valid",
      "1:failed to start or run, or (--check, --check-config) a rule file is invalid",
      "2:invalid options or rules (the message names the file, line, rule and reason)"
    })
public final class AlertingCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  CheckConfigOption checkConfig;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--rules", paramLabel = "FILE", arity = "1..*",
      description = "Rule files (YAML rule groups); without it the shipped examples apply.")
  List<Path> ruleFiles = List.of();

  @Option(names = "--check", paramLabel = "FILE", arity = "1..*",
      description = "Check these rule files (file, line, rule and reason of every problem) and exit.")
  List<Path> checkFiles;

  @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long after a window ends late records still count (default: 10s).")
  Duration grace = AlertingConfig.DEFAULT_GRACE;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Without new records for this long, windows close on the wall clock so alerts still resolve "
          + "(default: 2m; 0 = only on record time).")
  Duration idleTimeout = AlertingConfig.DEFAULT_IDLE_TIMEOUT;

  @Option(names = "--check-interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often closed windows are looked for (default: 1s).")
  Duration checkInterval = AlertingConfig.DEFAULT_CHECK_INTERVAL;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions of the repartition topic of rule groups (default: those of the input topics).")
  int partitions = AlertingConfig.DEFAULT_PARTITIONS;

  @Mixin
  StreamsAppOptions streams;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + AlertingSettings.DEFAULT_METRICS_PORT,
      description = "Port of Prometheus /metrics and health (/health/live, /health/ready) (default: ${DEFAULT-VALUE}; "
          + "0 = any free port).")
  int metricsPort = AlertingSettings.DEFAULT_METRICS_PORT;

  @Override
  public Integer call() throws Exception {
    if (checkFiles != null) {
      RuleCheck check = RuleCheck.check(checkFiles);
      PrintWriter out = spec.commandLine().getOut();
      out.print(check.report());
      out.flush();
      return check.exitCode();
    }
    return RoleRunner.run(Roles.ALERTING, spec, checkConfig, this::context);
  }

  RoleContext context() {
    String bootstrapServers = kafka.bootstrapServers();
    Ports.checkPort("--metrics-port", metricsPort);
    AlertingSettings settings;
    try {
      AlertingConfig config = AlertingConfig.builder().grace(grace).idleTimeout(idleTimeout)
          .checkInterval(checkInterval).partitions(partitions).build();
      settings = new AlertingSettings(rules(ruleFiles), config, streams.serde(), streams.stateDir, streams.threads,
          streams.standbyReplicas, streams.exactlyOnce(), streams.streamsOverrides(), streams.metricsHost, metricsPort);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    return new RoleContext().put(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers).put(AlertingRole.SETTINGS, settings);
  }

  /** The rules of {@code files}, or the shipped examples when none is given. */
  public static AlertRules rules(List<Path> files) {
    if (files.isEmpty()) {
      return AlertRules.shipped();
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new ConfigException("--rules: " + file + " is not a readable file (expected: a YAML rule file)");
      }
    }
    try {
      return AlertRules.load(files);
    } catch (AlertRulesException e) {
      throw new ConfigException("--rules: " + e.getMessage(), e);
    }
  }
}
