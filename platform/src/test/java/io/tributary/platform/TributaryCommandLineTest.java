package io.tributary.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.cli.ExitCodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class TributaryCommandLineTest {

  @TempDir
  Path temp;

  @Test
  void shouldListEveryRoleInTheHelp() {
    CommandLineRun run = CommandLineRun.run("--help");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("Usage: tributary", "dev", "gateway", "topics", "loadgen")
        .contains("TRIBUTARY_SOME_OPTION").doesNotContain("embedded-kafka");
  }

  @Test
  void shouldPrintHelpOfEachRole() {
    for (String role : new String[] {"dev", "gateway", "topics", "loadgen"}) {
      CommandLineRun run = CommandLineRun.run(role, "--help");
      assertThat(run.exitCode()).as(role).isEqualTo(ExitCodes.OK);
      assertThat(run.out()).as(role).startsWith("Usage: tributary " + role);
    }
  }

  @Test
  void shouldPrintTheBuiltVersion() {
    CommandLineRun run = CommandLineRun.run("--version");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).startsWith("Tributary 0.").doesNotContain("unknown").doesNotContain("${");
  }

  @Test
  void shouldAskForARole() {
    CommandLineRun run = CommandLineRun.run();

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Missing role: one of dev, topics, gateway, processor, alerting, connect, console, k8s-metadata, replay, loadgen")
        .contains("Run 'tributary --help'");
  }

  @Test
  void shouldSuggestTheOptionMeant() {
    CommandLineRun run = CommandLineRun.run("topics", "create", "--bootstrap-servers", "kafka:9092");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Unknown options: '--bootstrap-servers'").contains("Possible solutions: --bootstrap-server")
        .contains("Run 'tributary topics create --help'");
  }

  @Test
  void shouldAskForATopicsSubcommand() {
    CommandLineRun run = CommandLineRun.run("topics");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Missing sub-command: create or list");
  }

  @Test
  void shouldTakeOptionsFromTheEnvironmentUnlessGivenOnTheCommandLine() {
    Map<String, String> environment = Map.of("TRIBUTARY_BOOTSTRAP_SERVER", "kafka-0:9092,kafka-1:9092");

    assertThat(bootstrapServer(environment)).isEqualTo("kafka-0:9092,kafka-1:9092");
    assertThat(bootstrapServer(environment, "--bootstrap-server", "other:9092")).isEqualTo("other:9092");
    assertThat(bootstrapServer(Map.of())).isEqualTo("127.0.0.1:9092");
  }

  @Test
  void shouldNameTheOptionOfAnInvalidBootstrapServer() {
    CommandLineRun run = CommandLineRun.run("topics", "create", "--bootstrap-server", "kafka");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--bootstrap-server: 'kafka' (expected: host:port[,host:port...])");
  }

  @Test
  void shouldValidateDevWithoutStartingAnything() {
    CommandLineRun run = CommandLineRun.run(devArgs("--check-config"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("Configuration of 'dev' is valid.");
    assertThat(temp.resolve("data")).doesNotExist();
  }

  @Test
  void shouldFailFastOnATakenPortNamingTheOptionToChange() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      String port = Integer.toString(taken.getLocalPort());

      CommandLineRun run = CommandLineRun.run(devArgs("--http-port", port));
      CommandLineRun check = CommandLineRun.run(devArgs("--http-port", port, "--check-config"));

      assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).contains("Port " + port + " on 127.0.0.1 is not available").contains("--http-port=PORT");
      assertThat(check.exitCode()).isEqualTo(ExitCodes.FAILURE);
      assertThat(check.err()).contains("Configuration of 'dev' is invalid").contains("--http-port");
    }
  }

  @Test
  void shouldRejectADataDirThatCannotBeCreated() throws IOException {
    Path file = Files.writeString(temp.resolve("not-a-dir"), "x");

    CommandLineRun run = CommandLineRun.run(devArgs("--data-dir", file.resolve("kafka").toString()));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--data-dir: " + file.resolve("kafka")).contains("--data-dir=DIR");
  }

  @Test
  void shouldRejectAnInvalidPort() {
    CommandLineRun run = CommandLineRun.run(devArgs("--grpc-port", "70000"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--grpc-port: 70000 (expected: 0-65535, 0 for any free port)");
  }

  @Test
  void shouldCheckLoadgenOptions() {
    assertThat(CommandLineRun.run("loadgen", "--check-config").exitCode()).isEqualTo(ExitCodes.OK);

    CommandLineRun endpoint = CommandLineRun.run("loadgen", "--check-config", "--endpoint", "ftp://collector:21");
    assertThat(endpoint.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(endpoint.err()).contains("--endpoint: 'ftp://collector:21' (expected: http://host:port or https://host:port)");

    CommandLineRun rate = CommandLineRun.run("loadgen", "--rate", "0");
    assertThat(rate.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(rate.err()).contains("--rate: 0.0 (expected: > 0 traces per second)");

    CommandLineRun both = CommandLineRun.run("loadgen", "--duration", "5s", "--traces", "3");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("--duration and --traces both bound the run: give one of them");

    CommandLineRun protocol = CommandLineRun.run("loadgen", "--protocol", "carrier-pigeon");
    assertThat(protocol.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(protocol.err()).contains("protocol: 'carrier-pigeon' (expected: grpc or http/protobuf)");

    CommandLineRun duration = CommandLineRun.run("loadgen", "--duration", "soon");
    assertThat(duration.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(duration.err()).contains("'soon' is not a duration");
  }

  @Test
  void shouldRejectAMissingTrustFileForLoadgen() {
    CommandLineRun run = CommandLineRun.run("loadgen", "--check-config", "--tls-ca", temp.resolve("ca.pem").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).contains("--tls-ca: cannot read " + temp.resolve("ca.pem"));
  }

  @Test
  void shouldRejectAZeroReplicationFactor() {
    CommandLineRun run = CommandLineRun.run("topics", "create", "--replication-factor", "0");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--replication-factor: 0 (expected: >= 1)");
  }

  @Test
  void shouldListTheCatalogWithoutACluster() {
    CommandLineRun run = CommandLineRun.run("topics", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("otlp_spans", "otlp_logs", "otlp_metrics", "telemetry.spans", "3d", "delete",
        "key:   trace id");
  }

  /** {@code dev} on free ports and a temporary data directory; {@code more} replaces or adds options. */
  private String[] devArgs(String... more) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--data-dir", temp.resolve("data").toString());
    options.put("--kafka-port", "0");
    options.put("--kafka-controller-port", "0");
    options.put("--grpc-port", "0");
    options.put("--http-port", "0");
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < more.length; i++) {
      if (more[i].equals("--check-config")) {
        flags.add(more[i]);
      } else {
        options.put(more[i], more[++i]);
      }
    }
    List<String> args = new ArrayList<>(List.of("dev"));
    options.forEach((name, value) -> args.addAll(List.of(name, value)));
    args.addAll(flags);
    return args.toArray(String[]::new);
  }

  private static String bootstrapServer(Map<String, String> environment, String... extra) {
    String[] args = new String[2 + extra.length];
    args[0] = "topics";
    args[1] = "create";
    System.arraycopy(extra, 0, args, 2, extra.length);
    ParseResult result = Tributary.commandLine(environment::get).parseArgs(args);
    CommandLine create = result.subcommand().subcommand().commandSpec().commandLine();
    return create.getCommandSpec().findOption("--bootstrap-server").getValue();
  }
}
