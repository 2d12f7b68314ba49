package io.tributary.embedded.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.process.ExternalServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real Prometheus and VictoriaMetrics processes: start, ready, stop, kill, restart on the same port and data. */
class ExternalServerIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldRestartPrometheusOnTheSamePortWithTheSameData() throws Exception {
    try (ExternalServer prometheus = RequiredBackend.get(() -> ExternalServer.prometheus().build())) {
      prometheus.start();
      long firstPid = prometheus.pid().orElseThrow();
      assertThat(status(prometheus, "/-/ready")).isEqualTo(200);
      assertThat(prometheus.command()).contains("--web.enable-remote-write-receiver",
          "--web.listen-address=127.0.0.1:" + prometheus.port());
      assertThat(prometheus.directory().resolve("prometheus.yml")).exists();

      prometheus.stop();
      assertThat(prometheus.isRunning()).isFalse();
      assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(listening(prometheus.port())).isFalse();
      assertThat(prometheus.directory().resolve("data/wal")).isDirectory();

      prometheus.start();
      assertThat(prometheus.pid().orElseThrow()).isNotEqualTo(firstPid);
      assertThat(status(prometheus, "/-/ready")).isEqualTo(200);
      assertThat(Files.readString(prometheus.logFile())).contains("Server is ready to receive web requests");
    }
  }

  @Test
  void shouldKillVictoriaMetricsAndStartItAgain() throws Exception {
    try (ExternalServer victoria = RequiredBackend.get(() -> ExternalServer.victoriaMetrics().build())) {
      victoria.start();
      assertThat(status(victoria, "/health")).isEqualTo(200);
      victoria.kill();
      assertThat(listening(victoria.port())).isFalse();
      victoria.start();
      assertThat(status(victoria, "/health")).isEqualTo(200);
    }
  }

  @Test
  void shouldRunUnderACommandPrefixWithoutUnsetVariablesUntilTheCheckSaysReady() throws Exception {
    try (ExternalServer server = RequiredBackend.get(() -> ExternalServer.builder("scripted")
        .commandPrefix(List.of("env", "TRIBUTARY_PREFIXED=yes"))
        .binary("sh", "")
        .args("-c", "env > {dir}/env.txt; echo '{\"status\":\"yellow\"}' > {dir}/health.json; "
            + "exec python3 -m http.server {port} --bind {host} --directory {dir}")
        .unsetEnv("HOME")
        .env("TRIBUTARY_SET", "1")
        .readyUrl("http://{host}:{port}/health.json", (status, body) -> body.contains("yellow") ? null : "not yellow")
        .build())) {
      assertThat(server.command()).startsWith("env", "TRIBUTARY_PREFIXED=yes");

      server.start();

      assertThat(Files.readAllLines(server.directory().resolve("env.txt")))
          .contains("TRIBUTARY_PREFIXED=yes", "TRIBUTARY_SET=1").noneMatch(line -> line.startsWith("HOME="));
      assertThat(status(server, "/health.json")).isEqualTo(200);
    }
  }

  @Test
  void shouldQuoteTheLogWhenAServerCannotStart() {
    try (ExternalServer broken = RequiredBackend.get(() -> ExternalServer.prometheus()
        .args("--no-such-flag").readyTimeout(Duration.ofSeconds(20)).build())) {
      assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("prometheus exited with status")
          .hasMessageContaining("no-such-flag");
      assertThat(broken.isRunning()).isFalse();
    }
  }

  @Test
  void shouldNameAMissingBinaryAndHowToInstallIt() {
    assertThatThrownBy(() -> ExternalServer.builder("ghost").binary("tributary-no-such-binary", "apt-get install ghost")
        .readyUrl("http://{host}:{port}/").build())
        .isInstanceOf(io.tributary.embedded.process.MissingBinaryException.class)
        .hasMessageContaining("'tributary-no-such-binary' not found on the PATH")
        .hasMessageContaining("apt-get install ghost");
  }

  private int status(ExternalServer server, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(server.baseUrl().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
