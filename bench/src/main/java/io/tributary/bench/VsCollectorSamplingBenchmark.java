package io.tributary.bench;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.processors.PipelineConfig;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tail sampling, Tributary against the OpenTelemetry Collector, on the same preloaded {@code otlp_spans}
 * (traces of 5-50 spans, 20 attributes, some slow, some with errors, some with a priced LLM call) with
 * the same policies (Tributary's shipped ones: errors, latency >= 5 s, LLM cost >= $1, 10%
 * probabilistic) and the same decision wait, each reading with its own consumer group and writing the
 * kept spans to a topic. Reports for each side spans/s, CPU-seconds per million spans and peak resident
 * memory of its processes (the Collector side is two processes, summed: see {@link SamplerSide}), the
 * broker's CPU apart, and the traces each kept against what its policies must keep.
 *
 * <p>Both sides first read warm-up traces loaded ahead of the measured ones in the same topic (the JIT
 * compiles Tributary's code, as in a long-running processor); the timed part runs from the moment a
 * side's group committed the last warm-up record of every partition until it committed the end.
 *
 * <p>{@code --crash true} adds a run per side on a fresh broker that SIGKILLs the side halfway through
 * the measured traces and restarts it, then counts kept traces that end incomplete or missing.
 * {@code --memory-traces N} adds, on a fresh broker, N traces of 2 spans waiting for a decision (decision
 * wait 1 h) in each side: resident memory, then what each still holds after a SIGKILL and a restart.
 *
 * <p>Usage: {@code bench/run vs-collector-sampling [--spans N] [--warmup-spans W] [--decision-wait 5s]
 * [--threads T] [--heap 512m] [--crash true] [--crash-spans N] [--memory-traces N] [--tributary-jar PATH]}
 */
public final class VsCollectorSamplingBenchmark {

  static final String NAME = "vs-collector-sampling";
  private static final String COLLECTOR_OUTPUT = "bench.collector.kept";
  private static final String COLLECTOR_GROUP = "bench-collector-sampling";
  /** One span in 1,000 an error, one trace in 50 slow, one in 20 with an LLM call, a quarter of those $1 or more. */
  private static final SpanBatchFactory.SamplingMix MIX = new SpanBatchFactory.SamplingMix(1000, 50, 20, 4);

  /**
   * Tributary's pipeline with nothing but what the Collector's chain does: redaction with no rule,
   * no enrichment, no span metrics; the shipped sampling policies (the file leaves them as shipped).
   */
  private static final String TRIBUTARY_PIPELINE = """
      %s
      sampling:
        decision-wait: %s
      """;

  private static final String TRIBUTARY_PLAIN = """
      redaction:
        default-drop-keys: false
        patterns: {jwt: false, bearer: false, gcp-api-key: false, aws-access-key: false, aws-secret-key: false,
                   email: false, card: false, ipv6: false, ipv4: false}
      enrichment:
        services: {enabled: false}
        llm-cost: {enabled: false}
      span-metrics:
        enabled: false
      """;

  /** The redaction variant: the shipped redaction rules and span metrics (enrichment still off, as in the Collector). */
  private static final String TRIBUTARY_REDACT_AND_COUNT = """
      enrichment:
        services: {enabled: false}
        llm-cost: {enabled: false}
      """;

  /** The same policies in the Collector's tail_sampling processor. */
  private static final String COLLECTOR_TAIL_SAMPLING = """
      tail_sampling:
        decision_wait: %s
        num_traces: %d
        policies:
          - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
          - { name: slow, type: latency, latency: { threshold_ms: 5000 } }
          # numeric_attribute reads integers only; the cost is a double, so an OTTL condition on the span.
          - name: llm-cost
            type: ottl_condition
            ottl_condition: { error_mode: ignore, span: ['attributes["%s"] >= 1.0'] }
          - { name: probabilistic, type: probabilistic, probabilistic: { sampling_percentage: 10 } }
      """;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = GatewayBenchmark.Args.parse(args);
    long spans = Long.parseLong(opts.getOrDefault("spans", "1000000"));
    long warmupSpans = Long.parseLong(opts.getOrDefault("warmup-spans", "300000"));
    Duration wait = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("decision-wait", "5s").replace("s", "")));
    int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
    String heap = opts.getOrDefault("heap", "512m");
    boolean crash = Boolean.parseBoolean(opts.getOrDefault("crash", "false"));
    long crashSpans = Long.parseLong(opts.getOrDefault("crash-spans", Long.toString(spans / 2)));
    long memoryTraces = Long.parseLong(opts.getOrDefault("memory-traces", "0"));
    Path jar = Path.of(opts.getOrDefault("tributary-jar", "platform/target/tributary.jar"));
    Path results = Path.of(opts.getOrDefault("results", "bench/RESULTS.md"));
    // --variant redaction (bench/run vs-collector-sampling-redaction): both sides also redact (shipped
    // rules) and count span metrics before sampling; its own section and rows in RESULTS.md.
    boolean redactAndCount = opts.getOrDefault("variant", "plain").equals("redaction");
    String name = redactAndCount ? NAME + "-redaction" : NAME;
    StringBuilder command = new StringBuilder("bench/run " + name);
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].equals("--variant")) {
        command.append(' ').append(args[i]).append(' ').append(args[i + 1]);
      }
    }
    String tributaryYaml = TRIBUTARY_PIPELINE.formatted(redactAndCount ? TRIBUTARY_REDACT_AND_COUNT : TRIBUTARY_PLAIN,
        wait.toSeconds() + "s");
    PipelineConfig.parse(tributaryYaml, "bench", System::getenv); // fails here, not in the child, if invalid

    Throughput throughput = throughput(spans, warmupSpans, wait, false, jar, tributaryYaml, redactAndCount, threads,
        heap);
    Throughput crashed = crash
        ? throughput(crashSpans, warmupSpans, wait, true, jar, tributaryYaml, redactAndCount, threads, heap)
        : null;
    // Written before the memory part, which takes longest, and again after it.
    write(results, name, command.toString(), redactAndCount, wait, threads, heap, throughput, crashed, List.of());
    if (memoryTraces > 0) {
      List<Memory> memory = memory(memoryTraces, jar, threads, heap);
      write(results, name, command.toString(), redactAndCount, wait, threads, heap, throughput, crashed, memory);
    }
  }

  private static void write(Path results, String name, String command, boolean redactAndCount, Duration wait,
      int threads, String heap, Throughput throughput, Throughput crashed, List<Memory> memory) throws Exception {
    String report = report(command, redactAndCount, wait, threads, heap, throughput, crashed, memory);
    System.out.println(report);
    Report.write(results, name, report);
    PeerSummary.write(results, name, command, summaryRows(throughput, crashed, memory, redactAndCount));
    System.err.println("Wrote " + results);
  }

  /** Both sides over the same topic; with {@code crash}, each is killed and restarted halfway. */
  record Throughput(KeptTraces expected, TraceLoader.Loaded warmup, TraceLoader.Loaded measured, Measured tributary, Measured collector,
      KeptTraces.Verdict tributaryKept, KeptTraces.Verdict collectorKept, long disagreements) {}

  private static Throughput throughput(long spans, long warmupSpans, Duration wait, boolean crash, Path jar,
      String tributaryYaml, boolean redactAndCount, int threads, String heap) throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      String bootstrap = kafka.bootstrapServers();
      TopicInstaller.builder().admin(admin).build().ensure(TopicCatalog.ALL);
      createCollectorTopics(admin);
      String input = TopicCatalog.OTLP_SPANS.name();
      KeptTraces expected = new KeptTraces();
      System.err.printf("%sLoading %,d warm-up and %,d measured spans into %s...%n", crash ? "Crash run. " : "",
          warmupSpans, spans, input);
      TraceLoader.Loaded warmup = TraceLoader.load(bootstrap, input, new SpanBatchFactory(3, 0, 5, 50, MIX), warmupSpans,
          Long.MAX_VALUE, expected::add);
      Map<TopicPartition, Long> warm = endOffsets(admin, input);
      TraceLoader.Loaded measured = TraceLoader.load(bootstrap, input, new SpanBatchFactory(7, 0, 5, 50, MIX), spans,
          Long.MAX_VALUE, expected::add);
      Map<TopicPartition, Long> end = endOffsets(admin, input);
      System.err.printf("Loaded %,d traces; %,d of them kept by a deterministic policy%n", expected.traces(),
          expected.deterministicTraces());

      Measured tributary;
      try (SamplerSide side = SamplerSide.tributary(jar, bootstrap, tributaryYaml, threads, heap)) {
        tributary = measure(side, admin, input, warm, end, wait, crash);
      }
      Measured collector;
      try (SamplerSide side = SamplerSide.collector(bootstrap, input, COLLECTOR_OUTPUT, COLLECTOR_GROUP,
          COLLECTOR_TAIL_SAMPLING.formatted(wait.toSeconds() + "s", 1_000_000, SpanBatchFactory.COST_ATTRIBUTE),
          redactAndCount)) {
        collector = measure(side, admin, input, warm, end, wait, crash);
      }
      Map<String, Integer> tributaryKept = KeptTraces.readTributary(bootstrap, TopicCatalog.SPANS.name());
      Map<String, Integer> collectorKept = KeptTraces.readCollector(bootstrap, COLLECTOR_OUTPUT);
      return new Throughput(expected, warmup, measured, tributary, collector,
          expected.verdict(tributaryKept, KeptTraces::tributaryProbabilistic),
          expected.verdict(collectorKept, KeptTraces::collectorProbabilistic),
          expected.deterministicDisagreements(tributaryKept, collectorKept));
    }
  }

  /**
   * One side's run: the timed part (warm-up end to input end, by its group's committed offsets), its
   * processes' CPU meanwhile, the broker's (this JVM's) CPU meanwhile, and their peak resident memory
   * once the output stopped growing (every trace decided).
   */
  record Measured(double seconds, double cpuSeconds, double brokerCpuSeconds, long peakRssBytes, int processes) {}

  private static Measured measure(SamplerSide side, Admin admin, String input, Map<TopicPartition, Long> warm,
      Map<TopicPartition, Long> end, Duration wait, boolean crash) throws Exception {
    System.err.printf("%s%s...%n", side.name(), crash ? " (killed and restarted halfway)" : "");
    side.start();
    awaitCommitted(admin, side, input, warm);
    long t1 = System.nanoTime();
    List<ProcessStats.Sample> s1 = samples(side.pids());
    ProcessStats.Sample b1 = ProcessStats.self();
    if (crash) {
      Map<TopicPartition, Long> half = new HashMap<>();
      warm.forEach((tp, w) -> half.put(tp, w + (end.get(tp) - w) / 2));
      awaitCommitted(admin, side, input, half);
      System.err.printf("  SIGKILL %s %s and restart%n", side.name(), side.pids());
      side.kill();
      side.start();
    }
    awaitCommitted(admin, side, input, end);
    long t2 = System.nanoTime();
    List<ProcessStats.Sample> s2 = samples(side.pids());
    ProcessStats.Sample b2 = ProcessStats.self();
    awaitSettled(admin, side.output(), wait);
    List<ProcessStats.Sample> s3 = samples(side.pids());
    double cpu = 0;
    long peak = 0;
    for (int i = 0; i < s2.size(); i++) {
      cpu += crash ? Double.NaN : s2.get(i).cpuSecondsSince(s1.get(i));
      peak += s3.get(i).peakRssBytes();
    }
    side.stop();
    return new Measured((t2 - t1) / 1e9, cpu, b2.cpuSecondsSince(b1), peak, s3.size());
  }

  /** Resident memory with {@code traces} traces waiting, and what each side holds after a SIGKILL and a restart. */
  record Memory(String side, long traces, long waiting, long rssBytes, long peakRssBytes, long waitingAfterRestart,
      double restartSeconds) {}

  private static List<Memory> memory(long traces, Path jar, int threads, String heap) throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      String bootstrap = kafka.bootstrapServers();
      TopicInstaller.builder().admin(admin).build().ensure(TopicCatalog.ALL);
      createCollectorTopics(admin);
      String input = TopicCatalog.OTLP_SPANS.name();
      System.err.printf("Memory: loading %,d traces of 2 spans into %s...%n", traces, input);
      TraceLoader.load(bootstrap, input, new SpanBatchFactory(11, 0, 2, 2), Long.MAX_VALUE, traces);
      Map<TopicPartition, Long> end = endOffsets(admin, input);
      List<Memory> result = new ArrayList<>();
      // Decision wait longer than the run, so every trace waits; the Collector may hold them all.
      try (SamplerSide side = SamplerSide.tributary(jar, bootstrap, TRIBUTARY_PIPELINE.formatted(TRIBUTARY_PLAIN, "1h"),
          threads, heap)) {
        result.add(holding(side, admin, input, end, traces));
      }
      try (SamplerSide side = SamplerSide.collector(bootstrap, input, COLLECTOR_OUTPUT, COLLECTOR_GROUP,
          COLLECTOR_TAIL_SAMPLING.formatted("1h", traces * 2, SpanBatchFactory.COST_ATTRIBUTE), false)) {
        result.add(holding(side, admin, input, end, traces));
      }
      return result;
    }
  }

  private static Memory holding(SamplerSide side, Admin admin, String input, Map<TopicPartition, Long> end, long traces)
      throws Exception {
    System.err.printf("Memory: %s holding %,d traces...%n", side.name(), traces);
    side.start();
    awaitCommitted(admin, side, input, end);
    long waiting = awaitInFlight(side, traces, Duration.ofSeconds(60));
    List<ProcessStats.Sample> held = samples(side.pids());
    long rss = held.stream().mapToLong(ProcessStats.Sample::rssBytes).sum();
    long peak = held.stream().mapToLong(ProcessStats.Sample::peakRssBytes).sum();
    System.err.printf("  %s: %,d waiting, RSS %s; SIGKILL and restart%n", side.name(), waiting, ProcessStats.mib(rss));
    side.kill();
    long restart = System.nanoTime();
    side.start();
    double restartSeconds = (System.nanoTime() - restart) / 1e9;
    // A restarted Tributary counts the traces restored from its changelogs; a Collector starts empty.
    long after = awaitInFlight(side, traces, Duration.ofSeconds(30));
    side.stop();
    return new Memory(side.name(), traces, waiting, rss, peak, after, restartSeconds);
  }

  /** Polls the side's in-flight gauge until it reaches {@code traces} or stops moving for 5 s within {@code timeout}. */
  private static long awaitInFlight(SamplerSide side, long traces, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = -2;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = side.inFlight();
      if (now >= traces) {
        return now;
      }
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > Duration.ofSeconds(5).toNanos()) {
        return now;
      }
      Thread.sleep(500); // polling a gauge with a deadline
    }
    return last;
  }

  /** The Collector's output topics: kept spans, and span metrics in the redaction variant. */
  private static void createCollectorTopics(Admin admin) throws Exception {
    int partitions = TopicCatalog.SPANS.partitions();
    admin.createTopics(List.of(new NewTopic(COLLECTOR_OUTPUT, partitions, (short) 1),
        new NewTopic(COLLECTOR_OUTPUT + ".metrics", partitions, (short) 1))).all().get();
  }

  private static List<ProcessStats.Sample> samples(List<Long> pids) {
    return pids.stream().map(ProcessStats::of).toList();
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < TopicCatalog.OTLP_SPANS.partitions(); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> end = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
    return end;
  }

  /** Blocks until the side's group committed at least {@code target} on every partition. */
  private static void awaitCommitted(Admin admin, SamplerSide side, String topic, Map<TopicPartition, Long> target)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    long lastReport = System.nanoTime();
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(side.group())
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      long behind = 0;
      for (Map.Entry<TopicPartition, Long> t : target.entrySet()) {
        OffsetAndMetadata c = committed.get(t.getKey());
        behind += Math.max(0, t.getValue() - (c == null ? 0 : c.offset()));
      }
      if (behind == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(side.name() + " did not commit " + target + " of " + topic
            + " within 20 minutes; logs:\n" + side.logTails());
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        System.err.printf("  %s: %,d records to go%n", side.name(), behind);
        lastReport = System.nanoTime();
      }
      Thread.sleep(100); // polling the broker with a deadline
    }
  }

  /** Blocks until the output topic has not grown for 3 s, at least the decision wait plus 2 s after the input ended. */
  private static void awaitSettled(Admin admin, String output, Duration wait) throws Exception {
    long earliest = System.nanoTime() + wait.plusSeconds(2).toNanos();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long records = ConsumedOffsets.records(admin, output);
      if (records != last) {
        last = records;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() > earliest && System.nanoTime() - lastChange > 3_000_000_000L) {
        return;
      }
      Thread.sleep(250); // polling the broker with a deadline
    }
    throw new IllegalStateException(output + " still growing 5 minutes after the input was consumed");
  }

  // ---- report ----

  private static String report(String command, boolean redactAndCount, Duration wait, int threads, String heap,
      Throughput t, Throughput crashed, List<Memory> memory) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, """
        ## Tributary vs the Collector: tail sampling%s (otlp_spans -> kept spans in Kafka)

        Run on %s, %d cores, Java %d. Command: `%s`

        | figure | Tributary | Collector | Tributary's advantage (higher: better for Tributary) |
        |---|---|---|---|
        """, redactAndCount ? " with redaction and span metrics" : "", LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(), command));
    Measured tr = t.tributary();
    Measured co = t.collector();
    long n = t.measured().spans();
    row(b, "spans/s (timed part)", rate(n, tr.seconds()), rate(n, co.seconds()), ratio(co.seconds(), tr.seconds()));
    row(b, "CPU-seconds per million spans (the side's processes)", fmt(ProcessStats.cpuSecondsPerMillion(tr.cpuSeconds(), n)),
        fmt(ProcessStats.cpuSecondsPerMillion(co.cpuSeconds(), n)), ratio(co.cpuSeconds(), tr.cpuSeconds()));
    row(b, "broker CPU-seconds per million spans meanwhile (reported apart)",
        fmt(ProcessStats.cpuSecondsPerMillion(tr.brokerCpuSeconds(), n)),
        fmt(ProcessStats.cpuSecondsPerMillion(co.brokerCpuSeconds(), n)), ratio(co.brokerCpuSeconds(), tr.brokerCpuSeconds()));
    row(b, "CPU-seconds per million spans, the side's processes and the broker (the machine's cost)",
        fmt(ProcessStats.cpuSecondsPerMillion(tr.cpuSeconds() + tr.brokerCpuSeconds(), n)),
        fmt(ProcessStats.cpuSecondsPerMillion(co.cpuSeconds() + co.brokerCpuSeconds(), n)),
        ratio(co.cpuSeconds() + co.brokerCpuSeconds(), tr.cpuSeconds() + tr.brokerCpuSeconds()));
    row(b, "peak resident memory (sum of the side's processes)", ProcessStats.mib(tr.peakRssBytes()) + " (1 JVM, -Xmx" + heap + ")",
        ProcessStats.mib(co.peakRssBytes()) + " (" + co.processes() + " processes)", ratio(co.peakRssBytes(), tr.peakRssBytes()));
    verdictRows(b, t);
    b.append(String.format(Locale.ROOT, """

        %,d warm-up and %,d measured traces (%,d measured spans, %,d MiB of OTLP protobuf, 20 attributes per span;
        one span in 1,000 with status ERROR, one trace in 50 lasting 5.5-9 s, one in 20 with one LLM call carrying
        `%s`, a quarter of those $1-3) preloaded into otlp_spans (6 partitions); each side reads the topic from
        the start with its own consumer group, the warm-up traces first; the timed part runs from the group having
        committed the last warm-up record of every partition to it having committed the end. Decision wait %d s on
        both sides; CPU and peak RSS from /proc (user + system time of each process, VmHWM), the broker (in the
        benchmark's JVM) apart.

        - **Tributary**: `tributary.jar processor traces` in its own JVM (-Xmx%s, ParallelGC, %d stream threads),
          exactly_once_v2: the input offsets, the state changes (changelogged RocksDB stores) and the kept spans
          are committed in one Kafka transaction. Its pipeline file turns off what the Collector does not do here
          (redaction rules, enrichment, span metrics); it still normalizes each span to Avro, its output format.
          Shipped sampling policies (errors, slow >= 5 s, llm-cost >= $1 summed over the trace, 10%% probabilistic
          on the trace id's randomness).
        - **Collector**: no release built here has both the kafka components and tail_sampling
          (interop/peers), so the side is two processes chained over OTLP/gRPC on localhost: otelcol-kafka
          v0.165 (kafka receiver -> otlp exporter; otlp receiver -> kafka exporter, partition_traces_by_id,
          murmur2, acks=all) and otelcol-sampling v0.161 (otlp receiver -> tail_sampling -> otlp exporter),
          both hops blocking when their queue is full; their CPU and peak RSS are summed (the peaks may come at
          different moments, so the sum is an upper bound). Policies: status_code ERROR, latency 5000 ms,
          ottl_condition `attributes["%s"] >= 1.0` on a span (numeric_attribute reads integers only; one
          priced call per trace, so a per-span and a per-trace threshold keep the same traces), probabilistic
          10%% (FNV-1a of the trace id with its default salt). **Durability**: the kafka receiver marks a record
          consumed once the pipeline accepted it (`message_marking.after: true`), but tail_sampling accepts a trace
          as soon as it holds it in memory: a crash loses every trace waiting for its decision (up to a decision
          wait of traffic) and what sits in the exporters' in-memory queues, and a restart re-reads at most the
          records not yet committed (at-least-once for those, duplicates possible). Not exactly-once.

        Each side's expected kept set is exact: deterministic policies from the traces as loaded, the
        probabilistic policy from each side's own function of the trace id; the two probabilistic functions
        differ, so only the deterministic part must be the same traces on both sides.
        """, t.warmup().traces(), t.measured().traces(), n, t.measured().bytes() / (1024 * 1024),
        SpanBatchFactory.COST_ATTRIBUTE, wait.toSeconds(), heap, threads, SpanBatchFactory.COST_ATTRIBUTE));
    if (redactAndCount) {
      b.append("""

          **This variant**: both sides also redact and count span metrics before sampling. Tributary with its
          shipped redaction rules and span metrics (15 s flush, to telemetry.metrics; enrichment still off); the
          Collector with the redaction processor (the same value patterns in RE2, without Tributary's checks such
          as Luhn; the keys Tributary drops are masked: `SamplerSide.COLLECTOR_REDACTION`) and the spanmetrics
          connector (15 s, to bench.collector.kept.metrics), both in otelcol-kafka ahead of the sampling process.
          """);
    }
    if (crashed != null) {
      b.append("\n### Crash: each side SIGKILLed halfway through the measured traces, then restarted\n\n")
          .append("| figure | Tributary | Collector | |\n|---|---|---|---|\n");
      verdictRows(b, crashed);
      b.append(String.format(Locale.ROOT, "%nSame data shape, %,d measured spans, on a fresh broker; kill when the side's "
          + "group had committed half of the measured records of every partition; counts over all traces loaded.%n",
          crashed.measured().spans()));
    }
    if (!memory.isEmpty()) {
      Memory tm = memory.get(0);
      Memory cm = memory.get(1);
      b.append(String.format(Locale.ROOT, """

          ### Memory: %,d traces waiting for a decision

          | figure | Tributary | Collector | Collector / Tributary |
          |---|---|---|---|
          | traces waiting (the side's own gauge) | %,d | %,d | |
          | resident memory with them waiting (sum of processes, VmRSS) | %s | %s | %s |
          | peak resident memory so far (VmHWM) | %s | %s | %s |
          | traces still waiting after SIGKILL and restart | %,d | %,d | |
          | restart until ready | %.1f s | %.1f s | |

          Traces of 2 spans (20 attributes each), decision wait 1 h on both sides (Collector num_traces %,d), read
          from otlp_spans on a fresh broker. Tributary (-Xmx%s) holds them in changelogged RocksDB stores: after a
          SIGKILL it restores them from the changelogs and decides them when due. The Collector holds them in
          memory only; its kafka receiver committed their offsets once tail_sampling accepted them, so after a
          SIGKILL they are gone and nothing re-reads them.
          """, tm.traces(), tm.waiting(), cm.waiting(), ProcessStats.mib(tm.rssBytes()), ProcessStats.mib(cm.rssBytes()),
          ratio(cm.rssBytes(), tm.rssBytes()), ProcessStats.mib(tm.peakRssBytes()), ProcessStats.mib(cm.peakRssBytes()),
          ratio(cm.peakRssBytes(), tm.peakRssBytes()), tm.waitingAfterRestart(), cm.waitingAfterRestart(),
          tm.restartSeconds(), cm.restartSeconds(), cm.traces() * 2, heap));
    }
    return b.toString();
  }

  private static void verdictRows(StringBuilder b, Throughput t) {
    KeptTraces.Verdict tv = t.tributaryKept();
    KeptTraces.Verdict cv = t.collectorKept();
    long det = t.expected().deterministicTraces();
    row(b, "traces kept (of " + String.format(Locale.ROOT, "%,d", t.expected().traces()) + " loaded)",
        count(tv.kept()), count(cv.kept()), "");
    row(b, "kept by a deterministic policy (must be " + count(det) + ")", count(tv.deterministicKept()),
        count(cv.deterministicKept()), t.disagreements() == 0 ? "same traces" : t.disagreements() + " traces differ");
    row(b, "kept by the probabilistic policy alone", tv.probabilisticShare(), cv.probabilisticShare(), "");
    row(b, "kept traces complete / incomplete / duplicated", tv.complete() + " / " + tv.incomplete() + " / " + tv.duplicated(),
        cv.complete() + " / " + cv.incomplete() + " / " + cv.duplicated(), "");
    row(b, "traces its policies keep, missing / kept though they should not be", tv.missing() + " / " + tv.unexpected(),
        cv.missing() + " / " + cv.unexpected(), "");
    for (String e : tv.examples()) {
      System.err.println("  Tributary: " + e);
    }
    for (String e : cv.examples()) {
      System.err.println("  Collector: " + e);
    }
  }

  private static List<PeerSummary.Row> summaryRows(Throughput t, Throughput crashed, List<Memory> memory,
      boolean redactAndCount) {
    List<PeerSummary.Row> rows = new ArrayList<>();
    String what = redactAndCount ? "tail sampling with redaction and span metrics" : "tail sampling";
    long n = t.measured().spans();
    String lost = lossNote(t);
    Measured tr = t.tributary();
    Measured co = t.collector();
    String goal = ">= 1.0x the Collector (aim 2x), durable and exactly-once";
    if (lost == null) {
      rows.add(PeerSummary.Row.of(what + " spans/s (shipped policies, same decision wait)", rate(n, tr.seconds()),
          rate(n, co.seconds()) + " (2 processes)", co.seconds() / tr.seconds(), goal));
      rows.add(PeerSummary.Row.of(what + " CPU-s per million spans (side's processes)",
          fmt(ProcessStats.cpuSecondsPerMillion(tr.cpuSeconds(), n)), fmt(ProcessStats.cpuSecondsPerMillion(co.cpuSeconds(), n)),
          co.cpuSeconds() / tr.cpuSeconds(), "higher is better"));
      rows.add(PeerSummary.Row.of(what + " CPU-s per million spans (side's processes + broker)",
          fmt(ProcessStats.cpuSecondsPerMillion(tr.cpuSeconds() + tr.brokerCpuSeconds(), n)),
          fmt(ProcessStats.cpuSecondsPerMillion(co.cpuSeconds() + co.brokerCpuSeconds(), n)),
          (co.cpuSeconds() + co.brokerCpuSeconds()) / (tr.cpuSeconds() + tr.brokerCpuSeconds()), "higher is better"));
    } else {
      rows.add(new PeerSummary.Row(what + " spans/s (shipped policies, same decision wait)", rate(n, tr.seconds()),
          rate(n, co.seconds()), "no ratio: " + lost, goal));
    }
    rows.add(PeerSummary.Row.of(what + " peak RSS", ProcessStats.mib(tr.peakRssBytes()),
        ProcessStats.mib(co.peakRssBytes()), (double) co.peakRssBytes() / tr.peakRssBytes(), "higher is better"));
    if (crashed != null) {
      KeptTraces.Verdict tv = crashed.tributaryKept();
      KeptTraces.Verdict cv = crashed.collectorKept();
      rows.add(new PeerSummary.Row("kept traces incomplete or missing after a SIGKILL halfway",
          count(tv.incomplete() + tv.missing()), count(cv.incomplete() + cv.missing()), "", "0 for Tributary"));
    }
    if (!memory.isEmpty()) {
      Memory tm = memory.get(0);
      Memory cm = memory.get(1);
      rows.add(PeerSummary.Row.of(String.format(Locale.ROOT, "RSS with %,d traces waiting for a decision", tm.traces()),
          ProcessStats.mib(tm.rssBytes()), ProcessStats.mib(cm.rssBytes()), (double) cm.rssBytes() / tm.rssBytes(),
          "higher is better"));
      rows.add(new PeerSummary.Row("of those, still waiting after SIGKILL and restart", count(tm.waitingAfterRestart()),
          count(cm.waitingAfterRestart()), "", "all, for Tributary"));
    }
    return rows;
  }

  /** Why a side's output cannot be compared (lost or duplicated spans), or null. */
  private static String lossNote(Throughput t) {
    List<String> notes = new ArrayList<>();
    for (var side : List.of(Map.entry("Tributary", t.tributaryKept()), Map.entry("the Collector", t.collectorKept()))) {
      KeptTraces.Verdict v = side.getValue();
      if (!v.exact()) {
        notes.add(String.format(Locale.ROOT, "%s: %d missing, %d incomplete, %d duplicated, %d unexpected traces",
            side.getKey(), v.missing(), v.incomplete(), v.duplicated(), v.unexpected()));
      }
    }
    return notes.isEmpty() ? null : String.join("; ", notes);
  }

  private static void row(StringBuilder b, String figure, String tributary, String collector, String ratio) {
    b.append("| ").append(figure).append(" | ").append(tributary).append(" | ").append(collector).append(" | ")
        .append(ratio).append(" |\n");
  }

  private static String rate(long items, double seconds) {
    return String.format(Locale.ROOT, "%,.0f", items / seconds);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String count(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private static String ratio(double a, double b) {
    return b == 0 || Double.isNaN(a) || Double.isNaN(b) ? "" : String.format(Locale.ROOT, "**%.2f**", a / b);
  }

  private VsCollectorSamplingBenchmark() {}
}
