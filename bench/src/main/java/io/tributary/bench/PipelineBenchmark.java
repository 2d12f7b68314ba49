package io.tributary.bench;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The traces pipeline (normalize, redact, enrich, span metrics, tail sampling) from {@code otlp_spans}
 * to {@code telemetry.spans}, traces of 5-50 spans, 10% kept, against a pass-through Kafka Streams
 * topology over the same topic in the same run, and against a parse-and-buffer floor ({@link
 * BufferingFloor}: the least a Streams tail sampler does); then the heap a 512 MiB JVM needs to hold
 * 500,000 traces waiting for their decision.
 *
 * <p>All three applications first run once over a separate warm-up topic in the same JVM, so the timed
 * runs measure steady state rather than the JIT compiling the pipeline's code (in a 1M-span cold run
 * the compiler threads took a third of the machine's CPU), as a long-running processor would run.
 *
 * <p>Usage: {@code bench/run pipeline [--spans N] [--warmup-spans N] [--threads T] [--heap-traces N]
 * [--commit-interval-ms MS] [--streams-config k=v,...] [--pipeline-yaml FILE]}
 */
public final class PipelineBenchmark {

  /** Only the probabilistic policy, so exactly the share of traces the issue names is kept. */
  static final String SAMPLING_10_PERCENT = """
      sampling:
        decision-wait: %s
        policies:
          - name: probabilistic
            probabilistic: {percentage: 10}
      """;

  /** The floor waits as long as the pipeline's sampling does before it decides. */
  private static final Duration FLOOR_WAIT = Duration.ofSeconds(2);

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = GatewayBenchmark.Args.parse(args);
    long spans = Long.parseLong(opts.getOrDefault("spans", "1000000"));
    int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
    long heapTraces = Long.parseLong(opts.getOrDefault("heap-traces", "500000"));
    long warmupSpans = Long.parseLong(opts.getOrDefault("warmup-spans", "500000"));
    Path results = Path.of(opts.getOrDefault("results", "bench/RESULTS.md"));
    // Both applications with the same commit interval; unset: Kafka Streams' default (100 ms under exactly-once).
    Long commitIntervalMs = opts.containsKey("commit-interval-ms") ? Long.valueOf(opts.get("commit-interval-ms")) : null;
    // --streams-config k=v,k=v: further Kafka Streams settings (e.g. producer.batch.size), for both applications.
    Map<String, String> streamsConfig = new LinkedHashMap<>();
    for (String pair : opts.getOrDefault("streams-config", "").split(",")) {
      if (!pair.isBlank()) {
        String[] kv = pair.split("=", 2);
        streamsConfig.put(kv[0].trim(), kv[1].trim());
      }
    }

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicInstaller.builder().admin(admin).build().ensure(TopicCatalog.ALL);
      admin.createTopics(List.of(new NewTopic("bench.passthrough", TopicCatalog.SPANS.partitions(), (short) 1)))
          .all().get();
      String input = TopicCatalog.OTLP_SPANS.name();

      System.err.printf("Loading %,d spans (traces of 5-50 spans, 20 attributes each) into %s...%n", spans, input);
      TraceLoader.Loaded loaded = TraceLoader.load(kafka.bootstrapServers(), input, new SpanBatchFactory(7, 0, 5, 50),
          spans, Long.MAX_VALUE);

      // --pipeline-yaml measures another configuration (e.g. a step turned off) against the same baseline.
      String yaml = opts.containsKey("pipeline-yaml")
          ? java.nio.file.Files.readString(Path.of(opts.get("pipeline-yaml")))
          : SAMPLING_10_PERCENT.formatted("2s");
      PipelineConfig config = PipelineConfig.parse(yaml, opts.getOrDefault("pipeline-yaml", "bench"), System::getenv);

