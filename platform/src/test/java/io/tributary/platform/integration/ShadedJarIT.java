package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar ({@code platform/target/tributary.jar}, built in the package phase) as users run
 * it, in its own JVM: help works, the gateway role logs through the jar's log4j2 configuration, and
 * SIGTERM stops it gracefully through the shutdown hook.
 */
@ExtendWith(SharedKafkaBroker.class)
class ShadedJarIT {

  private static final Path JAR = Path.of("target", "tributary.jar");

  @TempDir
  Path temp;

  @Test
  void shouldPrintHelp() throws Exception {
    Path output = temp.resolve("help.txt");
    Process process = start(output, "--help");

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readString(output)).contains("Usage: tributary", "dev", "gateway", "topics", "loadgen");
  }

  @Test
  void shouldRunTheGatewayAndStopGracefullyOnSigterm(EmbeddedKafkaBroker kafka) throws Exception {
    try (TopicInstaller installer = TopicInstaller.builder().bootstrapServers(kafka.bootstrapServers()).build()) {
      installer.ensure(TopicCatalog.ALL);
    }
    Path output = temp.resolve("gateway.txt");
    Process process = start(output, "gateway", "--bootstrap-server", kafka.bootstrapServers(),
        "--bind-address", "127.0.0.1", "--grpc-port", "0", "--http-port", "0");
    try {
      await("the gateway logs where it listens").atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(output), log -> log.contains("OTLP gateway listening on 127.0.0.1"));

      process.destroy(); // SIGTERM

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      String log = Files.readString(output);
      assertThat(log).containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  OtlpGateway +OTLP gateway listening")
          .contains("OTLP gateway stopping: draining in-flight requests", "OTLP gateway stopped")
          .contains("RoleRunner           Stopped")
          .doesNotContain(" ERROR ");
      assertThat(process.exitValue()).as("128 + SIGTERM").isEqualTo(143);
    } finally {
      process.destroyForcibly();
    }
  }

  private static Process start(Path output, String... args) throws IOException {
    assertThat(JAR).as("the runnable jar, built by the package phase").exists();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow"); // as ./tributary does
    }
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }
}
