package io.tributary.platform.replay;

import io.tributary.alerting.AlertingTopics;
import io.tributary.alerting.AlertingTopology;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.DurationConverter;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.processor.Pipeline;
import io.tributary.platform.processor.ProcessorSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary replay}: rebuild a store from the topics. */
@Command(name = "replay",
    sortOptions = false,
    description = {
      "Rebuild a store by replaying a topic. With --connector, a sink connector is stopped, its offsets are set to "
          + "--to through Connect's offsets API, and it is resumed; progress is shown until it caught up. Sinks write "
          + "with deterministic ids, so a replay converges to the same documents and never duplicates.",
      "With --app, a stopped Kafka Streams application (traces, logs, metrics pipelines or alerting) is reset "
          + "with Kafka's application reset tool: inputs back to --to, internal topics deleted, local state under "
          + "--state-dir removed. Stop every instance of the application first; start it again afterwards."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:replayed (and, unless --no-wait, caught up)",
      "1:the replay failed or did not catch up within --timeout",
      "2:invalid options"
    })
public final class ReplayCommand implements Callable<Integer> {

  /** Streams applications that can be reset, by their command-line name. */
  static final Map<String, StreamsApp> APPS = apps();

  private static Map<String, StreamsApp> apps() {
    Map<String, StreamsApp> apps = new LinkedHashMap<>();
    for (Pipeline p : Pipeline.values()) {
      apps.put(p.id(), new StreamsApp(p.applicationId(), List.of(p.topics().input())));
    }
    AlertingTopics alerting = AlertingTopics.defaults();
    apps.put("alerting", new StreamsApp(AlertingTopology.APPLICATION_ID,
        List.of(alerting.spans(), alerting.logs(), alerting.metrics())));
    return java.util.Collections.unmodifiableMap(apps);
  }

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaOptions kafka;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--connector", paramLabel = "NAME", required = true,
        description = "The sink connector to replay (e.g. tributary-elasticsearch).")
    String connector;

    @Option(names = "--app", paramLabel = "APP", required = true,
        description = "The Streams application to reset: traces, logs, metrics or alerting.")
    String app;
  }

  @Option(names = "--to", paramLabel = "POINT", required = true,
      description = "earliest, an ISO-8601 instant (2026-11-21T10:00:00Z), epoch milliseconds, or a duration ago (2h).")
  String to;

  @Option(names = "--connect-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8083",
      description = "REST API of the Connect cluster running the connector (default: ${DEFAULT-VALUE}).")
  URI connectUrl;

  @Option(names = "--no-wait", description = "Return once the connector resumed instead of showing progress until it caught up.")
  boolean noWait;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
      description = "How long to show progress before giving up waiting (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ProcessorSettings.DEFAULT_STATE_DIR,
      description = "--app: the application's state directory on this machine (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "One Kafka client setting (e.g. security.protocol, sasl.jaas.config) for every client the replay "
          + "uses: admin, consumer and the reset tool. Repeatable.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(names = "--dry-run", description = "--app: show what would be reset, change nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "--app: remove members that are still in the group (instances stopped "
      + "less than session.timeout.ms ago). Only when every instance is stopped.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    ReplayPoint point = ReplayPoint.parse(to, Clock.systemUTC());
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> client = new LinkedHashMap<>(kafkaProperties);
    client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    if (target.app != null) {
      StreamsApp app = APPS.get(target.app.toLowerCase(Locale.ROOT));
      if (app == null) {
        throw ConfigException.invalid("--app", "'" + target.app + "'", String.join(", ", APPS.keySet()));
      }
      boolean ok = new StreamsAppReplay(client, out).run(app.applicationId(), app.inputs(), point, stateDir, dryRun, force);
      return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }
    try (Admin admin = Admin.create(client)) {
      ConnectRestClient connect = new ConnectRestClient(connectUrl);
      if (!connect.exists(target.connector)) {
        throw ConfigException.invalid("--connector", "'" + target.connector + "'",
            "one of the connectors at " + connectUrl + ": " + String.join(", ", connect.connectors()));
      }
      boolean ok = new ConnectorReplay(connect, admin, client, out).run(target.connector, point, !noWait, timeout);
      return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** A Kafka Streams application: its id and the topics it consumes as a group. */
  record StreamsApp(String applicationId, List<String> inputs) {}
}
