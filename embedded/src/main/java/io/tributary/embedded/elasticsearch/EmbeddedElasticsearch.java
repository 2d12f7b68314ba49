package io.tributary.embedded.elasticsearch;

import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.process.ExternalServer;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch, the Maven Central distribution ({@code
 * org.elasticsearch.distribution.integ-test-zip:elasticsearch:9.5.3:zip}) run as a child process
 * bound to one host (127.0.0.1 by default): the store of {@code tributary dev} and of the
 * Elasticsearch sink tests. Security is off (plain HTTP, no credentials) unless a {@link Security}
 * is given (https and a superuser, for tests of secured stores); one node, no replicas.
 *
 * <pre>{@code
 * EmbeddedElasticsearch es = EmbeddedElasticsearch.builder()
 *     .download(Path.of(System.getProperty("user.home"), ".cache", "tributary"))
 *     .dataDir(Path.of("data", "elasticsearch"))
 *     .build()
 *     .start();                      // http://127.0.0.1:9200
 * }</pre>
 *
 * <p>Elasticsearch refuses to run as root: when this JVM is root, the node runs as uid/gid 65534
 * through {@code setpriv}, its node directory is handed to that user, and any directory that user
 * cannot reach (e.g. one under {@code /root}, mode 0700) is replaced by one under {@code /var/tmp}
 * or {@code /tmp}, with a log line saying so.
 *
 * <p>{@link #stop()} keeps the data; {@link #start()} brings the node back on the same ports and
 * data (outage tests, restarts of {@code tributary dev}). The process itself is run by
 * {@link ExternalServer}, as the other servers are.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedElasticsearch.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String DEFAULT_VERSION = "9.5.3";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_HTTP_PORT = 9200;
  public static final String DEFAULT_HEAP = "512m";
  public static final String DEFAULT_CLUSTER_NAME = "tributary";
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);
  /** Elasticsearch 9 needs Java 21 or newer. */
  static final int MIN_JAVA = 21;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration HEALTH_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 40;
  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kmgKMG]");
  private static final String HTTP_CERTIFICATE = "tributary-http.crt";
  private static final String HTTP_KEY = "tributary-http.key";

  private final String version;
  private final Path zip;
  private final Path downloadDir;
  private final String host;
  private final int httpPort;
  private final int transportPort;
  private final String heap;
  private final String clusterName;
  private final Duration startTimeout;
  private final Map<String, String> settings;
  private final Path javaHomeOverride;
  private final boolean deleteDataOnClose;
  private final UnprivilegedUser user;
  private final Path installRoot;
  private final Path nodeDir;
  private final Security security;

  /** The running node's process, built on every start (the distribution is unpacked by then). */
  private ExternalServer server;

  private EmbeddedElasticsearch(Builder b) {
    this.version = b.version;
    this.zip = b.zip;
    this.downloadDir = b.downloadDir;
    this.host = b.host;
    this.httpPort = b.httpPort == 0 ? LocalResources.freePort(b.host) : b.httpPort;
    this.transportPort = b.transportPort == 0 ? LocalResources.freePort(b.host) : b.transportPort;
    this.heap = b.heap;
    this.clusterName = b.clusterName;
    this.startTimeout = b.startTimeout;
    this.settings = Map.copyOf(b.settings);
    this.javaHomeOverride = b.javaHome;
    this.user = b.user != null ? b.user : UnprivilegedUser.detect();
    this.deleteDataOnClose = b.dataDir == null;
    this.security = b.security;
    Path requestedInstall = b.installDir != null
        ? b.installDir : Path.of(System.getProperty("java.io.tmpdir"), "tributary-elasticsearch");
    this.installRoot = reachable(requestedInstall, requestedInstall, "install");
    // The node directory itself is handed to the node's user; only the way to it must be open.
    Path node = (b.dataDir != null ? b.dataDir : tempDir()).toAbsolutePath().normalize();
    this.nodeDir = reachable(node, node.getParent(), "node");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The HTTP endpoint, e.g. {@code http://127.0.0.1:9200} ({@code https} with security on). */
  public URI httpUrl() {
    return URI.create((security != null ? "https://" : "http://") + host + ":" + httpPort);
  }

  /**
   * Security on: https with a PEM certificate and its (unencrypted PKCS#8) key, and one user of the
   * file realm with the {@code superuser} role, which the readiness check and tests use.
   */
  public record Security(Path certificate, Path key, String user, String password) {
    public Security {
      requireNonNull(certificate, "certificate");
      requireNonNull(key, "key");
      if (user == null || !user.matches("[A-Za-z0-9_.-]+") || password == null || password.length() < 6) {
        throw new IllegalArgumentException("security: user '" + user + "' (letters, digits, _ . -) and a password "
            + "of at least 6 characters, as Elasticsearch's file realm wants them");
      }
    }

    /** The {@code Authorization} header of the user. */
    public String basicAuthorization() {
      return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  public String host() {
    return host;
  }

  public int httpPort() {
    return httpPort;
  }

  public int transportPort() {
    return transportPort;
  }

  /**
   * The node's own directory (its {@code data/}, {@code logs/} and {@code config/}); differs from
   * the one asked for when uid 65534 could not reach that one.
   */
  public Path dataDir() {
    return nodeDir;
  }

  /** Elasticsearch's console output, the first place to look when it misbehaves. */
  public Path logFile() {
    return nodeDir.resolve("logs").resolve("console.log");
  }

  public synchronized boolean isRunning() {
    return server != null && server.isRunning();
  }

  /**
   * Unpacks the distribution on first use, writes the node's configuration, starts the node and
   * returns once its health API answers and the cluster is at least yellow. Starting a running node does nothing.
   */
  public synchronized EmbeddedElasticsearch start() {
    if (isRunning()) {
      return this;
    }
    long started = System.nanoTime();
    Path home = Distribution.unpack(distributionZip(), installRoot);
    ensurePortFree(httpPort, "http");
    ensurePortFree(transportPort, "transport");
    Path javaHome = javaHome();
    Path conf = writeConfig(home);
    if (security != null) {
      addSecurityFiles(home, javaHome, conf);
    }
    user.takeOwnership(nodeDir);

    if (server != null) {
      server.stop(); // a node that exited by itself: forget its process
    }
    server = server(home, javaHome, conf);
    log.info("Starting Elasticsearch {} on {} (home {}, node directory {}, Java {}{})", version, httpUrl(), home,
        nodeDir, javaHome, user.needed() ? ", as uid " + UnprivilegedUser.UID + " because this JVM is root" : "");
    try {
      server.start();
    } catch (UncheckedIOException e) {
      throw user.needed() ? new UncheckedIOException(e.getMessage() + " (setpriv comes with util-linux)", e.getCause())
          : e;
    }
    log.info("Elasticsearch ready on {} in {} s", httpUrl(), (System.nanoTime() - started) / 1_000_000_000);
    return this;
  }

  /** Stops the node (and its launcher) and waits for both to exit; the data stays. */
  public synchronized void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /** Stops the node and deletes its directory if it was a temporary one. */
  @Override
  public synchronized void close() {
    stop();
    if (deleteDataOnClose) {
      Distribution.deleteRecursively(nodeDir);
    }
  }

  /** The tail of the node's console log, for error messages. */
  public String logTail() {
    return ExternalServer.logTail(logFile(), LOG_TAIL_LINES);
  }

  /**
   * The node as an {@link ExternalServer}: the distribution's launcher (which starts the server JVM;
   * both get SIGTERM on stop, so the server shuts down cleanly even if the launcher goes first), as
   * uid 65534 when this JVM is root, with the node's Java and configuration and none of this JVM's
   * Java options; ready once the cluster is at least yellow.
   */
  private ExternalServer server(Path home, Path javaHome, Path conf) {
    return ExternalServer.builder("elasticsearch")
        .commandPrefix(user.commandPrefix())
        .binary(home.resolve("bin").resolve("elasticsearch").toString(), "")
        .host(host)
        .port(httpPort)
        .directory(nodeDir)
        .logFile(logFile())
        .unsetEnv("JAVA_HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS", "ES_JAVA_OPTS",
            "CLI_JAVA_OPTS")
        .env("ES_JAVA_HOME", javaHome.toString())
        .env("ES_PATH_CONF", conf.toString())
        .env("ES_TMPDIR", nodeDir.resolve("tmp").toString())
        // The health API, not GET /: the integ-test distribution has no handler for the root path (405).
        .readyUrl(httpUrl() + "/_cluster/health", EmbeddedElasticsearch::clusterHealth)
        .readyHeaders(security == null ? Map.of() : Map.of("Authorization", security.basicAuthorization()))
        .readyRequestTimeout(HEALTH_REQUEST_TIMEOUT)
        .readyTimeout(startTimeout)
        .stopTimeout(STOP_TIMEOUT)
        .stopGracefullyOnExit(true)
        .build();
  }

  /** Null once the cluster health is yellow or green; else what it is. */
  static String clusterHealth(int statusCode, String body) {
    String status = "";
    if (statusCode == 200) {
      try {
        status = JSON.readTree(body).path("status").asText("");
      } catch (IOException e) {
        return e.toString();
      }
    }
    if (status.equals("yellow") || status.equals("green")) {
      return null;
    }
    return "cluster health " + (status.isEmpty() ? "HTTP " + statusCode : status);
  }

  /**
   * Copies the certificate and key into the node's config (Elasticsearch reads TLS files from there) and
   * adds the user to the file realm with the distribution's own tool, once.
   */
  private void addSecurityFiles(Path home, Path javaHome, Path conf) {
    try {
      Files.copy(security.certificate(), conf.resolve(HTTP_CERTIFICATE), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(security.key(), conf.resolve(HTTP_KEY), StandardCopyOption.REPLACE_EXISTING);
      Path users = conf.resolve("users");
      if (Files.exists(users) && Files.readAllLines(users).stream().anyMatch(l -> l.startsWith(security.user() + ":"))) {
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Setting up Elasticsearch security in " + conf + " failed: " + e.getMessage(), e);
    }
    securityTool(home, javaHome, conf, "elasticsearch-users", "useradd", security.user(), "-p", security.password(),
        "-r", "superuser");
  }

  /**
   * A bearer token of the service account {@code service} (e.g. {@code elastic/fleet-server}, which may
   * write to {@code logs-*}, {@code metrics-*} and {@code traces-*}), made with the distribution's tool;
   * the running node picks it up from its {@code service_tokens} file. Security must be on.
   */
  public synchronized String createServiceToken(String service, String tokenName) {
    if (security == null) {
      throw new IllegalStateException("service tokens need security on (builder().security(...))");
    }
    Path home = Distribution.unpack(distributionZip(), installRoot);
    Path conf = nodeDir.resolve("config");
    String output = securityTool(home, javaHome(), conf, "elasticsearch-service-tokens", "create", service,
        tokenName);
    user.takeOwnership(conf); // the node's user must read the file the tool (as this JVM's user) wrote
    // The tool prints "SERVICE_TOKEN <service>/<name> = <token>".
    int eq = output.lastIndexOf(" = ");
    if (eq < 0) {
      throw new IllegalStateException("elasticsearch-service-tokens printed no token: " + output.strip());
    }
    return output.substring(eq + 3).strip();
  }

  /** Runs one of the distribution's security tools on the node's configuration; returns what it printed. */
  private static String securityTool(Path home, Path javaHome, Path conf, String tool, String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(home.resolve("bin").resolve(tool).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeAll(List.of("JAVA_HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
        "JDK_JAVA_OPTIONS", "ES_JAVA_OPTS", "CLI_JAVA_OPTS"));
    builder.environment().put("ES_JAVA_HOME", javaHome.toString());
    builder.environment().put("ES_PATH_CONF", conf.toString());
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(tool + " " + args[0] + " failed (exit " + process.exitValue() + "): "
            + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("running " + tool + " on " + conf + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + tool, e);
    }
  }

  private Path distributionZip() {
    if (zip != null) {
      if (!Files.isRegularFile(zip)) {
        throw new IllegalStateException("Elasticsearch distribution " + zip + " does not exist (get it with: mvn "
            + "dependency:copy -Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:" + version
            + ":zip, or let the builder download it)");
      }
      return zip;
    }
    return Distribution.download(version, downloadDir);
  }

  private Path writeConfig(Path home) {
    Path conf = nodeDir.resolve("config");
    try {
      for (String dir : List.of("data", "logs", "tmp", "config/jvm.options.d")) {
        Files.createDirectories(nodeDir.resolve(dir));
      }
      // The distribution's config (log4j2, jvm.options, security files) once; the node's own settings every start.
      try (Stream<Path> files = Files.list(home.resolve("config"))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path target = conf.resolve(f.getFileName().toString());
          if (Files.isRegularFile(f) && !Files.exists(target)) {
            Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
      Files.writeString(conf.resolve("elasticsearch.yml"), elasticsearchYml());
      Files.writeString(conf.resolve("jvm.options.d").resolve("tributary-heap.options"),
          "# Written by Tributary on every start.\n-Xms" + heap + "\n-Xmx" + heap + "\n");
      return conf;
    } catch (IOException e) {
      throw new UncheckedIOException("Writing the Elasticsearch configuration in " + conf + " failed: "
          + e.getMessage(), e);
    }
  }

  /** The node's elasticsearch.yml. */
  String elasticsearchYml() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("cluster.name", clusterName);
    s.put("node.name", clusterName + "-0");
    s.put("network.host", host);
    s.put("http.port", Integer.toString(httpPort));
    s.put("transport.port", Integer.toString(transportPort));
    s.put("discovery.type", "single-node");
    if (security == null) {
      s.put("xpack.security.enabled", "false");
    } else {
      s.put("xpack.security.enabled", "true");
      s.put("xpack.security.http.ssl.enabled", "true");
      s.put("xpack.security.http.ssl.certificate", HTTP_CERTIFICATE);
      s.put("xpack.security.http.ssl.key", HTTP_KEY);
      // One node: no transport TLS needed (single-node discovery skips that bootstrap check).
      s.put("xpack.security.transport.ssl.enabled", "false");
    }
    s.put("path.data", nodeDir.resolve("data").toString());
    s.put("path.logs", nodeDir.resolve("logs").toString());
    // A laptop or CI disk past 90% would otherwise make every index read-only.
    s.put("cluster.routing.allocation.disk.threshold_enabled", "false");
    s.putAll(settings);
    StringBuilder yml = new StringBuilder("# Written by Tributary on every start; add settings through the builder.\n");
    s.forEach((k, v) -> yml.append(k).append(": ").append(yamlScalar(v)).append('\n'));
    return yml.toString();
  }

  private static String yamlScalar(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A JDK >= 21 that the node's user can run: the given one, this JVM's, or one under /usr/lib/jvm. */
  private Path javaHome() {
    if (javaHomeOverride != null) {
      return javaHomeOverride;
    }
    Path own = Path.of(System.getProperty("java.home"));
    if (Runtime.version().feature() >= MIN_JAVA && user.blockedAncestor(own).isEmpty()) {
      return own;
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> dirs = Files.list(jvms)) {
        Optional<Path> found = dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && !Files.isSymbolicLink(d))
            .filter(d -> javaFeature(d) >= MIN_JAVA && user.blockedAncestor(d).isEmpty())
            .max((a, b) -> Integer.compare(javaFeature(a), javaFeature(b)));
        if (found.isPresent()) {
          return found.get();
        }
      } catch (IOException e) {
        // fall through to the error below
      }
    }
    throw new IllegalStateException("Elasticsearch " + version + " needs a JDK " + MIN_JAVA + " or newer; this JVM is "
        + Runtime.version().feature() + " (" + own + ") and none was found under /usr/lib/jvm. Pass one to the "
        + "builder's javaHome().");
  }

  private static int javaFeature(Path jdk) {
    try {
      for (String line : Files.readAllLines(jdk.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String first = v.split("[.+-]")[0];
          return Integer.parseInt(first.equals("1") ? v.split("\\.")[1] : first);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not a JDK we can read
    }
    return -1;
  }

  /** {@code wanted}, or a stand-in under /var/tmp or /tmp when uid 65534 could not pass {@code checked}. */
  private Path reachable(Path wanted, Path checked, String kind) {
    Path abs = wanted.toAbsolutePath().normalize();
    Optional<String> blocked = user.blockedAncestor(checked.toAbsolutePath().normalize());
    if (blocked.isEmpty()) {
      return abs;
    }
    for (String base : List.of("/var/tmp", "/tmp", System.getProperty("java.io.tmpdir"))) {
      Path candidate = Path.of(base, "tributary-elasticsearch", kind + "-" + shortHash(abs.toString()));
      if (user.blockedAncestor(candidate).isEmpty()) {
        log.info("Elasticsearch refuses to run as root, so it runs as uid {}, which cannot reach {}: {} is not "
            + "traversable by it. Using {} instead.", UnprivilegedUser.UID, abs, blocked.get(), candidate);
        return candidate;
      }
    }
    throw new IllegalStateException("Elasticsearch runs as uid " + UnprivilegedUser.UID + " (this JVM is root), which "
        + "cannot reach " + abs + " (" + blocked.get() + ") nor /var/tmp or /tmp; choose a directory it can reach");
  }

  private static String shortHash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void ensurePortFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException("Elasticsearch " + what + " port " + host + ":" + port + " is in use (another "
          + "Elasticsearch?); stop it or choose another port", e);
    }
  }

  /** A fresh path under java.io.tmpdir, created by {@link #start()} (a builder that never starts leaves nothing). */
  private static Path tempDir() {
    return Path.of(System.getProperty("java.io.tmpdir"),
        "tributary-elasticsearch-node-" + Long.toUnsignedString(new java.security.SecureRandom().nextLong()));
  }

  /** Builds an {@link EmbeddedElasticsearch}; every setting has a default fit for a laptop or a test. */
  public static final class Builder {
    private String version = DEFAULT_VERSION;
    private Path zip;
    private Path downloadDir;
    private Path installDir;
    private Path dataDir;
    private String host = DEFAULT_HOST;
    private int httpPort = DEFAULT_HTTP_PORT;
    private int transportPort;
    private String heap = DEFAULT_HEAP;
    private String clusterName = DEFAULT_CLUSTER_NAME;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Path javaHome;
    private UnprivilegedUser user;
    private Security security;
    private final Map<String, String> settings = new LinkedHashMap<>();

    Builder() {}

    /** The distribution zip ({@code elasticsearch-9.5.3.zip} from Maven Central), already on disk. */
    public Builder distribution(Path zip) {
      this.zip = requireNonNull(zip, "zip");
      return this;
    }

    /**
     * Where to find, or else download from Maven Central, the distribution zip (used when no
     * {@link #distribution(Path)} is given); the download logs its progress.
     */
    public Builder download(Path cacheDir) {
      this.downloadDir = requireNonNull(cacheDir, "cacheDir");
      return this;
    }

    /** The Elasticsearch version (default {@value #DEFAULT_VERSION}); must match the zip. */
    public Builder version(String version) {
      if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+")) {
        throw new IllegalArgumentException("version: " + version + " (expected: x.y.z, e.g. " + DEFAULT_VERSION + ")");
      }
      this.version = version;
      return this;
    }

    /** Where the zip is unpacked, once (default: {@code <java.io.tmpdir>/tributary-elasticsearch}). */
    public Builder installDir(Path installDir) {
      this.installDir = requireNonNull(installDir, "installDir");
      return this;
    }

    /**
     * The node's directory, holding its {@code data/}, {@code logs/} and {@code config/}
     * (default: a temporary directory deleted on {@link #close()}).
     */
    public Builder dataDir(Path dataDir) {
      this.dataDir = requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** The address HTTP and transport bind to (default {@value #DEFAULT_HOST}). */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** The HTTP port (default {@value #DEFAULT_HTTP_PORT}; 0 picks a free port once, kept across restarts). */
    public Builder httpPort(int httpPort) {
      this.httpPort = LocalResources.checkPort("httpPort", httpPort);
      return this;
    }

    /** The transport port (default 0: a free port picked once, kept across restarts). */
    public Builder transportPort(int transportPort) {
      this.transportPort = LocalResources.checkPort("transportPort", transportPort);
      return this;
    }

    /** The node's heap, e.g. {@code 512m}, {@code 1g} (default {@value #DEFAULT_HEAP}). */
    public Builder heap(String heap) {
      if (heap == null || !HEAP.matcher(heap).matches()) {
        throw new IllegalArgumentException("heap: " + heap + " (expected: a size like 512m or 1g)");
      }
      this.heap = heap;
      return this;
    }

    /** The cluster name (default {@value #DEFAULT_CLUSTER_NAME}). */
    public Builder clusterName(String clusterName) {
      if (clusterName == null || !clusterName.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("clusterName: " + clusterName + " (expected: letters, digits, _ . -)");
      }
      this.clusterName = clusterName;
      return this;
    }

    /** How long {@link #start()} waits for the node (default 180 s; a cold start takes about a minute). */
    public Builder startTimeout(Duration startTimeout) {
      requireNonNull(startTimeout, "startTimeout");
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout: " + startTimeout + " (expected: > 0)");
      }
      this.startTimeout = startTimeout;
      return this;
    }

    /** The JDK (>= 21) to run the node with (default: this JVM's if >= 21, else one under /usr/lib/jvm). */
    public Builder javaHome(Path javaHome) {
      this.javaHome = requireNonNull(javaHome, "javaHome");
      return this;
    }

    /** Security on (https, a file-realm superuser); off by default. */
    public Builder security(Security security) {
      this.security = requireNonNull(security, "security");
      return this;
    }

    /** Any other elasticsearch.yml setting, applied last. */
    public Builder setting(String key, String value) {
      settings.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** For tests: act as if this JVM were (or were not) root. */
    Builder assumeRoot(boolean root) {
      this.user = UnprivilegedUser.assumingRoot(root);
      return this;
    }

    public EmbeddedElasticsearch build() {
      if (zip == null && downloadDir == null) {
        throw new IllegalStateException("Elasticsearch distribution: set distribution(zip) or download(cacheDir)");
      }
      return new EmbeddedElasticsearch(this);
    }
  }
}
