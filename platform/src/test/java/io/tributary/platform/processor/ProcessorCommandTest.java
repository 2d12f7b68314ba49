package io.tributary.platform.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.CommandLineRun;
import io.tributary.platform.Tributary;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.processors.otlp.OtlpOutputConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ProcessorCommandTest {

  @TempDir
  Path temp;

  @Test
  void shouldRunAllThreePipelinesByDefault() {
    ProcessorSettings settings = settings();

    assertThat(settings.pipelines()).containsExactlyInAnyOrder(Pipeline.TRACES, Pipeline.LOGS, Pipeline.METRICS);
    assertThat(settings.exactlyOnce()).isTrue();
    assertThat(settings.threads()).isEqualTo(ProcessorSettings.DEFAULT_THREADS);
    assertThat(settings.serde().registryUrl()).isEmpty();
    assertThat(settings.metricsHost()).isEqualTo("0.0.0.0");
    assertThat(settings.metricsPort()).isEqualTo(9464);
  }

  @Test
  void shouldTakeTheMetricsAddressAndPort() {
    ProcessorSettings settings = settings("--metrics-bind-address", "127.0.0.1", "--metrics-port", "0");

    assertThat(settings.metricsHost()).isEqualTo("127.0.0.1");
    assertThat(settings.metricsPort()).isZero();
  }

  @Test
  void shouldRefuseAMetricsPortOutOfRange() {
    CommandLineRun run = CommandLineRun.run("processor", "--metrics-port", "70000");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--metrics-port: 70000 (expected: 0-65535, 0 for any free port)");
  }

  @Test
  void shouldTurnOptionsIntoStreamsProperties() {
    ProcessorSettings settings = settings("traces", "--threads", "3", "--standby-replicas", "1", "--at-least-once",
        "--state-dir", temp.toString(), "--streams-property", "commit.interval.ms=250",
        "--schema-registry-url", "http://registry:8081");

    Properties props = ProcessorRole.properties(Pipeline.TRACES, settings, "kafka:9092");

    assertThat(settings.pipelines()).containsExactly(Pipeline.TRACES);
    assertThat(settings.serde().registryUrl()).hasValueSatisfying(u -> assertThat(u).hasToString("http://registry:8081"));
    assertThat(props).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "tributary-traces")
        .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 3)
        .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
        .containsEntry(StreamsConfig.STATE_DIR_CONFIG, temp.toAbsolutePath().toString())
        .containsEntry("commit.interval.ms", "250");
  }

  @Test
  void shouldRefuseAnUnknownPipeline() {
    CommandLineRun run = CommandLineRun.run("processor", "spans");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("PIPELINE: 'spans' (expected: traces, logs or metrics)");
  }

  /** The pipeline file and the redaction rules file are read alike, and name themselves when invalid. */
  @ParameterizedTest
  @ValueSource(strings = {"--config", "--redaction-rules"})
  void shouldNameTheFileAndKeyOfAnInvalidConfigFile(String option) throws IOException {
    Path file = Files.writeString(temp.resolve("config.yaml"), "redaction:\n  mode: sometimes\n");

    CommandLineRun run = CommandLineRun.run("processor", "--check-config", option, file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).contains(option + ": ").contains(file.toString()).contains("redaction.mode: 'sometimes'");
  }

  @Test
  void shouldReplaceTheRedactionSectionWithTheRedactionRulesFile() throws IOException {
    Path config = Files.writeString(temp.resolve("pipelines.yaml"), "redaction: {drop-keys: [a.b]}\n");
    Path rules = Files.writeString(temp.resolve("redaction.yaml"), "redaction: {drop-keys: [c.d]}\n");

    ProcessorSettings settings = settings("--config", config.toString(), "--redaction-rules", rules.toString());

    assertThat(settings.config().redaction())
        .isEqualTo(io.tributary.processors.redact.RedactionRules.builder().addDropKeys("c.d").build());
  }

  @Test
  void shouldLeaveTheOtlpOutputOffByDefaultAndTurnOnWhatTheOptionNames() {
    assertThat(settings().config().otlpOutput()).isEqualTo(new OtlpOutputConfig(false, false, false));
    assertThat(settings("--otlp-output", "traces,metrics").config().otlpOutput())
        .isEqualTo(new OtlpOutputConfig(true, false, true));
    assertThat(settings("--otlp-output", "all").config().otlpOutput()).isEqualTo(new OtlpOutputConfig(true, true, true));
  }

  @Test
  void shouldTakeTheOtlpOutputFromTheEnvironment() {
    assertThat(settings(Map.of("TRIBUTARY_OTLP_OUTPUT", "logs,metrics")).config().otlpOutput())
        .isEqualTo(new OtlpOutputConfig(false, true, true));
  }

  @Test
  void shouldReadTheOtlpOutputFromTheConfigFileUnlessTheOptionReplacesIt() throws IOException {
    Path config = Files.writeString(temp.resolve("pipelines.yaml"), "otlp-output: {logs: true}\n");

    assertThat(settings("--config", config.toString()).config().otlpOutput())
        .isEqualTo(new OtlpOutputConfig(false, true, false));
    assertThat(settings("--config", config.toString(), "--otlp-output", "traces").config().otlpOutput())
        .isEqualTo(new OtlpOutputConfig(true, false, false));
    assertThat(settings("--config", config.toString(), "--otlp-output", "none").config().otlpOutput())
        .isEqualTo(OtlpOutputConfig.getDefault());
  }

  @ParameterizedTest
  @ValueSource(strings = {"spans", "alerts", "traces,all"})
  void shouldRefuseAnOtlpOutputItDoesNotKnow(String value) {
    CommandLineRun run = CommandLineRun.run("processor", "--check-config", "--otlp-output", value);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).contains("--otlp-output: '" + value + "' (expected: ")
        .contains("traces, logs, metrics (comma-separated), all or none)");
  }

  @Test
  void shouldAcceptTheShippedConfigurationUnderCheckConfig() {
    CommandLineRun run = CommandLineRun.run(Map.of(), "processor", "--check-config");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
  }

  private ProcessorSettings settings(String... args) {
    return settings(Map.of(), args);
  }

  private ProcessorSettings settings(Map<String, String> environment, String... args) {
    CommandLine commandLine = Tributary.commandLine(environment::get);
    String[] full = new String[args.length + 1];
    full[0] = "processor";
    System.arraycopy(args, 0, full, 1, args.length);
    commandLine.parseArgs(full);
    ProcessorCommand command = commandLine.getSubcommands().get("processor").getCommand();
    return command.context().require(ProcessorRole.SETTINGS);
  }
}
