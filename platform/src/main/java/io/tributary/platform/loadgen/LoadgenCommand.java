package io.tributary.platform.loadgen;

import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.DurationConverter;
import io.tributary.platform.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code tributary loadgen}: realistic OTLP traffic through the OpenTelemetry Java SDK's exporters. */
@Command(name = "loadgen",
    sortOptions = false,
    description = {
      "Send realistic OTLP traffic through the OpenTelemetry Java SDK's own exporters: six services of a shop "
          + "(frontend, checkout, payment, inventory, recommendation, llm-gateway) with nested spans, errors, "
          + "slow traces, LLM calls with gen_ai.* token attributes, logs correlated with traces, and metrics.",
      "Prints a progress line every second on stderr and a summary at the end."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:everything generated was delivered",
      "1:some exports failed or were not delivered",
      "2:invalid options"
    })
public final class LoadgenCommand implements Callable<Integer> {

  public static final double DEFAULT_RATE = 20;
  public static final String DEFAULT_DURATION = "60s";
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);
  private static final int CONNECT_TIMEOUT_MS = 3_000;
  // The SDK logs every failed export with a stack trace through java.util.logging; loadgen reports
  // failures itself (progress line, summary). Held here: java.util.logging keeps loggers weakly.
  private static final java.util.logging.Logger SDK_LOGGER = java.util.logging.Logger.getLogger("io.opentelemetry");

  @Spec
  CommandSpec spec;

  @Mixin
  CheckConfigOption check;

  @Option(names = "--protocol", paramLabel = "grpc|http/protobuf", defaultValue = "http/protobuf",
      converter = OtlpProtocol.Converter.class, description = "OTLP transport (default: ${DEFAULT-VALUE}).")
  OtlpProtocol protocol = OtlpProtocol.HTTP_PROTOBUF;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Where to send: the gRPC endpoint, or the OTLP/HTTP base URL (/v1/traces, /v1/logs and "
          + "/v1/metrics are appended). Default: http://127.0.0.1:4318 for http/protobuf, "
          + "http://127.0.0.1:4317 for grpc.")
  String endpoint;

  @Option(names = "--header", paramLabel = "NAME=VALUE",
      description = "A header on every export request, e.g. --header \"Authorization=Bearer <api key>\". Repeatable.")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "PEM certificates to trust for an https endpoint (default: the JVM's trust store).")
  Path trustedCertificates;

  @Option(names = "--compression", paramLabel = "gzip|none", defaultValue = "gzip",
      description = "Request compression (default: ${DEFAULT-VALUE}).")
  String compression = "gzip";

  @Option(names = "--rate", paramLabel = "TRACES_PER_SECOND", defaultValue = "" + DEFAULT_RATE,
      description = "Traces per second (default: ${DEFAULT-VALUE}); each has about 4-14 spans.")
  double rate = DEFAULT_RATE;

  // Not an exclusive ArgGroup: picocli applies no environment defaults to a group the command line
  // did not mention, and TRIBUTARY_DURATION / TRIBUTARY_TRACES must work.
  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = DEFAULT_DURATION, description = "How long to send, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--traces", paramLabel = "N", description = "Send N traces, then stop (instead of --duration).")
  Long traces;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the generated content and ids; the same seed sends the same traces (default: random, "
          + "printed in the summary).")
  Long seed;

  @Option(names = "--metrics-interval", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class, description = "How often metrics are exported (default: ${DEFAULT-VALUE}).")
  Duration metricsInterval = Duration.ofSeconds(10);

  @Option(names = "--export-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class, description = "Timeout of each export request (default: ${DEFAULT-VALUE}).")
  Duration exportTimeout = Duration.ofSeconds(10);

  @Override
  public Integer call() {
    if (check.checkOnly()) {
      return CheckConfigOption.report(spec, "loadgen", this::settings);
    }
    LoadgenSettings settings = settings();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> unreachable = unreachable(settings.endpoint());
    if (unreachable.isPresent()) {
      err.println("loadgen: nothing answers at " + settings.endpoint() + " (" + unreachable.get() + "): start the "
          + "gateway (./tributary dev or ./tributary gateway) or point --endpoint at one.");
      err.flush();
      return ExitCodes.FAILURE;
    }
    err.println("loadgen: " + settings.rate() + " traces/s over " + settings.protocol() + " to " + settings.endpoint()
        + settings.runDuration().map(d -> " for " + d.toSeconds() + " s").orElse(" until " + settings.traces() + " traces"));
    err.flush();
    SDK_LOGGER.setLevel(java.util.logging.Level.OFF);
    ExportCounters counters = new ExportCounters();
    LoadDriver driver;
    try (OtlpExporters exporters = new OtlpExporters(settings);
        LoadgenSdk sdk = new LoadgenSdk(exporters.spans(), exporters.logs(), exporters.metrics(),
            TrafficGenerator.idGenerator(settings.seed()), settings.metricsInterval(), counters)) {
      TrafficGenerator generator = new TrafficGenerator(settings.seed(), sdk::telemetry);
      driver = new LoadDriver(generator, counters, settings.rate(), settings.duration(), settings.traces(), err);
      runUntilDoneOrStopped(driver, sdk);
    }
    // After the SDK shut down: every export has completed, so the counts are final.
    LoadReport last = driver.report(System.nanoTime(), 0);
    out.print(last.summary(settings.seed()));
    out.flush();
    if (last.complete()) {
      return ExitCodes.OK;
    }
    err.println("loadgen: not everything was delivered" + counters.lastFailure().map(f -> "; last failure: " + f).orElse("")
        + ". Is the gateway running at " + settings.endpoint() + " (tributary dev / tributary gateway)?");
    err.flush();
    return ExitCodes.FAILURE;
  }

  /** Runs the driver; Ctrl-C ends the run early but still flushes what was generated. */
  private static void runUntilDoneOrStopped(LoadDriver driver, LoadgenSdk sdk) {
    CountDownLatch flushed = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      driver.stop();
      try {
        flushed.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "loadgen-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      driver.run();
      sdk.flush(FLUSH_TIMEOUT);
    } finally {
      flushed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already stopping (Ctrl-C): the hook is running and now returns.
      }
    }
  }

  /** Why a TCP connection to the endpoint fails, if it does: no point generating traffic for nobody. */
  private static Optional<String> unreachable(URI endpoint) {
    int port = endpoint.getPort() != -1 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), port), CONNECT_TIMEOUT_MS);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.toString());
    }
  }

  LoadgenSettings settings() {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw ConfigException.invalid("--rate", rate, "> 0 traces per second");
    }
    if (!compression.equals("gzip") && !compression.equals("none")) {
      throw ConfigException.invalid("--compression", "'" + compression + "'", "gzip or none");
    }
    // The command line wins over the environment: --traces or --duration given there decides.
    boolean tracesGiven = given("--traces");
    boolean durationGiven = given("--duration");
    if (tracesGiven && durationGiven) {
      throw new ConfigException("--duration and --traces both bound the run: give one of them");
    }
    boolean byTraces = tracesGiven || (!durationGiven && traces != null);
    if (byTraces && traces < 1) {
      throw ConfigException.invalid("--traces", traces, ">= 1");
    }
    if (!byTraces && (duration.isZero() || duration.isNegative())) {
      throw ConfigException.invalid("--duration", duration, "> 0, e.g. 30s");
    }
    positive("--metrics-interval", metricsInterval);
    positive("--export-timeout", exportTimeout);
    return new LoadgenSettings(protocol, endpointUri(), headers, compression.equals("gzip"), trustedCertificates(),
        exportTimeout, rate, byTraces ? null : duration, byTraces ? traces : 0,
        seed != null ? seed : ThreadLocalRandom.current().nextLong(),
        metricsInterval);
  }

  private boolean given(String option) {
    ParseResult parsed = spec.commandLine().getParseResult();
    return parsed != null && parsed.hasMatchedOption(option);
  }

  private URI endpointUri() {
    String value = endpoint != null ? endpoint : protocol.defaultEndpoint();
    try {
      URI uri = new URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw ConfigException.invalid("--endpoint", "'" + value + "'", "http://host:port or https://host:port");
  }

  private byte[] trustedCertificates() {
    if (trustedCertificates == null) {
      return null;
    }
    try {
      return Files.readAllBytes(trustedCertificates);
    } catch (IOException e) {
      throw new ConfigException("--tls-ca: cannot read " + trustedCertificates + " (" + e.getMessage()
          + "): give a readable PEM file, or leave the option out to use the JVM's trust store", e);
    }
  }

  private static void positive(String option, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw ConfigException.invalid(option, value, "> 0, e.g. 10s");
    }
  }
}
