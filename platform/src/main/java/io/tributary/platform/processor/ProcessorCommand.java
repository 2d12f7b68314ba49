package io.tributary.platform.processor;

import io.tributary.platform.RoleRunner;
import io.tributary.platform.Roles;
import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.cli.Ports;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.streams.StreamsAppOptions;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tributary processor traces|logs|metrics}: the signal pipelines on Kafka Streams. */
@Command(name = "processor",
    sortOptions = false,
    description = {
      "Run signal pipelines as Kafka Streams applications: traces (normalize, redact, enrich, span metrics, "
          + "service graph, tail sampling), logs (normalize, redact, enrich) and metrics (normalize, redact, enrich, cardinality "
          + "guard). Each scales by partitions: run more instances with the same options. With --otlp-output (or "
          + "otlp-output: in --config) a pipeline also writes its output as OTLP to telemetry.otlp.*.",
      "Stops cleanly on SIGTERM; state stores stay under --state-dir and are restored from their changelogs.",
      "On --metrics-port: /health/live (503 once a pipeline failed or stopped), /health/ready (200 once every "
          + "pipeline runs) and Prometheus /metrics: tributary_pipeline_redactions_total{pipeline,rule}, "
          + "tributary_pipeline_dead_lettered_total{pipeline}, tributary_enrichment_*_total{pipeline}, "
          + "tributary_sampling_decisions_total{outcome,policy}, tributary_sampling_traces_in_flight, "
          + "tributary_sampling_late_spans_total{decision}, tributary_sampling_decision_latency_seconds, "
          + "tributary_span_metrics_*_total, tributary_service_graph_edges_total{pairing}, "
          + "tributary_service_graph_unpaired_spans_total{side}, tributary_cardinality_dropped_points_total (and _by_metric_total{metric}), "
          + "and Kafka Streams' client metrics (kafka_stream_*, kafka_consumer_*, kafka_producer_*) with a pipeline label."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped, or (--check-config) the configuration is valid",
      "1:failed to start or run, or (--check-config) the configuration is invalid",
      "2:invalid options or pipeline configuration (the message names the file, key and fix)"
    })
public final class ProcessorCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  CheckConfigOption check;

  @Mixin
  KafkaOptions kafka;

  @Parameters(paramLabel = "PIPELINE", arity = "0..3",
      description = "Pipelines to run: traces, logs, metrics (default: all three).")
  List<String> pipelines = List.of();

  @Option(names = "--config", paramLabel = "FILE",
      description = "Pipeline configuration (YAML: redaction, sampling, ...); without it the shipped defaults apply.")
  Path configFile;

  @Option(names = "--redaction-rules", paramLabel = "FILE",
      description = "Redaction rules kept apart from --config (YAML with one section, redaction:, as in the pipeline "
          + "file); they replace the redaction section of --config (or of the shipped defaults).")
  Path redactionRulesFile;

  @Mixin
  OtlpOutputOption otlpOutput;

  @Mixin
  StreamsAppOptions streams;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + ProcessorSettings.DEFAULT_METRICS_PORT,
      description = "Port of Prometheus /metrics and health (/health/live, /health/ready) (default: ${DEFAULT-VALUE}; "
          + "0 = any free port).")
  int metricsPort = ProcessorSettings.DEFAULT_METRICS_PORT;

  @Override
  public Integer call() throws Exception {
    return RoleRunner.run(Roles.PROCESSOR, spec, check, this::context);
  }

  RoleContext context() {
    String bootstrapServers = kafka.bootstrapServers();
    Ports.checkPort("--metrics-port", metricsPort);
    ProcessorSettings settings;
    try {
      settings = new ProcessorSettings(pipelines(), pipelineConfig(), streams.serde(), streams.stateDir,
          streams.threads, streams.standbyReplicas, streams.exactlyOnce(), streams.streamsOverrides(),
          streams.metricsHost, metricsPort);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    return new RoleContext().put(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers).put(ProcessorRole.SETTINGS, settings);
  }

  private Set<Pipeline> pipelines() {
    if (pipelines.isEmpty()) {
      return EnumSet.allOf(Pipeline.class);
    }
    Set<Pipeline> chosen = EnumSet.noneOf(Pipeline.class);
    for (String name : pipelines) {
      Pipeline pipeline = Arrays.stream(Pipeline.values()).filter(p -> p.id().equals(name)).findFirst()
          .orElseThrow(() -> ConfigException.invalid("PIPELINE", "'" + name + "'", "traces, logs or metrics"));
      chosen.add(pipeline);
    }
    return chosen;
  }

  private PipelineConfig pipelineConfig() {
    PipelineConfig config = PipelineConfig.getDefault();
    if (configFile != null) {
      checkReadable("--config", configFile, "a pipeline YAML file");
      try {
        config = PipelineConfig.load(configFile);
      } catch (PipelineConfigException e) {
        throw new ConfigException("--config: " + e.getMessage(), e);
      }
    }
    if (redactionRulesFile != null) {
      checkReadable("--redaction-rules", redactionRulesFile, "a YAML file with a redaction: section");
      try {
        config = config.withRedaction(PipelineConfig.loadRedactionRules(redactionRulesFile, System::getenv));
      } catch (PipelineConfigException e) {
        throw new ConfigException("--redaction-rules: " + e.getMessage(), e);
      }
    }
    return otlpOutput.apply(config);
  }

  private static void checkReadable(String option, Path file, String expected) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(option + ": " + file + " is not a readable file (expected: " + expected + ")");
    }
  }
}
