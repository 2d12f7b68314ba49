package io.tributary.platform.k8smetadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.k8smetadata.K8sMetadataSettings;
import io.tributary.platform.CommandLineRun;
import io.tributary.platform.Tributary;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.roles.RoleContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class K8sMetadataCommandTest {

  @Test
  void shouldCopyLabelsAndAnnotationsUnderTheNamesGivenOrTheCollectorsDefaults() {
    K8sMetadataSettings settings = settings("--label", "app.kubernetes.io/version=service.version", "--label", "team",
        "--annotation", "example.com/owner", "--namespace", "shop", "--resync", "1m",
        "--producer-property", "security.protocol=SASL_PLAINTEXT", "--metrics-port", "0");

    assertThat(settings.labels()).containsExactly(Map.entry("app.kubernetes.io/version", "service.version"),
        Map.entry("team", "k8s.pod.labels.team"));
    assertThat(settings.annotations()).containsExactly(
        Map.entry("example.com/owner", "k8s.pod.annotations.example.com/owner"));
    assertThat(settings.namespace()).isEqualTo("shop");
    assertThat(settings.resync()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.producerOverrides()).containsExactly(Map.entry("security.protocol", "SASL_PLAINTEXT"));
  }

  @Test
  void shouldDefaultToEveryNamespaceAndTheCatalogsTopic() {
    assertThat(settings()).isEqualTo(K8sMetadataSettings.getDefault());
    assertThat(settings().topic()).isEqualTo("tributary.ref.k8s-pods");
  }

  @Test
  void shouldRefuseALabelWithoutAKeyOrGivenTwice() {
    CommandLineRun empty = CommandLineRun.run("k8s-metadata", "--check-config", "--label", "=service.version");
    CommandLineRun twice = CommandLineRun.run("k8s-metadata", "--check-config", "--label", "team", "--label", "team=x");

    assertThat(empty.exitCode()).isNotEqualTo(ExitCodes.OK);
    assertThat(empty.err()).contains("--label").contains("=service.version").contains("KEY or KEY=ATTRIBUTE");
    assertThat(twice.exitCode()).isNotEqualTo(ExitCodes.OK);
    assertThat(twice.err()).contains("--label").contains("team is given twice");
  }

  @Test
  void shouldTakeTheMetricsPort() {
    assertThat(context("--metrics-port", "0").require(K8sMetadataRole.METRICS_PORT)).isZero();
    assertThat(context().require(K8sMetadataRole.METRICS_PORT)).isEqualTo(9466);
  }

  private static K8sMetadataSettings settings(String... args) {
    return context(args).require(K8sMetadataRole.SETTINGS);
  }

  private static RoleContext context(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "k8s-metadata";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult result = Tributary.commandLine(name -> null).parseArgs(all);
    K8sMetadataCommand command = (K8sMetadataCommand) result.subcommand().commandSpec().userObject();
    return command.context();
  }
}
