package io.tributary.platform.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.Tributary;
import io.tributary.platform.console.ConsoleRole;
import io.tributary.platform.elasticsearch.ElasticsearchRole;
import io.tributary.platform.elasticsearch.ElasticsearchSettings;
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
  void shouldListTheConsoleFirstAndTheLogFileInTheBanner() {
    RoleContext context = context("--log-file", temp.resolve("dev.log").toString());
    context.put(ProcessorRole.HTTP_ADDRESS, new InetSocketAddress("127.0.0.1", 9464));
    context.put(ConsoleRole.URL, URI.create("http://127.0.0.1:8080/"));

    String banner = DevBanner.render(context);

    assertThat(banner).contains("Console           http://127.0.0.1:8080/", "Full log          " + temp.resolve("dev.log"));
    assertThat(banner.indexOf("Console")).as("the console comes first").isLessThan(banner.indexOf("Pipelines"));
    assertThat(context.require(ConsoleRole.SETTINGS).port()).isZero();
  }

  @Test
  void shouldKeepTheElasticsearchDownloadOutsideTheDataDirectory() {
    RoleContext byDefault = contextWithElasticsearch();
    RoleContext chosen = contextWithElasticsearch("--elasticsearch-cache-dir", temp.resolve("cache").toString());

    assertThat(byDefault.require(ElasticsearchRole.SETTINGS).downloadCache())
        .isEqualTo(ElasticsearchSettings.defaultDownloadCache(System::getenv));
    assertThat(byDefault.require(ElasticsearchRole.SETTINGS).downloadCache().startsWith(temp))
        .as("the download is not under the data or Elasticsearch directory").isFalse();
    assertThat(chosen.require(ElasticsearchRole.SETTINGS).downloadCache()).isEqualTo(temp.resolve("cache"));
    assertThat(ElasticsearchSettings.defaultDownloadCache(name -> null))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "tributary"));
    assertThat(ElasticsearchSettings.defaultDownloadCache(name -> name.equals("XDG_CACHE_HOME") ? "/var/cache/me" : null))
        .isEqualTo(Path.of("/var/cache/me", "tributary"));
  }

  private RoleContext contextWithElasticsearch(String... extra) {
    List<String> args = new ArrayList<>(List.of("--elasticsearch-port", "0",
        "--elasticsearch-dir", temp.resolve("elasticsearch").toString()));
    args.addAll(List.of(extra));
    return context(false, args.toArray(String[]::new));
  }

  private RoleContext context(String... extra) {
    return context(true, extra);
  }

  /** Every port 0, so the test never depends on which ports are free here. */
  private RoleContext context(boolean noElasticsearch, String... extra) {
    List<String> args = new ArrayList<>(List.of("dev", "--data-dir", temp.resolve("data").toString(),
        "--state-dir", temp.resolve("state").toString()));
    if (noElasticsearch) {
      args.add("--no-elasticsearch");
    }
    for (String port : List.of("--kafka-port", "--kafka-controller-port", "--grpc-port", "--http-port", "--metrics-port",
        "--connect-port", "--alerting-metrics-port", "--connect-metrics-port", "--console-port")) {
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
