package io.tributary.processors.integration;

import static io.tributary.testsupport.OtlpSamples.attribute;
import static io.tributary.testsupport.OtlpSamples.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.testsupport.TestTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tail sampling in the traces application as it runs in production (KafkaStreams, exactly-once,
 * RocksDB stores with changelogs) against a real broker: which traces come out, whole; after a
 * crash; and with the work shared by two instances. Decision waits are short (1-3 s) so the class
 * runs in well under three minutes.
 */
@ExtendWith(SharedKafkaBroker.class)
class TailSamplingIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final double SHIPPED_PERCENTAGE = 10;
  private static final long EPOCH_NANOS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
  private static final Deserializer<io.tributary.schemas.avro.Span> SPAN_DESERIALIZER =
      AvroSerde.forType(io.tributary.schemas.avro.Span.class, SerdeConfig.getDefault()).deserializer();

  @TempDir Path tempDir;

  // ---------------------------------------------------------------- tests

  @Test
  void shouldKeepEveryErrorSlowAndCostlyTraceWholeAndTenPercentOfTheRest(EmbeddedKafkaBroker kafka) throws Exception {
    Topics topics = new Topics("it-sampling-otlp", "it-sampling-spans", "it-sampling-dlq");
    PipelineConfig config = config("decision-wait: 1s"); // the shipped policies
    PipelineTopics.createMissing(kafka, TracesTopology.build(config, topics), topics, 2);
    SplittableRandom random = new SplittableRandom(20260101);
    List<TestTrace> plain = TestTrace.generate(random, 10_000, "plain", 2);
    List<TestTrace> traces = new ArrayList<>(plain);
    traces.addAll(TestTrace.generate(random, 100, "error", 3));
    traces.addAll(TestTrace.generate(random, 100, "slow", 3));
    traces.addAll(TestTrace.generate(random, 50, "costly", 2));
    traces.addAll(TestTrace.generate(random, 50, "cheap", 2));
    PipelineStats stats = new PipelineStats();

    try (KafkaStreams streams = start(kafka, topics, config, "it-sampling", tempDir.resolve("state"), stats);
        OutputReader output = new OutputReader(kafka, topics.output())) {
      produce(kafka, topics.input(), traces, 0);
      Map<String, TreeSet<String>> expected = expectedSpans(traces, SHIPPED_PERCENTAGE, 0);

      await("every trace decided and every kept span committed").atMost(TIMEOUT).until(() -> {
        output.poll();
        // >=: counters are not transactional, a retried transaction would count its decisions twice
        return decisions(stats) >= traces.size() && output.spans().size() >= expectedCount(expected);
      });
      output.readToEnd();

      assertThat(output.spanIdsByTrace()).isEqualTo(expected);
      assertThat(output.duplicates()).isEmpty();
      Map<String, String> expectedPolicies = traces.stream().filter(t -> t.expectedPolicy(SHIPPED_PERCENTAGE) != null)
          .collect(Collectors.toMap(TestTrace::traceId, t -> t.expectedPolicy(SHIPPED_PERCENTAGE)));
      assertThat(output.policyByTrace()).isEqualTo(expectedPolicies);
      assertThat(expectedPolicies.values()).contains("errors", "slow", "llm-cost", "probabilistic");
      // Error, slow and costly traces: every one kept, by its own policy.
      traces.stream().filter(t -> !t.kind().equals("plain") && !t.kind().equals("cheap")).forEach(t ->
          assertThat(output.policyByTrace().get(t.traceId())).as(t.kind()).isEqualTo(
              Map.of("error", "errors", "slow", "slow", "costly", "llm-cost").get(t.kind())));
      // The ids come from a seeded generator, so this count is fixed; the tolerance is what a correct
      // sampler meets for any seed: kept plain traces are Binomial(10,000, 0.1), whose standard
      // deviation is 30 traces (0.3 percentage points), so 10% +- 1.5 points is five deviations. A
      // sampler reading the wrong bits or comparing the wrong way is off by far more.
      long keptPlain = plain.stream().filter(t -> output.policyByTrace().containsKey(t.traceId())).count();
      assertThat(keptPlain / (double) plain.size()).isBetween(0.085, 0.115);
      assertThat(stats.sampling().tracesInFlight()).isZero();
    }
  }

  @Test
  void shouldEmitEveryKeptTraceWholeAndOnceAfterACrash(EmbeddedKafkaBroker kafka) throws Exception {
    Topics topics = new Topics("it-crash-otlp", "it-crash-spans", "it-crash-dlq");
    String yaml = """
        sampling:
          decision-wait: 4s
          check-interval: 250ms
          policies:
            - {name: errors, error: {}}
            - {name: half, probabilistic: {percentage: 50}}
        """;
    Path configFile = Files.writeString(tempDir.resolve("pipelines.yaml"), yaml);
    PipelineTopics.createMissing(kafka, TracesTopology.build(PipelineConfig.load(configFile), topics), topics, 2);
    String appId = "it-crash";
    Path stateDir = tempDir.resolve("crash-state");
    SplittableRandom random = new SplittableRandom(7);
    List<TestTrace> decidedBefore = new ArrayList<>(TestTrace.generate(random, 10, "error", 3));
    decidedBefore.addAll(TestTrace.generate(random, 20, "plain", 3));
    List<TestTrace> waiting = new ArrayList<>(TestTrace.generate(random, 10, "error", 3));
    waiting.addAll(TestTrace.generate(random, 20, "plain", 3));

    Map<String, TreeSet<String>> keptBefore = expectedSpans(decidedBefore, 50, 0);

    try (OutputReader output = new OutputReader(kafka, topics.output())) {
      Path log = tempDir.resolve("traces-app.log");
      Process app = startApp(kafka, appId, stateDir, topics, configFile, log);
      try {
        await("the traces app in its own JVM is running (log: " + log + ")").atMost(TIMEOUT)
            .until(() -> {
              assertThat(app.isAlive()).as("the traces app exited: %s", Files.readString(log)).isTrue();
              return Files.readString(log).lines().anyMatch(TracesApp.RUNNING::equals);
            });
        // Traces decided before the crash: their kept spans are out, their decisions in the changelog.
        produce(kafka, topics.input(), decidedBefore, 0);
        await("the first traces decided").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
          output.poll();
          return output.spans().size() >= expectedCount(keptBefore)
              && changelogKeys(kafka, appId, TailSampling.DECISION_STORE).containsAll(traceIds(decidedBefore));
        });
        // Traces waiting for their decision (4 s) when the app dies: in the state stores, input committed.
        produce(kafka, topics.input(), waiting, 0);
        try (Admin admin = TestClients.admin(kafka)) {
          await("the waiting traces' spans committed to the state stores").atMost(TIMEOUT)
              .until(() -> inputCommitted(admin, appId, topics.input()));
        }
      } finally {
        app.destroyForcibly(); // SIGKILL: no close, no commit; an open transaction is left to abort
        app.waitFor();
      }
      output.readToEnd();
      assertThat(output.spanIdsByTrace()).as("only the first traces were decided before the crash")
          .isEqualTo(keptBefore);

      // While the app is down, one more span arrives for every trace: late for the decided ones.
      produce(kafka, topics.input(), decidedBefore, 3);
      produce(kafka, topics.input(), waiting, 3);
      PipelineStats stats = new PipelineStats();
      try (KafkaStreams restarted = start(kafka, topics, PipelineConfig.load(configFile), appId, stateDir, stats)) {
        Map<String, TreeSet<String>> expected = new TreeMap<>(expectedSpans(decidedBefore, 50, 4));
        expected.putAll(expectedSpans(waiting, 50, 4));

        await("every kept trace whole after the restart").atMost(TIMEOUT).until(() -> {
          output.poll();
          return output.spans().size() >= expectedCount(expected) && stats.sampling().tracesInFlight() == 0
              && decisions(stats) + stats.sampling().lateSpansDropped() + stats.sampling().lateSpansKept()
                  >= waiting.size() + decidedBefore.size();
        });
        output.readToEnd();

        assertThat(output.spanIdsByTrace()).isEqualTo(expected);
        assertThat(output.duplicates()).as("no span written twice").isEmpty();
        long keptBeforeCount = decidedBefore.stream().filter(t -> t.expectedPolicy(50) != null).count();
        assertThat(stats.sampling().lateSpansKept()).as("late spans of the traces kept before the crash")
            .isGreaterThanOrEqualTo(keptBeforeCount);
        assertThat(stats.sampling().lateSpansDropped()).isGreaterThanOrEqualTo(decidedBefore.size() - keptBeforeCount);
      }
    }
  }

  @Test
  void shouldShareTheWorkBetweenTwoInstancesAndAgreeWithOne(EmbeddedKafkaBroker kafka) throws Exception {
    Topics pair = new Topics("it-pair-otlp", "it-pair-spans", "it-pair-dlq");
    Topics single = new Topics(pair.input(), "it-single-spans", "it-single-dlq");
    PipelineConfig config = config("decision-wait: 1s");
    PipelineTopics.createMissing(kafka, TracesTopology.build(config, pair), pair, 4);
    PipelineTopics.createMissing(kafka, TracesTopology.build(config, single), single, 4);
    SplittableRandom random = new SplittableRandom(99);
    List<TestTrace> traces = new ArrayList<>(TestTrace.generate(random, 1_900, "plain", 3));
    traces.addAll(TestTrace.generate(random, 50, "error", 3));
    traces.addAll(TestTrace.generate(random, 50, "slow", 2));
    PipelineStats first = new PipelineStats();
    PipelineStats second = new PipelineStats();
    PipelineStats alone = new PipelineStats();

    try (KafkaStreams one = start(kafka, pair, config, "it-pair", tempDir.resolve("pair-1"), first);
        KafkaStreams two = start(kafka, pair, config, "it-pair", tempDir.resolve("pair-2"), second);
        KafkaStreams solo = start(kafka, single, config, "it-single", tempDir.resolve("single"), alone);
        OutputReader pairOutput = new OutputReader(kafka, pair.output());
        OutputReader singleOutput = new OutputReader(kafka, single.output())) {
      await("both instances of the pair own tasks").atMost(TIMEOUT).until(() ->
          ownsTasks(one) && ownsTasks(two) && ownsTasks(solo));
      produce(kafka, pair.input(), traces, 0);
      Map<String, TreeSet<String>> expected = expectedSpans(traces, SHIPPED_PERCENTAGE, 0);

      await("every trace decided by the pair and by the single instance").atMost(TIMEOUT).until(() -> {
        pairOutput.poll();
        singleOutput.poll();
        return decisions(first) + decisions(second) >= traces.size() && decisions(alone) >= traces.size()
            && pairOutput.spans().size() >= expectedCount(expected)
            && singleOutput.spans().size() >= expectedCount(expected);
      });
      pairOutput.readToEnd();
      singleOutput.readToEnd();

      assertThat(decisions(first)).as("decided by the first instance").isPositive();
      assertThat(decisions(second)).as("decided by the second instance").isPositive();
      assertThat(pairOutput.spanIdsByTrace()).isEqualTo(singleOutput.spanIdsByTrace()).isEqualTo(expected);
      assertThat(pairOutput.policyByTrace()).isEqualTo(singleOutput.policyByTrace());
      assertThat(pairOutput.duplicates()).isEmpty();
      assertThat(singleOutput.duplicates()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- the application

  private static KafkaStreams start(EmbeddedKafkaBroker kafka, Topics topics, PipelineConfig config,
      String applicationId, Path stateDir, PipelineStats stats) {
    KafkaStreams streams = new KafkaStreams(TracesTopology.build(config, topics, SerdeConfig.getDefault(), stats),
        TracesApp.streamsProps(kafka.bootstrapServers(), applicationId, stateDir));
    streams.start();
    return streams;
  }

  /** The shipped configuration with {@code sampling} settings added (YAML, one per line). */
  private static PipelineConfig config(String... samplingLines) {
    StringBuilder yaml = new StringBuilder("sampling:\n  check-interval: 250ms\n");
    for (String line : samplingLines) {
      yaml.append("  ").append(line).append('\n');
    }
    return PipelineConfig.parse(yaml.toString(), "test", name -> null);
  }

  private static boolean ownsTasks(KafkaStreams streams) {
    return streams.state() == KafkaStreams.State.RUNNING
        && streams.metadataForLocalThreads().stream().map(ThreadMetadata::activeTasks).mapToInt(Set::size).sum() > 0;
  }

  private static long decisions(PipelineStats stats) {
    return stats.sampling().decisions().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Starts {@link TracesApp} in a JVM of its own, on this test's classpath, output to {@code log}. */
  private static Process startApp(EmbeddedKafkaBroker kafka, String appId, Path stateDir, Topics topics,
      Path configFile, Path log) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath, TracesApp.class.getName(),
        kafka.bootstrapServers(), appId, stateDir.toString(), topics.input(), topics.output(), topics.deadLetter(),
        configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  // ---------------------------------------------------------------- Kafka

  /** Spans {@code fromSpan} onwards of each trace (all its spans, or its late one), one request per trace. */
  private static void produce(EmbeddedKafkaBroker kafka, String topic, List<TestTrace> traces, int fromSpan)
      throws ExecutionException, InterruptedException {
    try (KafkaProducer<String, byte[]> producer = TestClients.rawProducer(kafka)) {
      for (TestTrace trace : traces) {
        int toSpan = fromSpan == 0 ? trace.spans() : fromSpan + 1;
        producer.send(new ProducerRecord<>(topic, trace.traceId(), trace.request(fromSpan, toSpan).toByteArray()));
      }
      producer.flush();
    }
  }

  /** Whether the application committed (transactionally) every input record so far. */
  private static boolean inputCommitted(Admin admin, String appId, String input) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId,
        new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata().get();
    int partitions = admin.describeTopics(List.of(input)).allTopicNames().get().get(input).partitions().size();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(input, p), OffsetSpec.latest());
    }
    var ends = admin.listOffsets(latest).all().get();
    return ends.entrySet().stream().allMatch(end -> committed.get(end.getKey()) != null
        && committed.get(end.getKey()).offset() >= end.getValue().offset());
  }

  /** Trace ids (hex) with a committed entry in a store's changelog topic. */
  private static Set<String> changelogKeys(EmbeddedKafkaBroker kafka, String appId, String store) {
    String topic = appId + "-" + store + "-changelog";
    Set<String> keys = new TreeSet<>();
    TestTopics.readAll(kafka.bootstrapServers(), topic).forEach(r -> keys.add(HexFormat.of().formatHex(r.key())));
    return keys;
  }

  /** Reads an output topic from the start, committed records only, keeping every record it sees. */
  private static final class OutputReader implements AutoCloseable {
    private final KafkaConsumer<String, io.tributary.schemas.avro.Span> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, io.tributary.schemas.avro.Span>> records = new ArrayList<>();

    OutputReader(EmbeddedKafkaBroker kafka, String topic) {
      consumer = new KafkaConsumer<>(TestClients.readCommitted(kafka), new StringDeserializer(), SPAN_DESERIALIZER);
      partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    void poll() {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }

    /** Up to the last stable offset of every partition: everything committed by now. */
    void readToEnd() {
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      await("reading " + partitions + " to " + ends).atMost(TIMEOUT).until(() -> {
        poll();
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
      });
    }

    List<io.tributary.schemas.avro.Span> spans() {
      return records.stream().map(ConsumerRecord::value).toList();
    }

    Map<String, TreeSet<String>> spanIdsByTrace() {
      Map<String, TreeSet<String>> byTrace = new TreeMap<>();
      for (ConsumerRecord<String, io.tributary.schemas.avro.Span> record : records) {
        assertThat(record.key()).isEqualTo(record.value().getTraceId());
        byTrace.computeIfAbsent(record.key(), k -> new TreeSet<>()).add(record.value().getSpanId());
      }
      return byTrace;
    }

    Map<String, String> policyByTrace() {
      Map<String, String> policies = new TreeMap<>();
      spans().forEach(span -> policies.merge(span.getTraceId(), String.valueOf(span.getSamplingPolicy()),
          (a, b) -> a.equals(b) ? a : a + "|" + b));
      return policies;
    }

    /** Spans written more than once: "trace/span" -> times. */
    Map<String, Long> duplicates() {
      return spans().stream().collect(Collectors.groupingBy(s -> s.getTraceId() + "/" + s.getSpanId(),
              Collectors.counting())).entrySet().stream().filter(e -> e.getValue() > 1)
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  // ---------------------------------------------------------------- traces

  private static List<String> traceIds(List<TestTrace> traces) {
    return traces.stream().map(TestTrace::traceId).toList();
  }

  /** Trace id -> span ids of the traces {@code percentage} keeps with the policies used here, with {@code spans} each (or all). */
  private static Map<String, TreeSet<String>> expectedSpans(List<TestTrace> traces, double percentage, int spans) {
    Map<String, TreeSet<String>> expected = new TreeMap<>();
    for (TestTrace trace : traces) {
      if (trace.expectedPolicy(percentage) != null) {
        TreeSet<String> ids = new TreeSet<>();
        for (int i = 0; i < (spans == 0 ? trace.spans() : spans); i++) {
          ids.add(TestTrace.spanId(i));
        }
        expected.put(trace.traceId(), ids);
      }
    }
    return expected;
  }

  private static int expectedCount(Map<String, TreeSet<String>> expected) {
    return expected.values().stream().mapToInt(TreeSet::size).sum();
  }

  /**
   * A trace the test sends: a root span and children of one service; {@code kind} says what makes it
   * special: {@code error} (the root failed), {@code slow} (a 6 s root), {@code costly} ($1.20 of LLM
   * cost on the root), {@code cheap} ($0.30), or {@code plain}.
   */
  record TestTrace(String traceId, String kind, int spans) {

    static List<TestTrace> generate(SplittableRandom random, int count, String kind, int spans) {
      List<TestTrace> traces = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        id[0] |= 1; // never all zero
        traces.add(new TestTrace(HexFormat.of().formatHex(id), kind, spans));
      }
      return traces;
    }

    static String spanId(int index) {
      return String.format("%016x", index + 1);
    }

    /**
     * The policy that keeps it under errors, slow (5 s), llm-cost ($1) and a consistent
     * {@code percentage}, in that order; null when dropped. The probabilistic rule, as W3C trace
     * context randomness defines it: the low 56 bits of the id against (1 - p) * 2^56.
     */
    String expectedPolicy(double percentage) {
      if (kind.equals("error")) {
        return "errors";
      }
      if (kind.equals("slow")) {
        return "slow";
      }
      if (kind.equals("costly")) {
        return "llm-cost";
      }
      long randomness = Long.parseLong(traceId.substring(18), 16);
      if (randomness >= (1 - percentage / 100) * 0x1p56) {
        return percentage == SHIPPED_PERCENTAGE ? "probabilistic" : "half"; // "half": the crash test's policy
      }
      return null;
    }

    ExportTraceServiceRequest request(int fromSpan, int toSpan) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      long start = EPOCH_NANOS;
      for (int i = fromSpan; i < toSpan; i++) {
        Span.Builder span = Span.newBuilder().setTraceId(id(traceId)).setSpanId(id(spanId(i))).setName("op-" + i)
            .setKind(Span.SpanKind.SPAN_KIND_SERVER);
        if (i == 0) {
          span.setStartTimeUnixNano(start).setEndTimeUnixNano(start + (kind.equals("slow") ? 6_000 : 200) * 1_000_000L);
          if (kind.equals("error")) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
          }
          if (kind.equals("costly") || kind.equals("cheap")) {
            span.addAttributes(attribute(SamplingConfig.DEFAULT_COST_ATTRIBUTE,
                AnyValue.newBuilder().setDoubleValue(kind.equals("costly") ? 1.2 : 0.3).build()));
          }
        } else {
          span.setParentSpanId(id(spanId(0))).setStartTimeUnixNano(start + 10_000_000L * i)
              .setEndTimeUnixNano(start + 10_000_000L * i + 5_000_000L);
        }
        scope.addSpans(span);
      }
      return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "checkout")))
          .addScopeSpans(scope)).build();
    }
  }
}
