package io.tributary.embedded.process;

import io.tributary.embedded.junit.RequiredBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real peers of the interop tests and the peer benchmarks (the OpenTelemetry Collector, Jaeger, the
 * Python SDK), built from their published modules by {@code interop/build-peers} into a cache keyed by
 * version (a second run does nothing). Each peer is built on first use in this JVM; one that cannot be
 * built fails a test under {@code CI=true} and skips it loudly elsewhere, with build-peers' own
 * explanation. The script is the system property {@code tributary.build-peers}, else
 * {@code interop/build-peers} in the working directory or one of its parents.
 *
 * <pre>{@code
 * ExternalServer collector = Peers.start(Peers.collector(Peers.OTELCOL_KAFKA, yaml), receiverPort);
 * }</pre>
 */
public final class Peers {

  /** The Collector distribution with the kafka receiver and exporter (core v0.165.0, contrib v0.165.1). */
  public static final String OTELCOL_KAFKA = "otelcol-kafka";
  /** The Collector distribution with tail_sampling and attributes (v0.161.0). */
  public static final String OTELCOL_SAMPLING = "otelcol-sampling";
  public static final String JAEGER = "jaeger";
  public static final String PYTHON = "python";

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration PORT_TIMEOUT = Duration.ofSeconds(60);
  private static final Map<String, Path> built = new HashMap<>();

  private Peers() {}

  /** The executable of {@code peer} (built now if needed). */
  public static synchronized Path path(String peer) {
    Path known = built.get(peer);
    if (known != null) {
      return known;
    }
    String script = buildPeersScript();
    Path log;
    Process process;
    try {
      log = Files.createTempFile("build-peers-" + peer, ".log");
      process = new ProcessBuilder(script, peer)
          .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
          .start();
    } catch (IOException e) {
      throw RequiredBackend.missing("cannot run " + script + " to build the peer '" + peer + "': " + e.getMessage());
    }
    String out;
    try (InputStream stdout = process.getInputStream()) {
      out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw RequiredBackend.missing(script + " " + peer + " did not finish within " + BUILD_TIMEOUT);
      }
    } catch (IOException e) {
      throw RequiredBackend.missing("reading " + script + " " + peer + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while building the peer " + peer, e);
    }
    String errors = readQuietly(log);
    if (process.exitValue() != 0) {
      throw RequiredBackend.missing("the peer '" + peer + "' could not be built by " + script
          + " (it needs Go 1.26+ and the Go module proxy, or python3 and PyPI):\n" + errors);
    }
    for (String line : out.split("\n")) {
      if (line.startsWith(peer + "=")) {
        Path path = Path.of(line.substring(peer.length() + 1));
        built.put(peer, path);
        return path;
      }
    }
    throw new IllegalStateException(script + " " + peer + " printed no '" + peer + "=' line: " + out + "\n" + errors);
  }

  /**
   * A Collector of {@code distribution} (or Jaeger, itself a Collector distribution) running
   * {@code config}. Placeholders: {@code {host}}, {@code {dir}} and {@code {port}}, the port of the
   * peer's own Prometheus metrics, which a second config file turns on ({@code service.telemetry},
   * merged by the Collector with the first) and which is also the readiness check. Other ports the
   * config needs are the caller's to choose ({@code LocalResources.freePort}).
   */
  public static ExternalServer.Builder collector(String distribution, String config) {
    return ExternalServer.builder(distribution)
        .binary(path(distribution).toString(), "interop/build-peers " + distribution)
        .file("config.yaml", config)
        .file("telemetry.yaml", """
            # Written by the interop tests: the peer's own metrics (a Collector's readiness check too).
            service:
              telemetry:
                logs: { level: info }
                metrics:
                  level: detailed
                  readers:
                    - pull: { exporter: { prometheus: { host: "{host}", port: {port}, without_scope_info: true } } }
            """)
        .args("--config={dir}/config.yaml", "--config={dir}/telemetry.yaml")
        .readyUrl("http://{host}:{port}/metrics")
        .readyTimeout(Duration.ofSeconds(90));
  }

  /**
   * Jaeger v2 running {@code config}, as {@link #collector}. Its metrics answer before its storage
   * and receivers are up (an Elasticsearch storage that cannot start makes Jaeger exit after that):
   * a caller that sets the {@code jaeger_query} HTTP endpoint should make the query API the
   * readiness check instead, e.g. {@code readyUrl("http://{host}:QUERY_PORT/api/v3/services")}
   * (the interop tests' {@code JaegerServer} does).
   */
  public static ExternalServer.Builder jaeger(String config) {
    return collector(JAEGER, config);
  }

  /**
   * Starts {@code peer} and waits until each of {@code ports} (its receivers) accepts connections: a
   * Collector serves its own metrics before its pipelines have started.
   */
  public static ExternalServer start(ExternalServer.Builder peer, int... ports) {
    ExternalServer server = peer.build().start();
    for (int port : ports) {
      long deadline = System.nanoTime() + PORT_TIMEOUT.toNanos();
      while (!isListening(server.host(), port)) {
        if (System.nanoTime() > deadline || !server.isRunning()) {
          String tail = server.logTail(30);
          server.close();
          throw new IllegalStateException(server.name() + " is not listening on port " + port + " after "
              + PORT_TIMEOUT.toSeconds() + " s" + (server.isRunning() ? "" : " (it exited)") + "; its log ends:\n" + tail);
        }
        try {
          Thread.sleep(100); // polling a port with a deadline, not waiting for hope
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          server.close();
          throw new IllegalStateException("interrupted while waiting for " + server.name(), e);
        }
      }
    }
    return server;
  }

  private static String buildPeersScript() {
    String configured = System.getProperty("tributary.build-peers");
    if (configured != null) {
      return configured;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("interop/build-peers");
      if (Files.isExecutable(script)) {
        return script.toString();
      }
    }
    return "interop/build-peers";
  }

  private static boolean isListening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
