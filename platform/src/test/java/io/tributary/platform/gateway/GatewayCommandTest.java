package io.tributary.platform.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.gateway.ApiKeys;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.TenantLimit;
import io.tributary.platform.CommandLineRun;
import io.tributary.platform.Tributary;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.roles.RoleContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewayCommandTest {

  @TempDir
  Path temp;

  @Test
  void shouldBuildTheGatewayConfigFromOptionsAndFiles() throws IOException {
    Path keys = Files.writeString(temp.resolve("api-keys.yaml"), "4f1c0e8a9b7d46e2a1c3: team-payments\n");
    Path producer = Files.writeString(temp.resolve("producer.properties"), "security.protocol=SASL_SSL\nlinger.ms=5\n");

    GatewayConfig config = config("--bootstrap-server", "kafka:9092", "--bind-address", "127.0.0.1",
        "--grpc-port", "14317", "--http-port", "0", "--api-keys-file", keys.toString(),
        "--max-request-bytes", "4MiB", "--max-in-flight-bytes", "64MiB", "--retry-after", "2s",
        "--producer-config", producer.toString(), "--producer-property", "linger.ms=20", "--spans-topic", "spans");

    assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.grpcPort()).isEqualTo(14317);
    assertThat(config.httpPort()).isZero();
    assertThat(config.apiKeys()).containsExactly(Map.entry("4f1c0e8a9b7d46e2a1c3", "team-payments"));
    assertThat(config.maxRequestBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(config.maxInFlightBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.producerOverrides()).containsEntry("security.protocol", "SASL_SSL").containsEntry("linger.ms", "20");
    assertThat(config.spansTopic()).isEqualTo("spans");
    assertThat(config.authenticationEnabled()).isTrue();
  }

  @Test
  void shouldTakeTenantLimitsFromTheApiKeysFileAndReloadIt() throws IOException {
    Path keys = Files.writeString(temp.resolve("api-keys.yaml"),
        "4f1c0e8a9b7d46e2a1c3: team-payments\ntenant team-payments: 20000 items/s, 16MiB/s\ntenant *: 1MB/s\n");

    GatewayConfig config = config("--api-keys-file", keys.toString(), "--api-keys-reload-interval", "2s");

    assertThat(config.tenantLimits()).containsOnly(
        Map.entry("team-payments", new TenantLimit(20_000, 16L * 1024 * 1024)),
        Map.entry(ApiKeys.ANY_TENANT, TenantLimit.bytes(1_000_000)));
    assertThat(config.apiKeysFile()).contains(keys);
    assertThat(config.apiKeysReloadInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void shouldKeepTheGatewayDefaults() {
    GatewayConfig config = config();

    assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(config.grpcPort()).isEqualTo(GatewayConfig.DEFAULT_GRPC_PORT);
    assertThat(config.retryAfter()).isEqualTo(GatewayConfig.DEFAULT_RETRY_AFTER);
    assertThat(config.maxRequestBytes()).isEqualTo(GatewayConfig.DEFAULT_MAX_REQUEST_BYTES);
    assertThat(config.spansTopic()).isEqualTo(GatewayConfig.DEFAULT_SPANS_TOPIC);
    assertThat(config.authenticationEnabled()).isFalse();
  }

  @Test
  void shouldReportAMissingApiKeysFileUnderCheckConfig() {
    Path missing = temp.resolve("missing.yaml");

    CommandLineRun run = CommandLineRun.run("gateway", "--check-config", "--api-keys-file", missing.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).contains("Configuration of 'gateway' is invalid: --api-keys-file: ").contains(missing.toString());
  }

  @Test
  void shouldNameTheLineOfABadApiKeysFile() throws IOException {
    Path keys = Files.writeString(temp.resolve("keys.yaml"), "# keys\nkey-without-tenant\n");

    CommandLineRun run = CommandLineRun.run("gateway", "--api-keys-file", keys.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--api-keys-file: " + keys + ":2:");
  }

  @Test
  void shouldValidateWithoutStarting() {
    CommandLineRun run = CommandLineRun.run("gateway", "--check-config", "--bootstrap-server", "kafka:9092");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("Configuration of 'gateway' is valid.");
  }

  @Test
  void shouldNameTheOptionOfARejectedValue() {
    CommandLineRun small = CommandLineRun.run("gateway", "--max-request-bytes", "10");
    assertThat(small.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(small.err()).contains("--max-request-bytes: 10 (expected: 1024-");

    CommandLineRun samePort = CommandLineRun.run("gateway", "--grpc-port", "5000", "--http-port", "5000");
    assertThat(samePort.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(samePort.err()).contains("change --grpc-port or --http-port");

    CommandLineRun size = CommandLineRun.run("gateway", "--max-in-flight-bytes", "lots");
    assertThat(size.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(size.err()).contains("'lots' is not a size");
  }

  @Test
  void shouldRequireTlsCertificateAndKeyTogether() throws IOException {
    Path cert = Files.writeString(temp.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");

    CommandLineRun half = CommandLineRun.run("gateway", "--tls-cert", cert.toString());
    CommandLineRun missingKey = CommandLineRun.run("gateway", "--check-config", "--tls-cert", cert.toString(),
        "--tls-key", temp.resolve("key.pem").toString());

    assertThat(half.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(half.err()).contains("--tls-cert and --tls-key go together");
    assertThat(missingKey.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(missingKey.err()).contains("--tls-key: " + temp.resolve("key.pem") + " is not a readable file");
  }

  @Test
  void shouldNeverTakeCheckConfigFromTheEnvironment() {
    Map<String, String> environment = Map.of("TRIBUTARY_CHECK_CONFIG", "true", "TRIBUTARY_GRPC_PORT", "14317");

    CommandLine.ParseResult result = Tributary.commandLine(environment::get).parseArgs("gateway");
    CommandLine gateway = result.subcommand().commandSpec().commandLine();

    assertThat(gateway.getCommandSpec().findOption("--check-config").<Boolean>getValue()).isFalse();
    assertThat(gateway.getCommandSpec().findOption("--grpc-port").<Integer>getValue()).isEqualTo(14317);
  }

  private static GatewayConfig config(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "gateway";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult result = Tributary.commandLine(name -> null).parseArgs(all);
    GatewayCommand command = (GatewayCommand) result.subcommand().commandSpec().userObject();
    RoleContext context = command.context();
    return context.require(GatewayRole.CONFIG);
  }
}
