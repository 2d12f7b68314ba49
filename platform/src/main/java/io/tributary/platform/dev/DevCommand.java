package io.tributary.platform.dev;

import io.tributary.alerting.AlertRules;
import io.tributary.alerting.AlertingConfig;
import io.tributary.gateway.GatewayConfig;
import io.tributary.platform.alerting.AlertingRole;
import io.tributary.platform.alerting.AlertingSettings;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.platform.RoleRunner;
import io.tributary.platform.Roles;
import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.Ports;
import io.tributary.platform.connect.ConnectRole;
import io.tributary.platform.connect.ConnectSettings;
import io.tributary.platform.connect.ConnectorSpec;
import io.tributary.platform.connect.SinkConnectors;
import io.tributary.platform.console.ConsoleRole;
import io.tributary.platform.console.ConsoleSettings;
import io.tributary.console.ConsoleConfig;
import io.tributary.platform.elasticsearch.ElasticsearchRole;
import io.tributary.platform.elasticsearch.ElasticsearchSettings;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.kafka.EmbeddedKafkaRole;
import io.tributary.platform.kafka.EmbeddedKafkaSettings;
import io.tributary.platform.processor.OtlpOutputOption;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.processor.ProcessorSettings;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.topics.TopicSettings;
import io.tributary.platform.topics.TopicsRole;
import io.tributary.processors.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary dev}: every role in one process, on 127.0.0.1. */
@Command(name = "dev",
    sortOptions = false,
    description = {
      "Run everything in one process for a laptop: a real single-node Kafka broker (KRaft) with its data under "
          + "--data-dir, the catalog's topics, the OTLP gateway (authentication off), the traces, logs and "
          + "metrics pipelines, the alerting stream (shipped rules) and a Kafka Connect worker. Everything binds 127.0.0.1.",
      "Stops cleanly on Ctrl-C (the gateway drains, then the broker stops); the data stays for the next run."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped, or (--check-config) the configuration is valid",
      "1:failed to start or run, or (--check-config) the configuration is invalid",
      "2:invalid options, or a port in use (the message names the option to change)"
    })
public final class DevCommand implements Callable<Integer> {

  /** Everything {@code dev} starts listens here only. */
  public static final String HOST = "127.0.0.1";
  public static final int DEFAULT_GRPC_PORT = 4317;
  public static final int DEFAULT_HTTP_PORT = 4318;
  /** Ctrl-C should not wait long: in-flight requests get this long to finish. */
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  @Spec
  CommandSpec spec;

  @Mixin
  CheckConfigOption check;

  @Option(names = "--console-port", paramLabel = "PORT", defaultValue = "" + ConsoleConfig.DEFAULT_PORT,
      description = "Web console: overview, traces, LLM usage, alerts (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int consolePort = ConsoleConfig.DEFAULT_PORT;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = EmbeddedKafkaSettings.DEFAULT_DATA_DIR,
      description = "Where the broker keeps its data, relative to the current directory (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of(EmbeddedKafkaSettings.DEFAULT_DATA_DIR);

  @Option(names = "--log-file", paramLabel = "FILE", defaultValue = DevLogging.DEFAULT_FILE,
      description = "Every log line goes here too; Kafka's and Kafka Streams' expected startup warnings go only here, "
          + "not to the terminal (default: ${DEFAULT-VALUE}).")
  Path logFile = Path.of(DevLogging.DEFAULT_FILE);

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ProcessorSettings.DEFAULT_STATE_DIR,
      description = "Where the pipelines keep their state stores, relative to the current directory "
          + "(default: ${DEFAULT-VALUE}).")
  Path stateDir = Path.of(ProcessorSettings.DEFAULT_STATE_DIR);

  @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "" + EmbeddedKafkaSettings.DEFAULT_PORT,
      description = "Kafka client port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int kafkaPort = EmbeddedKafkaSettings.DEFAULT_PORT;

  @Option(names = "--kafka-controller-port", paramLabel = "PORT",
      defaultValue = "" + EmbeddedKafkaSettings.DEFAULT_CONTROLLER_PORT,
      description = "Kafka controller (KRaft) port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int controllerPort = EmbeddedKafkaSettings.DEFAULT_CONTROLLER_PORT;

  @Option(names = "--grpc-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_GRPC_PORT,
      description = "OTLP/gRPC port of the gateway (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int grpcPort = DEFAULT_GRPC_PORT;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_HTTP_PORT,
      description = "OTLP/HTTP port of the gateway, also health and /metrics (default: ${DEFAULT-VALUE}; "
          + "0 = any free port).")
  int httpPort = DEFAULT_HTTP_PORT;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + ProcessorSettings.DEFAULT_METRICS_PORT,
      description = "Prometheus /metrics and health (/health/live, /health/ready) of the pipelines "
          + "(default: ${DEFAULT-VALUE}; 0 = any free port).")
  int metricsPort = ProcessorSettings.DEFAULT_METRICS_PORT;

