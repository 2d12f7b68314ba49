package io.tributary.embedded.process;

import io.tributary.embedded.internal.LocalResources;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real server running as a child process: a binary with arguments, a directory for its files and
 * data, a log file, and a URL that answers 2xx once it is ready. {@link #start()} returns when the
 * server is ready (or fails with the tail of its log); {@link #stop()} ends its whole process tree
 * and keeps its data, so {@link #start()} brings it back on the same port with the same data
 * (outage tests, restarts).
 *
 * <p>Arguments, files and the ready URL may use the placeholders {@code {host}}, {@code {port}}
 * and {@code {dir}}, replaced by the server's address and directory:
 *
 * <pre>{@code
 * ExternalServer prometheus = ExternalServer.prometheus().build().start();
 * URI writeUrl = prometheus.baseUrl().resolve("/api/v1/write");
 * }</pre>
 *
 * A binary that is not installed makes {@link Builder#build()} throw {@link MissingBinaryException}.
 *
 * <p>A server with more needs (Elasticsearch) runs under a command prefix (e.g. {@code setpriv} to
 * leave root), without inherited environment variables that would mislead it, with a readiness
 * check that reads the answer ({@link ReadyCheck}) and a graceful stop when the JVM exits.
 */
public final class ExternalServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ExternalServer.class);

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(20);
  /** Lines of the log quoted when a start fails. */
  public static final int LOG_TAIL_LINES = 40;

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration DEFAULT_READY_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  /** Judges the ready URL's answer. */
  @FunctionalInterface
  public interface ReadyCheck {

    /** Ready on any 2xx answer. */
    ReadyCheck HTTP_2XX = (status, body) -> status / 100 == 2 ? null : "HTTP " + status;

    /**
     * Null when the answer says the server is ready; else what is still missing (quoted when the
     * wait times out).
     */
    String notReadyBecause(int status, String body);
  }

  private final String name;
  private final List<String> commandPrefix;
  private final Path binary;
  private final List<String> args;
  private final String host;
  private final int port;
  private final Path directory;
  private final boolean temporaryDirectory;
  private final Path logFile;
  private final Map<String, String> files;
  private final Map<String, String> env;
  private final List<String> unsetEnv;
  private final String readyUrl;
  private final ReadyCheck readyCheck;
  private final Duration readyRequestTimeout;
  private final Duration readyTimeout;
  private final Duration stopTimeout;
  private final boolean stopGracefullyOnExit;
  private final Map<String, String> readyHeaders;
  private final HttpClient http;

  private Process process;
  private Thread shutdownHook;

  private ExternalServer(Builder b, Path binary) {
    this.name = b.name;
    this.commandPrefix = List.copyOf(b.commandPrefix);
    this.binary = binary;
    this.host = b.host;
    this.port = b.port == 0 ? LocalResources.freePort(b.host) : b.port;
    this.temporaryDirectory = b.directory == null;
    this.directory = b.directory != null ? b.directory : LocalResources.tempDir(b.name);
    this.logFile = b.logFile != null ? b.logFile : directory.resolve(b.name + ".log");
    this.args = b.args.stream().map(this::expand).toList();
    Map<String, String> expandedFiles = new LinkedHashMap<>();
    b.files.forEach((path, content) -> expandedFiles.put(path, expand(content)));
    this.files = Map.copyOf(expandedFiles);
    this.env = Map.copyOf(b.env);
    this.unsetEnv = List.copyOf(b.unsetEnv);
    this.readyUrl = expand(requireNonNull(b.readyUrl, "readyUrl"));
    this.readyCheck = b.readyCheck;
    this.readyHeaders = Map.copyOf(b.readyHeaders);
    HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2));
    if (readyUrl.startsWith("https:")) {
      // The probe only asks whether the process this launcher started answers; the server's certificate
      // is what the clients under test check, with the CA they are given.
      client.sslContext(ProbeTls.trustingAnyCertificate());
    }
    this.http = client.build();
    this.readyRequestTimeout = b.readyRequestTimeout;
    this.readyTimeout = b.readyTimeout;
    this.stopTimeout = b.stopTimeout;
    this.stopGracefullyOnExit = b.stopGracefullyOnExit;
  }

  /** A server named {@code name} (used for its log file and in messages); set at least the binary. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Prometheus with its remote-write receiver on ({@code POST /api/v1/write}), no scrape targets,
   * TSDB under {@code {dir}/data}. Ready at {@code /-/ready}.
   */
  public static Builder prometheus() {
    return builder("prometheus")
        .binary("prometheus", "apt-get install -y --no-install-recommends prometheus")
        .file("prometheus.yml", "# Written by Tributary: no scrape targets; data arrives by remote write.\n"
            + "global:\n  scrape_interval: 15s\n")
        .args("--config.file={dir}/prometheus.yml", "--storage.tsdb.path={dir}/data",
            "--web.listen-address={host}:{port}", "--web.enable-remote-write-receiver")
        .readyUrl("http://{host}:{port}/-/ready");
  }

  /**
   * Single-node VictoriaMetrics, data under {@code {dir}/data}, fresh samples queryable after one
   * second instead of the default 30 ({@code -search.latencyOffset=1s}), no query cache. Remote write at
   * {@code /api/v1/write}, PromQL at {@code /api/v1/query}. Ready at {@code /health}.
   */
  public static Builder victoriaMetrics() {
    return builder("victoria-metrics")
        .binary("victoria-metrics", "apt-get install -y --no-install-recommends victoria-metrics")
        // No query cache: tests and benchmarks write samples with past timestamps and query them at once;
        // a cached answer for a past range would hide samples that arrive later (after an outage).
        .args("-httpListenAddr={host}:{port}", "-search.latencyOffset=1s", "-search.disableCache",
            "-storageDataPath={dir}/data")
        .readyUrl("http://{host}:{port}/health");
  }

  /**
   * vmagent (from Debian's {@code victoria-metrics}) scraping the targets of {@code scrapeConfig} (a
   * Prometheus scrape configuration) and remote-writing every sample to {@code remoteWriteUrl}: puts
   * processes' own {@code /metrics} into a store that is otherwise fed by remote write. Ready at
   * {@code /health}.
   */
  public static Builder vmagent(String scrapeConfig, URI remoteWriteUrl) {
    return builder("vmagent")
        .binary("vmagent", "apt-get install -y --no-install-recommends victoria-metrics")
        .file("scrape.yml", scrapeConfig)
        .args("-httpListenAddr={host}:{port}", "-promscrape.config={dir}/scrape.yml",
            "-remoteWrite.url=" + remoteWriteUrl, "-remoteWrite.tmpDataPath={dir}/queue")
        .readyUrl("http://{host}:{port}/health");
  }

  /**
   * Alertmanager (0.25 from Debian's {@code prometheus-alertmanager}) with {@code config} as its
   * {@code alertmanager.yml}, data under {@code {dir}/data}, clustering off (it would bind
   * 0.0.0.0:9094 otherwise). API at {@code /api/v2}, ready at {@code /-/ready}.
   */
  public static Builder alertmanager(String config) {
    return builder("alertmanager")
        .binary("prometheus-alertmanager", "apt-get install -y --no-install-recommends prometheus-alertmanager")
        .file("alertmanager.yml", config)
        .args("--config.file={dir}/alertmanager.yml", "--storage.path={dir}/data",
            "--web.listen-address={host}:{port}", "--cluster.listen-address=")
        .readyUrl("http://{host}:{port}/-/ready");
  }

  /**
   * A Java program in a JVM of its own, run by this JVM's {@code java}: {@code java <jvmOptions>
   * <programArgs>}, where the program arguments name what runs ({@code -jar tributary.jar connect ...},
   * or {@code -cp ... MainClass ...}, see {@link #javaMain}). Set the ready URL; {@link #kill()} is a real
   * SIGKILL of that JVM (crash drills).
   */
  public static Builder java(String name, List<String> jvmOptions, String... programArgs) {
    List<String> args = new ArrayList<>(jvmOptions);
    args.addAll(quietUnsafeWarnings());
    args.addAll(List.of(programArgs));
    return builder(name)
        .binary(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "a JDK 21+")
        .args(args.toArray(String[]::new));
  }

  /** {@code mainClass} from this JVM's class path (a test's or a benchmark's) in a JVM of its own. */
  public static Builder javaMain(String name, Class<?> mainClass, List<String> jvmOptions, String... programArgs) {
    List<String> args = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    args.addAll(List.of(programArgs));
    return java(name, jvmOptions, args.toArray(String[]::new));
  }

  /**
   * The option that stops Java 23+ from warning about Kafka's and protobuf's use of sun.misc.Unsafe on
   * every start, as ./tributary passes it; nothing on older JVMs, which would refuse it.
   */
  public static List<String> quietUnsafeWarnings() {
    return Runtime.version().feature() >= 23 ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();
  }

  public String name() {
    return name;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** {@code http://host:port/}. */
  public URI baseUrl() {
    return URI.create("http://" + host + ":" + port + "/");
  }

  /** Where the server's files and data live; kept across {@link #stop()}. */
  public Path directory() {
    return directory;
  }

  /** The server's stdout and stderr, appended across restarts. */
  public Path logFile() {
    return logFile;
  }

  /** The command line the server runs with (its command prefix first, if any). */
  public List<String> command() {
    List<String> command = new ArrayList<>(commandPrefix.size() + args.size() + 1);
    command.addAll(commandPrefix);
    command.add(binary.toString());
    command.addAll(args);
    return List.copyOf(command);
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The process id while running. */
  public synchronized OptionalLong pid() {
    return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
  }

  /**
   * Starts the server and returns once its ready URL answers 2xx. If it exits or is not ready in
   * time, it is stopped and the exception quotes the end of its log. Starting a running server does
   * nothing.
   */
  public synchronized ExternalServer start() {
    if (isRunning()) {
      return this;
    }
    try {
      Files.createDirectories(directory);
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path target = directory.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
      }
      Files.writeString(logFile, "---- " + String.join(" ", command()) + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(command())
          .directory(directory.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      unsetEnv.forEach(pb.environment()::remove);
      pb.environment().putAll(env);
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot start " + String.join(" ", command()) + ": " + e.getMessage(), e);
    }
    Process started = process;
    shutdownHook = new Thread(() -> destroyTree(started.toHandle(), !stopGracefullyOnExit), name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    log.info("Starting {} on {}:{} (pid {}, directory {})", name, host, port, started.pid(), directory);
    awaitReady(started);
    log.info("{} ready on {}:{}", name, host, port);
    return this;
  }

  /**
   * Stops the server and every process it started: SIGTERM, then SIGKILL after the stop timeout.
   * Waits until they are gone; the data stays.
   */
  public synchronized void stop() {
    end(false);
  }

  /** Kills the server's process tree at once (SIGKILL), as a crash would; the data stays. */
  public synchronized void kill() {
    end(true);
  }

  /** Stops the server and deletes its directory if it was a temporary one. */
  @Override
  public synchronized void close() {
    stop();
    if (temporaryDirectory) {
      LocalResources.deleteRecursively(directory);
    }
  }

  /** The last {@code lines} lines of the server's log. */
  public String logTail(int lines) {
    return logTail(logFile, lines);
  }

  /** The last {@code lines} lines of {@code logFile}, or why there are none. */
  public static String logTail(Path logFile, int lines) {
    try {
      if (!Files.exists(logFile)) {
        return "(no log at " + logFile + ")";
      }
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + "[" + host + ":" + port + ", " + directory + (isRunning() ? ", running" : "") + "]";
  }

  private void end(boolean forcibly) {
    if (process == null) {
      return;
    }
    Process p = process;
    process = null;
    destroyTree(p.toHandle(), forcibly);
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs anyway
      }
      shutdownHook = null;
    }
    log.info("{} on {}:{} {}", name, host, port, forcibly ? "killed" : "stopped");
  }

  private void destroyTree(ProcessHandle root, boolean forcibly) {
    List<ProcessHandle> tree = new ArrayList<>();
    root.descendants().forEach(tree::add);
    tree.add(root);
    for (ProcessHandle h : tree) {
      if (forcibly) {
        h.destroyForcibly();
      } else {
        h.destroy();
      }
    }
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        log.warn("{} (pid {}) did not stop within {}; killing it", name, h.pid(), stopTimeout);
        h.destroyForcibly();
        try {
          h.onExit().get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e2) {
          log.warn("{} (pid {}) still alive after SIGKILL", name, h.pid(), e2);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        h.destroyForcibly();
        return;
      } catch (ExecutionException e) {
        log.warn("waiting for {} (pid {}) to exit failed", name, h.pid(), e);
      }
    }
  }

  private void awaitReady(Process started) {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(readyUrl)).timeout(readyRequestTimeout).GET();
    readyHeaders.forEach(probe::header);
    HttpRequest request = probe.build();
    String lastProblem = "no answer yet";
    while (true) {
      if (!started.isAlive()) {
        String tail = logTail(LOG_TAIL_LINES);
        end(true);
        throw new IllegalStateException(name + " exited with status " + started.exitValue()
            + " before it was ready (" + readyUrl + "). Command: " + String.join(" ", command())
            + "\nLast lines of " + logFile + ":\n" + tail);
      }
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String notReady = readyCheck.notReadyBecause(response.statusCode(), response.body());
        if (notReady == null) {
          return;
        }
        lastProblem = notReady;
      } catch (IOException e) {
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        end(true);
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      if (System.nanoTime() > deadline) {
        String tail = logTail(LOG_TAIL_LINES);
        end(true);
        throw new IllegalStateException(name + " not ready after " + readyTimeout + " (" + readyUrl + ": "
            + lastProblem + "). Command: " + String.join(" ", command()) + "\nLast lines of " + logFile + ":\n"
            + tail);
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        end(true);
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  private String expand(String template) {
    return template.replace("{host}", host).replace("{port}", Integer.toString(port))
        .replace("{dir}", directory.toString());
  }

  /** An executable named {@code name} on the PATH (or {@code name} itself if it is a path). */
  public static Optional<Path> findExecutable(String name) {
    requireNonNull(name, "name");
    if (name.contains("/")) {
      Path p = Path.of(name);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin";
    return Stream.of(path.split(":"))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, name))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }

  /** Builds an {@link ExternalServer}; the port and the temporary directory are chosen by {@link #build()}. */
  public static final class Builder {
    private final String name;
    private final List<String> commandPrefix = new ArrayList<>();
    private String binary;
    private String installHint = "";
    private final List<String> args = new ArrayList<>();
    private String host = DEFAULT_HOST;
    private int port;
    private Path directory;
    private Path logFile;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> unsetEnv = new ArrayList<>();
    private String readyUrl;
    private ReadyCheck readyCheck = ReadyCheck.HTTP_2XX;
    private final Map<String, String> readyHeaders = new LinkedHashMap<>();
    private Duration readyRequestTimeout = DEFAULT_READY_REQUEST_TIMEOUT;
    private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private boolean stopGracefullyOnExit;

    Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank name)");
      }
      this.name = name;
    }

    /**
     * The executable: a name looked up on the PATH, or a path. {@code installHint} says how to get
     * it when it is missing (e.g. the apt-get command).
     */
    public Builder binary(String binary, String installHint) {
      if (binary == null || binary.isBlank()) {
        throw new IllegalArgumentException("binary: '" + binary + "' (expected: a name on the PATH or a path)");
      }
      this.binary = binary;
      this.installHint = installHint == null ? "" : installHint;
      return this;
    }

    /**
     * A command the binary runs under, e.g. {@code setpriv --reuid=65534 ...} for a server that
     * refuses to run as root (default: none).
     */
    public Builder commandPrefix(List<String> prefix) {
      requireNonNull(prefix, "prefix");
      prefix.forEach(p -> requireNonNull(p, "prefix element"));
      this.commandPrefix.clear();
      this.commandPrefix.addAll(prefix);
      return this;
    }

    /** Appends arguments (placeholders allowed). A later flag overrides an earlier one for most servers. */
    public Builder args(String... args) {
      for (String a : args) {
        this.args.add(requireNonNull(a, "arg"));
      }
      return this;
    }

    /** The address the server binds (default 127.0.0.1). */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** The port (default 0: a free port chosen once by {@link #build()} and kept across restarts). */
    public Builder port(int port) {
      this.port = LocalResources.checkPort("port", port);
      return this;
    }

    /** Working directory, files and data (default: a temporary directory deleted by {@link #close()}). */
    public Builder directory(Path directory) {
      this.directory = requireNonNull(directory, "directory");
      return this;
    }

    /** Where stdout and stderr go (default {@code <directory>/<name>.log}). */
    public Builder logFile(Path logFile) {
      this.logFile = requireNonNull(logFile, "logFile");
      return this;
    }

    /** A file written (placeholders expanded) under the directory before every start, e.g. a config file. */
    public Builder file(String relativePath, String content) {
      requireNonNull(relativePath, "relativePath");
      if (Path.of(relativePath).isAbsolute() || relativePath.contains("..")) {
        throw new IllegalArgumentException("relativePath: " + relativePath + " (expected: a path inside the directory)");
      }
      files.put(relativePath, requireNonNull(content, "content"));
      return this;
    }

    /** An environment variable of the server process. */
    public Builder env(String key, String value) {
      env.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** An environment variable of this JVM that the server process must not inherit. */
    public Builder unsetEnv(String... keys) {
      for (String key : keys) {
        unsetEnv.add(requireNonNull(key, "key"));
      }
      return this;
    }

    /** The URL that answers 2xx once the server is ready, e.g. {@code http://{host}:{port}/-/ready}. */
    public Builder readyUrl(String readyUrl) {
      return readyUrl(readyUrl, ReadyCheck.HTTP_2XX);
    }

    /** The URL whose answer tells, through {@code check}, whether the server is ready. */
    public Builder readyUrl(String readyUrl, ReadyCheck check) {
      this.readyUrl = requireNonNull(readyUrl, "readyUrl");
      this.readyCheck = requireNonNull(check, "check");
      return this;
    }

    /** A header sent with every request to the ready URL (e.g. credentials of a server with security on). */
    public Builder readyHeader(String name, String value) {
      readyHeaders.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
      return this;
    }

    /** Headers sent with every request to the ready URL. */
    public Builder readyHeaders(Map<String, String> headers) {
      requireNonNull(headers, "headers").forEach(this::readyHeader);
      return this;
    }

    /** How long one request to the ready URL may take (default 2 s); a slower answer counts as not ready. */
    public Builder readyRequestTimeout(Duration timeout) {
      requireNonNull(timeout, "readyRequestTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("readyRequestTimeout: " + timeout + " (expected: > 0)");
      }
      this.readyRequestTimeout = timeout;
      return this;
    }

    public Builder readyTimeout(Duration readyTimeout) {
      requireNonNull(readyTimeout, "readyTimeout");
      if (readyTimeout.isNegative() || readyTimeout.isZero()) {
        throw new IllegalArgumentException("readyTimeout: " + readyTimeout + " (expected: > 0)");
      }
      this.readyTimeout = readyTimeout;
      return this;
    }

    /** How long {@link #stop()} waits after SIGTERM before SIGKILL. */
    public Builder stopTimeout(Duration stopTimeout) {
      requireNonNull(stopTimeout, "stopTimeout");
      if (stopTimeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout: " + stopTimeout + " (expected: >= 0)");
      }
      this.stopTimeout = stopTimeout;
      return this;
    }

    /**
     * Whether the JVM's exit stops the server as {@link #stop()} does (SIGTERM, then SIGKILL after
     * the stop timeout) rather than killing it at once (default false: a test JVM exits fast).
     */
    public Builder stopGracefullyOnExit(boolean graceful) {
      this.stopGracefullyOnExit = graceful;
      return this;
    }

    /**
     * Resolves the binary and the port.
     *
     * @throws MissingBinaryException if the binary is not installed
     */
    public ExternalServer build() {
      if (binary == null) {
        throw new IllegalStateException(name + ": no binary set (expected: binary(name, installHint))");
      }
      if (readyUrl == null) {
        throw new IllegalStateException(name + ": no ready URL set (expected: readyUrl(\"http://{host}:{port}/...\"))");
      }
      Path resolved = findExecutable(binary).orElseThrow(() -> new MissingBinaryException(binary,
          name + ": executable '" + binary + "' not found on the PATH"
              + (installHint.isEmpty() ? "" : " (install it: " + installHint + ")")));
      return new ExternalServer(this, resolved);
    }
  }
}
