package io.tributary.schemas.integration;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5 extension running one real Apicurio Registry per test JVM, from the distribution the build
 * unpacks (system property {@code tributary.apicurio.dir}), as a child process of the test JVM on
 * 127.0.0.1 and a free port; its log goes to {@code target/apicurio-registry.log}. Test methods take
 * a {@link Registry} parameter.
 *
 * <p>If the distribution is missing, tests fail when {@code CI=true} and are skipped with a loud
 * reason otherwise.
 */
final class ApicurioRegistry implements BeforeAllCallback, ParameterResolver {

  static final String DIR_PROPERTY = "tributary.apicurio.dir";
  /** Path of the Confluent-compatible API. */
  static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Path LOG = Path.of("target", "apicurio-registry.log");
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ApicurioRegistry.class);

  /** A running registry; JUnit closes it (stops the process) after the JVM's last test. */
  record Registry(URI ccompatUrl, Process process) implements AutoCloseable {
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    get(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == Registry.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return get(extensionContext);
  }

  private static Registry get(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("registry", k -> start(), Registry.class);
  }

  private static Registry start() {
    Path runner = findRunnerJar();
    int port = freePort();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(java.toString(), "-Xmx512m",
        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
        "-jar", runner.getFileName().toString());
    Process process;
    try {
      Files.createDirectories(LOG.toAbsolutePath().getParent());
      process = new ProcessBuilder(command)
          .directory(runner.getParent().toFile())
          .redirectErrorStream(true)
          .redirectOutput(LOG.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
    // Never leave a registry behind, even if the JVM ends before JUnit closes the store.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "apicurio-registry-stop"));
    URI url = URI.create("http://127.0.0.1:" + port + CCOMPAT_PATH);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      await("Apicurio Registry answering on " + url + " (log: " + LOG.toAbsolutePath() + ")")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + "; log tail:\n"
                  + tail(LOG));
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/subjects"))
                .timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          });
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    } finally {
      http.close();
    }
    return new Registry(url, process);
  }

  private static Path findRunnerJar() {
    String dir = System.getProperty(DIR_PROPERTY);
    Optional<Path> runner = Optional.empty();
    if (dir != null && Files.isDirectory(Path.of(dir))) {
      try (Stream<Path> files = Files.walk(Path.of(dir), 2)) {
        runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (runner.isPresent()) {
      return runner.get();
    }
    String reason = "Apicurio Registry distribution not found in " + DIR_PROPERTY + "=" + dir + ": the schemas "
        + "module's build unpacks io.apicurio:apicurio-registry-app:tar.gz:all there at pre-integration-test; run "
        + "./mvnw -pl schemas -am verify";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(reason);
    }
    System.err.println("\n*** SKIPPING schema registry tests: " + reason + " ***\n");
    throw new TestAbortedException("SKIPPED (not in CI): " + reason);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** A port nothing listens on right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
