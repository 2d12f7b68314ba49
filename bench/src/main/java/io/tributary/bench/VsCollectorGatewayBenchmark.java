package io.tributary.bench;

import io.tributary.embedded.ChildKafkaCluster;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.Peers;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tributary's gateway against the OpenTelemetry Collector as an OTLP -> Kafka gateway, under the same
 * client load (the requests of 512 spans of {@link GatewayBenchmark}, same concurrency, OTLP/HTTP
 * protobuf), each side in its own process writing to a broker in a process of its own (a fresh one per
 * side). The Collector runs twice: answering after Kafka acknowledged (no batch processor, sending queue
 * off) and answering before (batch processor and sending queue on, its usual deployment). Each side's
 * topic is read back: the spans in it must equal the spans the clients had answered 200 for.
 *
 * <pre>bench/run vs-collector-gateway [--spans 2000000] [--warmup-spans 300000] [--concurrency 8]
 *     [--sides tributary,collector-after-kafka,collector-queue] [--gateway-jvm-options "-Xmx512m"]
 *     [--tributary-jar platform/target/tributary.jar] [--results bench/RESULTS.md | -]</pre>
 */
public final class VsCollectorGatewayBenchmark {

  private static final String NAME = "vs-collector-gateway";
  private static final String HOST = "127.0.0.1";
  private static final int SPANS_PER_REQUEST = 512;
  private static final int DISTINCT_REQUESTS = 200;
  private static final String TOPIC = TopicCatalog.OTLP_SPANS.name();
  /** Longer than the Collector's first retry (5 s): a topic still growing after it is not yet settled. */
  private static final Duration SETTLED_AFTER = Duration.ofSeconds(6);
  private static final String BROKER_HEAP = "1g";

  /** One side of the comparison: how it is started and whether it answers before Kafka acknowledged. */
  enum Side {
    TRIBUTARY("tributary", "Tributary gateway", "after Kafka acks"),
    COLLECTOR_AFTER_KAFKA("collector-after-kafka", "Collector, no batch processor, sending queue off",
        "after Kafka acks"),
    COLLECTOR_QUEUE("collector-queue", "Collector, batch processor + sending queue", "before Kafka acks");

    final String option;
    final String label;
    final String answers;

    Side(String option, String label, String answers) {
      this.option = option;
      this.label = label;
      this.answers = answers;
    }

    static Side of(String option) {
      return Arrays.stream(values()).filter(s -> s.option.equals(option)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--sides: unknown side '" + option + "' (expected some of "
              + String.join(",", Arrays.stream(values()).map(s -> s.option).toList()) + ")"));
    }
  }

  /** What one side did in the timed part, and what its topic held at the end. */
  record Result(Side side, long acceptedSpans, long timedSpans, double answeredSeconds, double inKafkaSeconds,
      double processCpu, long processPeakRss, double brokerCpu, long brokerPeakRss, long spansInTopic,
      long records, long recordBytes) {

    double answeredPerSecond() {
      return timedSpans / answeredSeconds;
    }

    double inKafkaPerSecond() {
      return timedSpans / inKafkaSeconds;
    }

    double processCpuPerMillion() {
      return ProcessStats.cpuSecondsPerMillion(processCpu, timedSpans);
    }

    double brokerCpuPerMillion() {
      return ProcessStats.cpuSecondsPerMillion(brokerCpu, timedSpans);
    }

    double totalCpuPerMillion() {
      return processCpuPerMillion() + brokerCpuPerMillion();
    }

    boolean exact() {
      return spansInTopic == acceptedSpans;
    }

    /** Null when the topic holds exactly the accepted spans; else what went wrong. */
    String dataProblem() {
      long diff = spansInTopic - acceptedSpans;
      return diff == 0 ? null : String.format(Locale.ROOT, "%s %s %,d spans (%,d in the topic, %,d accepted)",
          side.label, diff < 0 ? "lost" : "duplicated", Math.abs(diff), spansInTopic, acceptedSpans);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = GatewayBenchmark.Args.parse(args);
    long spans = Long.parseLong(opts.getOrDefault("spans", "2000000"));
    long warmupSpans = Long.parseLong(opts.getOrDefault("warmup-spans", "300000"));
    int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "8"));
    List<Side> sides = Arrays.stream(opts.getOrDefault("sides", "tributary,collector-after-kafka,collector-queue")
        .split(",")).map(String::strip).map(Side::of).toList();
    String gatewayJvm = opts.getOrDefault("gateway-jvm-options", "-Xmx512m");
    TributaryJar jar = sides.contains(Side.TRIBUTARY)
        ? TributaryJar.of(opts.getOrDefault("tributary-jar", TributaryJar.DEFAULT)) : null;
    String resultsOption = opts.getOrDefault("results", "bench/RESULTS.md");

