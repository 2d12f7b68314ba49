package io.tributary.platform.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.Tributary;
import io.tributary.platform.console.ConsoleRole;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.roles.RoleContext;
import io.tributary.processors.otlp.OtlpOutputConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code dev} would start with, from its options (nothing is started). */
class DevCommandTest {

  @TempDir
  Path temp;

  @Test
  void shouldRunThePipelinesWithoutOtlpOutputByDefault() {
    RoleContext context = context();

    assertThat(context.require(ProcessorRole.SETTINGS).config().otlpOutput()).isEqualTo(OtlpOutputConfig.getDefault());
    context.put(ProcessorRole.HTTP_ADDRESS, new InetSocketAddress("127.0.0.1", 9464));
    assertThat(DevBanner.render(context)).doesNotContain("OTLP output");
  }

  @Test
  void shouldTurnOnTheOtlpOutputTheOptionNamesAndSayWhereItGoes() {
    RoleContext context = context("--otlp-output", "traces,logs");

    assertThat(context.require(ProcessorRole.SETTINGS).config().otlpOutput())
        .isEqualTo(new OtlpOutputConfig(true, true, false));
    context.put(ProcessorRole.HTTP_ADDRESS, new InetSocketAddress("127.0.0.1", 9464));
    assertThat(DevBanner.render(context))
        .contains("OTLP output     telemetry.otlp.spans  telemetry.otlp.logs   (otlp_proto");
  }

  @Test
  void shouldListTheConsoleFirstInTheBanner() {
    RoleContext context = context();
    context.put(ProcessorRole.HTTP_ADDRESS, new InetSocketAddress("127.0.0.1", 9464));
    context.put(ConsoleRole.URL, URI.create("http://127.0.0.1:8080/"));

    String banner = DevBanner.render(context);

    assertThat(banner).contains("Console           http://127.0.0.1:8080/");
    assertThat(banner.indexOf("Console")).as("the console comes first").isLessThan(banner.indexOf("Pipelines"));
    assertThat(context.require(ConsoleRole.SETTINGS).port()).isZero();
  }

  /** Every port 0, so the test never depends on which ports are free here. */
  private RoleContext context(String... extra) {
    List<String> args = new ArrayList<>(List.of("dev", "--no-elasticsearch", "--data-dir", temp.resolve("data").toString(),
        "--state-dir", temp.resolve("state").toString()));
    for (String port : List.of("--kafka-port", "--kafka-controller-port", "--grpc-port", "--http-port", "--metrics-port",
        "--connect-port", "--alerting-metrics-port", "--console-port")) {
      args.add(port);
      args.add("0");
    }
    args.addAll(List.of(extra));
    CommandLine commandLine = Tributary.commandLine(name -> null);
    commandLine.parseArgs(args.toArray(String[]::new));
    DevCommand command = commandLine.getSubcommands().get("dev").getCommand();
    return command.context();
  }
}
