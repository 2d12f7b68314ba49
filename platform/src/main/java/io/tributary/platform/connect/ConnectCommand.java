package io.tributary.platform.connect;

import io.tributary.platform.RoleRunner;
import io.tributary.platform.Roles;
import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.cli.Ports;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.streams.StreamsAppOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary connect}: a distributed Kafka Connect worker with the Tributary sinks. */
@Command(name = "connect",
    sortOptions = false,
    description = {
      "Run a Kafka Connect worker in distributed mode with Tributary's sink connectors (Elasticsearch, OTLP/Tempo, "
          + "Prometheus remote_write, Alertmanager) on its classpath. Workers started with the same --group-id form "
          + "one Connect cluster and share connectors and tasks; connector configs, offsets and status live in "
          + "the topics <group-id>-configs, -offsets and -status.",
      "Create connectors through the REST API (PUT /connectors/NAME/config) or Strimzi KafkaConnector resources; "
          + "see docs/sinks.md for every connector's options. The same plugin runs on any other Connect cluster: "
          + "install sinks/target/tributary-sinks-*-plugin.zip in its plugin.path.",
      "On --metrics-port: /health/live, /health/ready and Prometheus /metrics with the labels connector and task: "
          + "tributary_sink_items_delivered_total, tributary_sink_items_retried_total, "
          + "tributary_sink_records_failed_total (dead-lettered or dropped), tributary_sink_requests_total, "
          + "tributary_sink_requests_failed_total, and the gauges tributary_sink_buffered_items, "
          + "tributary_sink_buffered_items_peak and tributary_sink_buffer_max_items."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped, or (--check-config) the configuration is valid",
      "1:failed to start or run, or (--check-config) the configuration is invalid",
      "2:invalid options"
    })
public final class ConnectCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  CheckConfigOption check;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--group-id", paramLabel = "ID", defaultValue = ConnectSettings.DEFAULT_GROUP_ID,
      description = "The Connect cluster this worker joins; also the prefix of its internal topics "
          + "(default: ${DEFAULT-VALUE}).")
  String groupId = ConnectSettings.DEFAULT_GROUP_ID;

  @Option(names = "--rest-bind-address", paramLabel = "ADDRESS", defaultValue = ConnectSettings.DEFAULT_HOST,
      description = "Address of the REST API (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
  String restHost = ConnectSettings.DEFAULT_HOST;

  @Option(names = "--rest-port", paramLabel = "PORT", defaultValue = "" + ConnectSettings.DEFAULT_PORT,
      description = "Port of the REST API (default: ${DEFAULT-VALUE}).")
  int restPort = ConnectSettings.DEFAULT_PORT;

  @Option(names = "--metrics-bind-address", paramLabel = "ADDRESS", defaultValue = StreamsAppOptions.DEFAULT_METRICS_HOST,
      description = "Address of the Prometheus /metrics and health (/health/live, /health/ready) port "
          + "(default: ${DEFAULT-VALUE}).")
  String metricsHost = StreamsAppOptions.DEFAULT_METRICS_HOST;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + ConnectSettings.DEFAULT_METRICS_PORT,
      description = "Port of Prometheus /metrics (each sink task's delivered, retried and failed counts) and health "
          + "(/health/live, /health/ready) (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int metricsPort = ConnectSettings.DEFAULT_METRICS_PORT;

  @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "-1",
      description = "Replication factor of the internal topics (default: -1, the broker's default.replication.factor).")
  int replicationFactor = -1;

  @Option(names = "--plugin-path", paramLabel = "DIRS",
      description = "Extra plugin directories for other connectors (comma-separated).")
  String pluginPath;

  @Option(names = "--worker-property", paramLabel = "KEY=VALUE",
      description = "One Connect worker setting, applied last (e.g. offset.flush.interval.ms=10000). Repeatable.")
  Map<String, String> workerProperties = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    return RoleRunner.run(Roles.CONNECT, spec, check, this::context);
  }

  RoleContext context() {
    Ports.checkPort("--rest-port", restPort);
    Ports.checkPort("--metrics-port", metricsPort);
    if (replicationFactor == 0 || replicationFactor < -1) {
      throw ConfigException.invalid("--replication-factor", replicationFactor, "-1 (broker default) or >= 1");
    }
    if (groupId.isBlank()) {
      throw ConfigException.invalid("--group-id", "'" + groupId + "'", "a non-blank name");
    }
    ConnectSettings settings = new ConnectSettings(groupId, "http://" + restHost + ":" + restPort,
        replicationFactor, pluginPath, workerProperties, List.of(), List.of(), metricsHost, metricsPort);
    return new RoleContext()
        .put(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
        .put(ConnectRole.SETTINGS, settings);
  }
}