      if (warmupSpans > 0) {
        String warmup = "bench.warmup.spans";
        admin.createTopics(List.of(new NewTopic(warmup, TopicCatalog.OTLP_SPANS.partitions(), (short) 1),
            new NewTopic("bench.warmup.out", TopicCatalog.SPANS.partitions(), (short) 1))).all().get();
        TraceLoader.load(kafka.bootstrapServers(), warmup, new SpanBatchFactory(3, 0, 5, 50), warmupSpans, Long.MAX_VALUE);
        System.err.printf("Warm-up: all three applications over %,d other spans...%n", warmupSpans);
        StreamsRun.timeToConsume(admin, passThrough(warmup, "bench.warmup.out"),
            settings(kafka, "bench-passthrough-warmup", threads, commitIntervalMs, streamsConfig), warmup);
        StreamsRun.timeToConsume(admin, BufferingFloor.topology(warmup, "bench.warmup.out", FLOOR_WAIT),
            settings(kafka, "bench-floor-warmup", threads, commitIntervalMs, streamsConfig), warmup);
        StreamsRun.timeToConsume(admin,
            TracesTopology.build(config, new Topics(warmup, "bench.warmup.out", Topics.traces().deadLetter()),
                SerdeConfig.getDefault(), new PipelineStats()),
            settings(kafka, "bench-traces-warmup", threads, commitIntervalMs, streamsConfig), warmup);
      }

      System.err.println("Pass-through Kafka Streams topology...");
      StreamsRun.Consumed pass = StreamsRun.timeToConsume(admin, passThrough(input, "bench.passthrough"),
          settings(kafka, "bench-passthrough", threads, commitIntervalMs, streamsConfig), input);

      System.err.println("Parse-and-buffer floor...");
      admin.createTopics(List.of(new NewTopic("bench.floor", TopicCatalog.SPANS.partitions(), (short) 1))).all().get();
      StreamsRun.Consumed floor = StreamsRun.timeToConsume(admin, BufferingFloor.topology(input, "bench.floor", FLOOR_WAIT),
          settings(kafka, "bench-floor", threads, commitIntervalMs, streamsConfig), input);

      System.err.println("Traces pipeline...");
      PipelineStats stats = new PipelineStats();
      Topology traces = TracesTopology.build(config, Topics.traces(), SerdeConfig.getDefault(), stats);
      StreamsRun.Consumed pipeline = StreamsRun.timeToConsume(admin, traces,
          settings(kafka, "bench-traces", threads, commitIntervalMs, streamsConfig), input);
      Map<String, Long> decisions = new LinkedHashMap<>(stats.sampling().decisions());

      if (heapTraces <= 0) {
        System.err.println(Report.pipelineFigures(loaded, pass, floor, pipeline) + " (no heap probe, results not written)");
        return;
      }
      System.err.printf("Heap: %,d traces waiting in a 512 MiB JVM...%n", heapTraces);
      admin.createTopics(List.of(new NewTopic("bench.heap.spans", TopicCatalog.OTLP_SPANS.partitions(), (short) 1)))
          .all().get();
      TraceLoader.load(kafka.bootstrapServers(), "bench.heap.spans", new SpanBatchFactory(11, 0, 2, 2),
          Long.MAX_VALUE, heapTraces);
      Map<String, String> heap = heapProbe(kafka.bootstrapServers(), "bench.heap.spans", heapTraces);

      String report = Report.pipeline(spans, warmupSpans, loaded, threads, pass, floor, pipeline, decisions, heapTraces,
          heap);
      System.out.println(report);
      Report.write(results, "pipeline", report);
      System.err.println("Wrote " + results);
    }
  }

  /** The same settings for every application of a run. */
  private static Properties settings(EmbeddedKafkaBroker kafka, String applicationId, int threads,
      Long commitIntervalMs, Map<String, String> streamsConfig) throws Exception {
    Properties props = StreamsRun.properties(kafka.bootstrapServers(), applicationId, threads, commitIntervalMs);
    props.putAll(streamsConfig);
    return props;
  }

  private static Topology passThrough(String input, String output) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    return builder.build();
  }

  /** Runs {@link PipelineHeapProbe} in a JVM with a 512 MiB heap and returns what it reports. */
  private static Map<String, String> heapProbe(String bootstrap, String topic, long traces) throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), PipelineHeapProbe.class.getName(), bootstrap, topic,
        Long.toString(traces));
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Map<String, String> result = new LinkedHashMap<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(PipelineHeapProbe.RESULT)) {
          for (String pair : line.substring(PipelineHeapProbe.RESULT.length()).trim().split(" ")) {
            String[] kv = pair.split("=", 2);
            result.put(kv[0], kv[1]);
          }
        } else if (line.contains("OutOfMemoryError") || line.startsWith("  ")) {
          System.err.println("  heap probe: " + line.trim());
        }
      }
    }
    int exit = process.waitFor();
    result.put("exit", Integer.toString(exit));
    return result;
  }

  private PipelineBenchmark() {}
}