  @Option(names = "--alerting-metrics-port", paramLabel = "PORT", defaultValue = "" + AlertingSettings.DEFAULT_METRICS_PORT,
      description = "Prometheus /metrics and health of the alerting application (default: ${DEFAULT-VALUE}; "
          + "0 = any free port).")
  int alertingMetricsPort = AlertingSettings.DEFAULT_METRICS_PORT;

  @Option(names = "--connect-port", paramLabel = "PORT", defaultValue = "" + ConnectSettings.DEFAULT_PORT,
      description = "REST API of the Kafka Connect worker running the sinks (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int connectPort = ConnectSettings.DEFAULT_PORT;

  @Option(names = "--connect-metrics-port", paramLabel = "PORT", defaultValue = "" + ConnectSettings.DEFAULT_METRICS_PORT,
      description = "Prometheus /metrics (the sinks' delivered, retried and failed counts) and health of the Kafka "
          + "Connect worker (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int connectMetricsPort = ConnectSettings.DEFAULT_METRICS_PORT;

  @Option(names = "--elasticsearch-port", paramLabel = "PORT", defaultValue = "9200",
      description = "HTTP port of the embedded Elasticsearch (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int elasticsearchPort = 9200;

  @Option(names = "--elasticsearch-dir", paramLabel = "DIR", defaultValue = ElasticsearchSettings.DEFAULT_DIRECTORY,
      description = "Where the embedded Elasticsearch is unpacked and keeps its data (default: ${DEFAULT-VALUE}).")
  Path elasticsearchDir = Path.of(ElasticsearchSettings.DEFAULT_DIRECTORY);

  @Option(names = "--elasticsearch-cache-dir", paramLabel = "DIR",
      description = "Where the Elasticsearch distribution is downloaded once from Maven Central (checked against its "
          + "published .sha512 or .sha1) and kept, outside --data-dir so deleting the data does not download it "
          + "again (default: $XDG_CACHE_HOME/tributary, else ~/.cache/tributary).")
  Path elasticsearchCacheDir;

  @Option(names = "--elasticsearch-distribution", paramLabel = "ZIP",
      description = "An Elasticsearch 9.5.3 distribution zip already on disk, instead of downloading it.")
  Path elasticsearchDistribution;

  @Option(names = "--elasticsearch-url", paramLabel = "URL",
      description = "Use this Elasticsearch cluster instead of starting one.")
  URI elasticsearchUrl;

  @Option(names = "--no-elasticsearch", description = "Start no Elasticsearch and no Elasticsearch sink.")
  boolean noElasticsearch;

  @Option(names = "--tempo-url", paramLabel = "URL",
      description = "Send sampled spans to this OTLP/HTTP endpoint (Tempo's distributor, e.g. http://127.0.0.1:4318).")
  URI tempoUrl;

  @Option(names = "--remote-write-url", paramLabel = "URL",
      description = "Send metric points to this Prometheus remote_write endpoint "
          + "(e.g. http://127.0.0.1:9090/api/v1/write, VictoriaMetrics, Mimir).")
  URI remoteWriteUrl;

  @Option(names = "--alertmanager-url", paramLabel = "URL",
      description = "Send alerts to this Alertmanager (e.g. http://127.0.0.1:9093).")
  URI alertmanagerUrl;

  @Mixin
  OtlpOutputOption otlpOutput;

  @Override
  public Integer call() throws Exception {
    if (!check.checkOnly()) {
      DevLogging.toFile(logFile);
    }
    return RoleRunner.run(Roles.DEV, spec, check, this::context);
  }

  /**
   * Everything {@code dev} starts from: checked options, ports known to be free, and each role's
   * settings. Starting {@link Roles#DEV} with it runs the platform (what {@link #call()} does, and
   * what tests do to stop it again).
   *
   * @throws ConfigException naming the option to change
   */
  public RoleContext context() {
    Ports.checkPort("--console-port", consolePort);
    Ports.checkPort("--kafka-port", kafkaPort);
    Ports.checkPort("--kafka-controller-port", controllerPort);
    Ports.checkPort("--grpc-port", grpcPort);
    Ports.checkPort("--http-port", httpPort);
    Ports.checkPort("--metrics-port", metricsPort);
    Ports.checkPort("--connect-port", connectPort);
    Ports.checkPort("--alerting-metrics-port", alertingMetricsPort);
    Ports.checkPort("--connect-metrics-port", connectMetricsPort);
    Ports.requireFree(HOST, consolePort, "--console-port");
    Ports.requireFree(HOST, kafkaPort, "--kafka-port");
    Ports.requireFree(HOST, controllerPort, "--kafka-controller-port");
    Ports.requireFree(HOST, grpcPort, "--grpc-port");
    Ports.requireFree(HOST, httpPort, "--http-port");
    Ports.requireFree(HOST, metricsPort, "--metrics-port");
    Ports.requireFree(HOST, connectPort, "--connect-port");
    Ports.requireFree(HOST, alertingMetricsPort, "--alerting-metrics-port");
    Ports.requireFree(HOST, connectMetricsPort, "--connect-metrics-port");
    boolean embeddedElasticsearch = !noElasticsearch && elasticsearchUrl == null;
    if (embeddedElasticsearch) {
      Ports.checkPort("--elasticsearch-port", elasticsearchPort);
      Ports.requireFree(HOST, elasticsearchPort, "--elasticsearch-port");
    }
    checkDataDir();
    // The gateway's configuration needs the broker's address before the broker runs.
    int kafka = kafkaPort != 0 ? kafkaPort : Ports.freePort(HOST);
    int controller = controllerPort != 0 ? controllerPort : Ports.freePort(HOST);
    EmbeddedKafkaSettings broker = new EmbeddedKafkaSettings(HOST, kafka, controller, dataDir.toAbsolutePath());
    ElasticsearchSettings elasticsearch = noElasticsearch ? null : new ElasticsearchSettings(
        Optional.ofNullable(elasticsearchUrl), HOST,
        elasticsearchPort != 0 || !embeddedElasticsearch ? elasticsearchPort : Ports.freePort(HOST),
        elasticsearchDir.toAbsolutePath(), cacheDir(), Optional.ofNullable(elasticsearchDistribution),
        ElasticsearchSettings.DEFAULT_HEAP);
    RoleContext context = new RoleContext();
    if (elasticsearch != null) {
      context.put(ElasticsearchRole.SETTINGS, elasticsearch);
    }
    return context
        .put(EmbeddedKafkaRole.SETTINGS, broker)
        .put(TopicsRole.SETTINGS, TopicSettings.DEFAULT)
        .put(GatewayRole.CONFIG, gatewayConfig(broker.bootstrapServers()))
        .put(ProcessorRole.SETTINGS, ProcessorSettings.defaults(stateDir.toAbsolutePath(), HOST, metricsPort)
            .withConfig(otlpOutput.apply(PipelineConfig.getDefault())))
        .put(AlertingRole.SETTINGS, new AlertingSettings(AlertRules.shipped(), AlertingConfig.getDefault(),
            SerdeConfig.getDefault(), stateDir.toAbsolutePath(), 1, 0, true, Map.of(), HOST, alertingMetricsPort))
        .put(ConnectRole.SETTINGS, connectSettings(elasticsearch))
        .put(ConsoleRole.SETTINGS, ConsoleSettings.discovered(HOST, consolePort))
        .put(DevBanner.OUT, spec.commandLine().getOut())
        .put(DevBanner.LOG_FILE, logFile.toAbsolutePath());
  }

  private ConnectSettings connectSettings(ElasticsearchSettings elasticsearch) {
    List<ConnectorSpec> connectors = new ArrayList<>();
    List<String> off = new ArrayList<>();
    if (elasticsearch != null) {
      connectors.add(SinkConnectors.elasticsearch(elasticsearch.url().toString(), 1));
    } else {
      off.add("Elasticsearch sink off (--no-elasticsearch)");
    }
    if (tempoUrl != null) {
      connectors.add(SinkConnectors.tempo(tempoUrl.toString(), 1));
    } else {
      off.add("Tempo sink off: start dev with --tempo-url=http://HOST:4318 to send spans to Tempo");
    }
    if (remoteWriteUrl != null) {
      connectors.add(SinkConnectors.remoteWrite(remoteWriteUrl.toString(), 1));
    } else {
      off.add("remote_write sink off: start dev with --remote-write-url=http://HOST:9090/api/v1/write to send metrics");
    }
    if (alertmanagerUrl != null) {
      connectors.add(SinkConnectors.alertmanager(alertmanagerUrl.toString(), 1));
    } else {
      off.add("Alertmanager sink off: start dev with --alertmanager-url=http://HOST:9093 to send alerts");
    }
    // One broker: the worker's internal topics have one replica; offsets flush often so a
    // restarted dev resumes close to where it stopped.
    return new ConnectSettings(ConnectSettings.DEFAULT_GROUP_ID, "http://" + HOST + ":" + connectPort, 1, null,
        Map.of("offset.flush.interval.ms", "5000"), connectors, off, HOST, connectMetricsPort);
  }

  private GatewayConfig gatewayConfig(String bootstrapServers) {
    try {
      return GatewayConfig.builder()
          .bindAddress(HOST)
          .grpcPort(grpcPort)
          .httpPort(httpPort)
          .bootstrapServers(bootstrapServers)
          .shutdown(GatewayConfig.DEFAULT_SHUTDOWN_QUIET_PERIOD, SHUTDOWN_TIMEOUT)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("gateway: " + e.getMessage(), e);
    }
  }

  private Path cacheDir() {
    if (elasticsearchCacheDir != null) {
      return elasticsearchCacheDir.toAbsolutePath();
    }
    return ElasticsearchSettings.defaultDownloadCache(System::getenv);
  }

  private void checkDataDir() {
    Path dir = dataDir.toAbsolutePath();
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new ConfigException("--data-dir: " + dir + " cannot be created or written ("
          + (existing == null ? "no existing parent" : existing + " is not a writable directory")
          + "): choose a writable directory with --data-dir=DIR");
    }
  }
}
