package io.tributary.bench;

import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.Peers;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.topics.TopicCatalog;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One tail sampler of {@link VsCollectorSamplingBenchmark} as the processes an operator would run:
 * Tributary's traces pipeline ({@code tributary.jar processor traces}, one JVM) or the OpenTelemetry
 * Collector chain (two processes, see {@link #collector}). Each reads {@code otlp_spans} as the
 * consumer group {@link #group()}, decides with the same policies and writes kept spans to
 * {@link #output()}; {@link #inFlight()} reads its own count of traces waiting for a decision.
 */
final class SamplerSide implements AutoCloseable {

  /** Tributary's processor exposes this gauge on its metrics port. */
  private static final String TRIBUTARY_IN_FLIGHT = "tributary_sampling_traces_in_flight";
  /** The Collector's tail_sampling processor exposes this gauge on its telemetry port. */
  private static final String COLLECTOR_IN_FLIGHT = "otelcol_processor_tail_sampling_sampling_traces_on_memory";

  /**
   * Tributary's shipped redaction rules as the Collector's redaction processor can say them: the same
   * value patterns (RE2, without Tributary's checks such as Luhn for card numbers), masked with its
   * masking string; the keys Tributary drops are masked (the processor drops keys only in allow-list
   * mode). No key of the benchmark's spans is among them; client.address (IPv4) is masked on both sides.
   */
  static final String COLLECTOR_REDACTION = """
      processors:
        redaction:
          allow_all_keys: true
          summary: silent
          blocked_key_patterns: ['(?i)^gen_ai\\.(prompt|completion)(\\..*)?$', '(?i)^gen_ai\\.(input|output)\\.messages$',
            '(?i)^gen_ai\\.system_instructions$', '(?i)^http\\.request\\.header\\.(authorization|proxy-authorization|cookie|x-api-key)$',
            '(?i)^http\\.response\\.header\\.set-cookie$']
          blocked_values:
            - 'eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+'
            - '(?i)bearer\\s+[A-Za-z0-9._~+/-]+=*'
            - 'AIza[0-9A-Za-z_-]{35}'
            - '(AKIA|ASIA)[0-9A-Z]{16}'
            - '[A-Za-z0-9/+]{40}'
            - '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}'
            - '\\b[2-6][0-9]{3}([ -]?[0-9]{4}){2}[ -]?[0-9]{1,7}\\b'
            - '(?i)\\b([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\\b'
            - '\\b([0-9]{1,3}\\.){3}[0-9]{1,3}\\b'
      connectors:
        spanmetrics:
          metrics_flush_interval: 15s
      """;

  private final String name;
  private final String group;
  private final String output;
  /** Start each process, in order (the one that reads Kafka last, so nothing is read before the chain can carry it). */
  private final List<Supplier<ExternalServer>> starters;
  /** Which of the running processes serves the in-flight gauge. */
  private final int metricsIndex;
  private final String inFlightMetric;
  private final List<ExternalServer> running = new ArrayList<>();
  /** Every process started, running or not: {@link #close()} deletes their directories. */
  private final List<ExternalServer> started = new ArrayList<>();

  private SamplerSide(String name, String group, String output, List<Supplier<ExternalServer>> starters,
      int metricsIndex, String inFlightMetric) {
    this.name = name;
    this.group = group;
    this.output = output;
    this.starters = starters;
    this.metricsIndex = metricsIndex;
    this.inFlightMetric = inFlightMetric;
  }

  /**
   * Tributary's traces pipeline as it ships, its own JVM: {@code java -Xmx<heap> -jar tributary.jar
   * processor traces} with {@code pipelineYaml}, exactly_once_v2 (the default), {@code threads} stream
   * threads, state in the process's directory (kept across a restart).
   */
  static SamplerSide tributary(Path jar, String bootstrap, String pipelineYaml, int threads, String heap) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--tributary-jar: " + jar + " does not exist (bench/run vs-collector-sampling "
          + "packages it; or build it with ./mvnw -B -ntp -o -pl platform -am package -DskipTests)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ExternalServer processor = ExternalServer.builder("tributary-processor")
        .binary(java, "a JDK")
        .file("pipelines.yaml", pipelineYaml)
        .args("-Xmx" + heap, "-XX:+UseParallelGC", "-jar", jar.toAbsolutePath().toString(), "processor", "traces",
            "--bootstrap-server", bootstrap, "--config", "{dir}/pipelines.yaml", "--state-dir", "{dir}/state",
            "--threads", Integer.toString(threads), "--metrics-port", "{port}", "--metrics-bind-address", "{host}")
        .readyUrl("http://{host}:{port}/health/ready")
        .readyTimeout(Duration.ofMinutes(5))
        .build();
    // The same server each time: a restart finds its state directory.
    return new SamplerSide("Tributary", TracesTopology.APPLICATION_ID, TopicCatalog.SPANS.name(),
        List.of(processor::start), 0, TRIBUTARY_IN_FLIGHT);
  }

  /**
   * The Collector: no single release built here has both the kafka components and tail_sampling
   * (see interop/peers), so two distributions chained over OTLP/gRPC on localhost: otelcol-kafka
   * reads {@code input} with its kafka receiver and sends to otelcol-sampling (otlp receiver,
   * tail_sampling, otlp exporter), which sends the kept spans back to otelcol-kafka's otlp receiver
   * and kafka exporter (partitioned by trace id as Tributary's output is, acks=all). The kafka
   * receiver marks a record consumed after the pipeline accepted it; tail_sampling accepts a trace
   * once it holds it in memory. With {@code redactAndCount}, the first process also redacts (the
   * redaction processor with the rules of Tributary's shipped defaults, {@link #COLLECTOR_REDACTION}) and
   * counts span metrics (spanmetrics connector, every 15 s as Tributary, to {@code <output>.metrics})
   * before the spans go to tail sampling.
   */
  static SamplerSide collector(String bootstrap, String input, String output, String group, String tailSampling,
      boolean redactAndCount) {
    int samplingPort = LocalResources.freePort(ExternalServer.DEFAULT_HOST);
    int returnPort = LocalResources.freePort(ExternalServer.DEFAULT_HOST);
    // Both hops block when their queue is full rather than drop, so a slow stage slows the kafka receiver.
    String sampling = """
        receivers:
          otlp: { protocols: { grpc: { endpoint: "{host}:%1$d" } } }
        processors:
          %3$s
        exporters:
          otlp:
            endpoint: "{host}:%2$d"
            tls: { insecure: true }
            sending_queue: { block_on_overflow: true }
        service:
          pipelines:
            traces: { receivers: [otlp], processors: [tail_sampling], exporters: [otlp] }
        """.formatted(samplingPort, returnPort, tailSampling.strip().replace("\n", "\n  "));
    String kafka = """
        receivers:
          kafka:
            brokers: ["%1$s"]
            traces: { topics: [%2$s], encoding: otlp_proto }
            initial_offset: earliest
            group_id: %3$s
            message_marking: { after: true }
          otlp: { protocols: { grpc: { endpoint: "{host}:%5$d" } } }
        %7$s
        exporters:
          otlp:
            endpoint: "{host}:%6$d"
            tls: { insecure: true }
            sending_queue: { block_on_overflow: true }
          kafka:
            brokers: ["%1$s"]
            traces: { topic: %4$s, encoding: otlp_proto }
            metrics: { topic: %4$s.metrics, encoding: otlp_proto }
            partition_traces_by_id: true
            record_partitioner: { sticky_key: { hasher: murmur2 } }
            producer: { required_acks: -1 }
        service:
          pipelines:
            traces/in: { receivers: [kafka], %8$s }
            traces/out: { receivers: [otlp], exporters: [kafka] }
            %9$s
        """.formatted(bootstrap, input, group, output, returnPort, samplingPort,
        redactAndCount ? COLLECTOR_REDACTION.strip() : "",
        redactAndCount ? "processors: [redaction], exporters: [otlp, spanmetrics]" : "exporters: [otlp]",
        redactAndCount ? "metrics: { receivers: [spanmetrics], exporters: [kafka] }" : "");
    // Nothing to keep across a restart: each start is a fresh process (the Collector's state is in memory).
    return new SamplerSide("Collector", group, output, List.of(
        () -> Peers.start(Peers.collector(Peers.OTELCOL_SAMPLING, sampling), samplingPort),
        () -> Peers.start(Peers.collector(Peers.OTELCOL_KAFKA, kafka), returnPort)), 0, COLLECTOR_IN_FLIGHT);
  }

  String name() {
    return name;
  }

  String group() {
    return group;
  }

  String output() {
    return output;
  }

  /** Starts every process (returns once each is ready and listening). */
  void start() {
    for (Supplier<ExternalServer> starter : starters) {
      ExternalServer server = starter.get();
      running.add(server);
      if (!started.contains(server)) {
        started.add(server);
      }
    }
  }

  /** The process ids, while running. */
  List<Long> pids() {
    return running.stream().map(p -> p.pid().orElseThrow(() -> new IllegalStateException(p.name() + " is not running")))
        .toList();
  }

  /** SIGKILL to every process, as a crash of the host would; their data directories stay. */
  void kill() {
    running.forEach(ExternalServer::kill);
    running.clear();
  }

  /** SIGTERM to every process, the last started first. */
  void stop() {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).stop();
    }
    running.clear();
  }

  /** Traces waiting for a decision, by the side's own gauge (-1 if it cannot be read). */
  long inFlight() {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          running.get(metricsIndex).baseUrl().resolve("/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      double total = -1;
      for (String line : response.body().split("\n")) {
        if (line.startsWith(inFlightMetric)) {
          total = Math.max(total, 0) + Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return (long) total;
    } catch (Exception e) {
      return -1;
    }
  }

  String logTails() {
    StringBuilder b = new StringBuilder();
    for (ExternalServer p : running) {
      b.append("--- ").append(p.name()).append(" (").append(p.logFile()).append(")\n").append(p.logTail(15)).append('\n');
    }
    return b.toString();
  }

  /** Stops what runs and deletes every process's directory (Tributary's state with it). */
  @Override
  public void close() {
    stop();
    started.forEach(ExternalServer::close);
  }
}