    System.err.printf("Building %d distinct requests of %d spans...%n", DISTINCT_REQUESTS, SPANS_PER_REQUEST);
    SpanBatchFactory factory = new SpanBatchFactory(42, SPANS_PER_REQUEST, 5, 50);
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < DISTINCT_REQUESTS; i++) {
      bodies.add(factory.next().toByteArray());
    }
    long warmupRequests = Math.max(1, warmupSpans / SPANS_PER_REQUEST);
    long requests = Math.max(1, spans / SPANS_PER_REQUEST);

    Map<Side, Result> results = new LinkedHashMap<>();
    for (Side side : sides) {
      Result result = run(side, jar, gatewayJvm, bodies, warmupRequests, requests, concurrency);
      results.put(side, result);
      System.err.printf(Locale.ROOT, "%s: %,.0f spans/s answered, %,.0f spans/s in Kafka; CPU-s per million spans: "
              + "%.2f process + %.2f broker; peak RSS %s process, %s broker; %,d spans in the topic for %,d accepted%n",
          side.label, result.answeredPerSecond(), result.inKafkaPerSecond(), result.processCpuPerMillion(),
          result.brokerCpuPerMillion(), ProcessStats.mib(result.processPeakRss()),
          ProcessStats.mib(result.brokerPeakRss()), result.spansInTopic(), result.acceptedSpans());
    }

    String command = "bench/run " + NAME + (args.length == 0 ? "" : " " + String.join(" ", args));
    String report = report(command, results, requests * SPANS_PER_REQUEST, warmupRequests * SPANS_PER_REQUEST,
        concurrency, gatewayJvm);
    System.out.println(report);
    if (!"-".equals(resultsOption)) {
      Path file = Path.of(resultsOption);
      Report.write(file, NAME, report);
      PeerSummary.write(file, NAME, command, summaryRows(results));
      System.err.println("Wrote " + file);
    }
  }

  /** One side on a fresh broker: warm-up, the timed load, the topic settling, then the topic read back. */
  private static Result run(Side side, TributaryJar jar, String gatewayJvm, List<byte[]> bodies, long warmupRequests,
      long requests, int concurrency) throws Exception {
    System.err.printf("== %s (answers %s)%n", side.label, side.answers);
    try (ChildKafkaCluster broker = ChildKafkaCluster.start(1, List.of("-Xms" + BROKER_HEAP, "-Xmx" + BROKER_HEAP));
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      TopicInstaller.builder().admin(admin).build().ensure(TopicCatalog.RAW);
      int receiverPort = LocalResources.freePort(HOST);
      try (ExternalServer server = start(side, jar, gatewayJvm, broker.bootstrapServers(), receiverPort)) {
        long pid = server.pid().orElseThrow();
        URI uri = URI.create("http://" + HOST + ":" + receiverPort + "/v1/traces");
        System.err.printf("Warming up with %,d requests...%n", warmupRequests);
        GatewayBenchmark.send(uri, bodies, warmupRequests, concurrency);
        awaitSettled(admin);

        ProcessStats.Sample process0 = ProcessStats.of(pid);
        ProcessStats.Sample broker0 = ProcessStats.of(broker.pid(1));
        System.err.printf("Sending %,d spans in %,d requests with %d concurrent clients...%n",
            requests * SPANS_PER_REQUEST, requests, concurrency);
        long start = System.nanoTime();
        long answeredNanos = GatewayBenchmark.send(uri, bodies, requests, concurrency);
        long lastGrowth = awaitSettled(admin);
        ProcessStats.Sample process1 = ProcessStats.of(pid);
        ProcessStats.Sample broker1 = ProcessStats.of(broker.pid(1));
        long inKafkaNanos = lastGrowth < 0 ? answeredNanos : Math.max(answeredNanos, lastGrowth - start);

        long[] read = readBack(broker.bootstrapServers());
        if (read[0] != (warmupRequests + requests) * SPANS_PER_REQUEST) {
          System.err.printf("%s: %,d spans in the topic for %,d accepted; its log ends:%n%s%n", side.label, read[0],
              (warmupRequests + requests) * SPANS_PER_REQUEST, server.logTail(40));
        }
        return new Result(side, (warmupRequests + requests) * SPANS_PER_REQUEST, requests * SPANS_PER_REQUEST,
            answeredNanos / 1e9, inKafkaNanos / 1e9, process1.cpuSecondsSince(process0), process1.peakRssBytes(),
            broker1.cpuSecondsSince(broker0), broker1.peakRssBytes(), read[0], read[1], read[2]);
      }
    }
  }

  private static ExternalServer start(Side side, TributaryJar jar, String gatewayJvm, String bootstrap,
      int receiverPort) {
    if (side == Side.TRIBUTARY) {
      return jar.role("gateway", gatewayJvm, "/health/ready", "--bootstrap-server", bootstrap, "--bind-address", HOST,
          "--http-port", "{port}", "--grpc-port", "0").port(receiverPort).build().start();
    }
    return Peers.start(Peers.collector(Peers.OTELCOL_KAFKA, collectorConfig(side, bootstrap, receiverPort)),
        receiverPort);
  }

  /**
   * The Collector as a gateway, as close to Tributary's producer as its kafka exporter allows: acks from
   * all replicas (franz-go then produces idempotently), lz4, 5 ms linger, records keyed by trace id with
   * Kafka's murmur2 partitioner. Answering after Kafka means no batch processor (it answers the receiver
   * as soon as it holds the spans) and no sending queue.
   */
  static String collectorConfig(Side side, String bootstrap, int receiverPort) {
    boolean queued = side == Side.COLLECTOR_QUEUE;
    return """
        receivers:
          otlp: { protocols: { http: { endpoint: "%s:%d" } } }
        %sexporters:
          kafka:
            brokers: ["%s"]
            traces: { topic: %s, encoding: otlp_proto }
            partition_traces_by_id: true
            record_partitioner: { sticky_key: { hasher: murmur2 } }
            producer: { required_acks: -1, compression: lz4, linger: 5ms, allow_auto_topic_creation: false }
            sending_queue: %s
        service:
          pipelines:
            traces: { receivers: [otlp], processors: [%s], exporters: [kafka] }
        """.formatted(HOST, receiverPort, queued ? "processors:\n  batch: {}\n" : "", bootstrap, TOPIC,
        queued ? "{ enabled: true, block_on_overflow: true }" : "{ enabled: false }", queued ? "batch" : "");
  }

  /**
   * Waits until the topic has not grown for {@link #SETTLED_AFTER}; returns when it last grew
   * ({@link System#nanoTime()}), or -1 if it did not grow after the call.
   */
  private static long awaitSettled(Admin admin) throws Exception {
    long last = endOffsetSum(admin);
    long lastGrowth = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < SETTLED_AFTER.toNanos()) {
      Thread.sleep(100); // polling the topic's end offsets until they stop moving
      long now = endOffsetSum(admin);
      if (now != last) {
        last = now;
        lastGrowth = System.nanoTime();
        quietSince = lastGrowth;
      }
    }
    return lastGrowth;
  }

  private static long endOffsetSum(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < TopicCatalog.OTLP_SPANS.partitions(); p++) {
      latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
  }

  /** Spans, records and record bytes in the whole topic (warm-up included). */
  private static long[] readBack(String bootstrap) throws Exception {
    long spans = 0;
    long records = 0;
    long bytes = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "max.partition.fetch.bytes", 8 << 20), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < TopicCatalog.OTLP_SPANS.partitions(); p++) {
        partitions.add(new TopicPartition(TOPIC, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          records++;
          bytes += r.serializedKeySize() + r.serializedValueSize();
          for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              spans += ss.getSpansCount();
            }
          }
        }
      }
    }
    return new long[] {spans, records, bytes};
  }

  private static List<PeerSummary.Row> summaryRows(Map<Side, Result> results) {
    Result tributary = results.get(Side.TRIBUTARY);
    List<PeerSummary.Row> rows = new ArrayList<>();
    if (tributary == null) {
      return rows;
    }
    for (Side peer : List.of(Side.COLLECTOR_AFTER_KAFKA, Side.COLLECTOR_QUEUE)) {
      Result collector = results.get(peer);
      if (collector == null) {
        continue;
      }
      String goal = peer == Side.COLLECTOR_AFTER_KAFKA ? ">= 1.5" : "context (the Collector answers before Kafka)";
      String figure = "gateway spans per CPU-second of its process, OTLP/HTTP -> Kafka acks=all, vs " + collector.side().label;
      String tributaryFigure = perCpuSecond(tributary);
      String peerFigure = perCpuSecond(collector);
      String problem = tributary.dataProblem() != null ? tributary.dataProblem() : collector.dataProblem();
      if (problem != null) {
        rows.add(new PeerSummary.Row(figure, tributaryFigure, peerFigure, "no ratio: " + problem, goal));
        continue;
      }
      rows.add(PeerSummary.Row.of(figure, tributaryFigure, peerFigure,
          collector.processCpuPerMillion() / tributary.processCpuPerMillion(), goal));
      if (peer == Side.COLLECTOR_AFTER_KAFKA) {
        rows.add(PeerSummary.Row.of("gateway spans/s in Kafka (same load, same machine), vs " + collector.side().label,
            String.format(Locale.ROOT, "%,.0f", tributary.inKafkaPerSecond()),
            String.format(Locale.ROOT, "%,.0f", collector.inKafkaPerSecond()),
            tributary.inKafkaPerSecond() / collector.inKafkaPerSecond(), "-"));
      }
    }
    return rows;
  }

  private static String perCpuSecond(Result r) {
    return String.format(Locale.ROOT, "%,.0f (%.2f CPU-s per million spans)", 1e6 / r.processCpuPerMillion(),
        r.processCpuPerMillion());
  }

  private static String report(String command, Map<Side, Result> results, long spans, long warmupSpans,
      int concurrency, String gatewayJvm) {
    StringBuilder table = new StringBuilder("""
        | side | answers | spans/s answered | spans/s in Kafka | CPU-s per million spans: process / broker / both | peak RSS: process / broker | spans in topic / accepted | records (avg bytes) |
        |---|---|---|---|---|---|---|---|
        """);
    for (Result r : results.values()) {
      table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f / %.2f / %.2f | %s / %s | %,d / %,d%s | %,d (%,d) |%n",
          r.side().label, r.side().answers, r.answeredPerSecond(), r.inKafkaPerSecond(), r.processCpuPerMillion(),
          r.brokerCpuPerMillion(), r.totalCpuPerMillion(), ProcessStats.mib(r.processPeakRss()),
          ProcessStats.mib(r.brokerPeakRss()), r.spansInTopic(), r.acceptedSpans(), r.exact() ? "" : " **(" + r.dataProblem() + ")**",
          r.records(), r.recordBytes() / Math.max(1, r.records())));
    }
    StringBuilder ratios = new StringBuilder();
    Result tributary = results.get(Side.TRIBUTARY);
    for (Side peer : List.of(Side.COLLECTOR_AFTER_KAFKA, Side.COLLECTOR_QUEUE)) {
      Result collector = results.get(peer);
      if (tributary == null || collector == null) {
        continue;
      }
      String problem = tributary.dataProblem() != null ? tributary.dataProblem() : collector.dataProblem();
      if (problem != null) {
        ratios.append(String.format(Locale.ROOT, "| Tributary vs %s | no ratio: %s | | |%n", collector.side().label, problem));
      } else {
        ratios.append(String.format(Locale.ROOT, "| Tributary vs %s | **%.2f** | %.2f | %.2f |%n", collector.side().label,
            collector.processCpuPerMillion() / tributary.processCpuPerMillion(),
            collector.totalCpuPerMillion() / tributary.totalCpuPerMillion(),
            tributary.inKafkaPerSecond() / collector.inKafkaPerSecond()));
      }
    }
    return String.format(Locale.ROOT, """
        ## Tributary's gateway vs the OpenTelemetry Collector (OTLP/HTTP -> Kafka, acks=all)

        Run on %s, %d cores, Java %s. Command: `%s`

        %s
        | ratio | spans per CPU-second, gateway process (goal >= 1.5 after Kafka) | spans per CPU-second, process + broker | spans/s in Kafka |
        |---|---|---|---|
        %s
        %,d spans timed after %,d of warm-up, in requests of %d spans (traces of 5-50 spans, 20 attributes per
        span; 200 distinct requests, cycled), %d concurrent HTTP/1.1 clients, OTLP/HTTP protobuf; a request
        answered other than 200 is sent again, so "accepted" counts what clients were told is taken. Each side
        runs in its own process against a fresh single-node broker in a JVM of its own (-Xmx%s), topic
        `%s` with %d partitions. "In Kafka" ends when the topic stopped growing (the Collector with its queue
        still writes after its last answer); CPU is counted until then. Peak RSS is the process's VmHWM
        (warm-up included). The topic is read back whole and its spans counted against the accepted ones.
        Tributary: `tributary.jar gateway` in a JVM with `%s`, its default producer (acks=all, idempotence,
        lz4, linger 5 ms, 512 KiB batches). Collector (otelcol-kafka v0.165): otlp receiver, kafka exporter
        with `otlp_proto`, `partition_traces_by_id`, murmur2 sticky-key partitioner, `required_acks: -1`
        (franz-go produces idempotently), lz4, linger 5 ms; answering after Kafka: no processor and
        `sending_queue: { enabled: false }`; answering before: `batch` processor and the default sending
        queue with `block_on_overflow`. See bench/README.md.
        """, LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(), command,
        table, ratios, spans, warmupSpans, SPANS_PER_REQUEST, concurrency, BROKER_HEAP, TOPIC,
        TopicCatalog.OTLP_SPANS.partitions(), gatewayJvm);
  }

  private VsCollectorGatewayBenchmark() {}
}
