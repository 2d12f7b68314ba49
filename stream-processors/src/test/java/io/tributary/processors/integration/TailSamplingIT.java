package io.tributary.processors.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
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
        OutputReader output = new OutputReader(kafka.bootstrapServers(), topics.output())) {
      TestTrace.produce(kafka.bootstrapServers(), topics.input(), traces, 0);
      Map<String, TreeSet<String>> expected = TestTrace.expectedSpans(traces, TestTrace.SHIPPED_PERCENTAGE, 0);

      await("every trace decided and every kept span committed").atMost(TIMEOUT).until(() -> {
        output.poll();
        // >=: counters are not transactional, a retried transaction would count its decisions twice
        return decisions(stats) >= traces.size() && output.spans().size() >= TestTrace.expectedCount(expected);
      });
      output.readToEnd();

      assertThat(output.spanIdsByTrace()).isEqualTo(expected);
      assertThat(output.duplicates()).isEmpty();
      Map<String, String> expectedPolicies = traces.stream().filter(t -> t.expectedPolicy(TestTrace.SHIPPED_PERCENTAGE) != null)
          .collect(Collectors.toMap(TestTrace::traceId, t -> t.expectedPolicy(TestTrace.SHIPPED_PERCENTAGE)));
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

    Map<String, TreeSet<String>> keptBefore = TestTrace.expectedSpans(decidedBefore, 50, 0);

    try (OutputReader output = new OutputReader(kafka.bootstrapServers(), topics.output())) {
      Path log = tempDir.resolve("traces-app.log");
      Process app = TracesApp.start(kafka.bootstrapServers(), appId, stateDir, topics, configFile, log);
      try {
        await("the traces app in its own JVM is running (log: " + log + ")").atMost(TIMEOUT)
            .until(() -> {
              assertThat(app.isAlive()).as("the traces app exited: %s", Files.readString(log)).isTrue();
              return Files.readString(log).lines().anyMatch(TracesApp.RUNNING::equals);
            });
        // Traces decided before the crash: their kept spans are out, their decisions in the changelog.
        TestTrace.produce(kafka.bootstrapServers(), topics.input(), decidedBefore, 0);
        await("the first traces decided").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
          output.poll();
          return output.spans().size() >= TestTrace.expectedCount(keptBefore)
              && TestClients.changelogKeys(kafka.bootstrapServers(), appId, TailSampling.DECISION_STORE).containsAll(TestTrace.traceIds(decidedBefore));
        });
        // Traces waiting for their decision (4 s) when the app dies: in the state stores, input committed.
        TestTrace.produce(kafka.bootstrapServers(), topics.input(), waiting, 0);
        try (Admin admin = TestClients.admin(kafka)) {
          await("the waiting traces' spans committed to the state stores").atMost(TIMEOUT)
              .until(() -> TestClients.inputCommitted(admin, appId, topics.input()));
        }
      } finally {
        app.destroyForcibly(); // SIGKILL: no close, no commit; an open transaction is left to abort
        app.waitFor();
      }
      output.readToEnd();
      assertThat(output.spanIdsByTrace()).as("only the first traces were decided before the crash")
          .isEqualTo(keptBefore);

      // While the app is down, one more span arrives for every trace: late for the decided ones.
      TestTrace.produce(kafka.bootstrapServers(), topics.input(), decidedBefore, 3);
      TestTrace.produce(kafka.bootstrapServers(), topics.input(), waiting, 3);
      PipelineStats stats = new PipelineStats();
      try (KafkaStreams restarted = start(kafka, topics, PipelineConfig.load(configFile), appId, stateDir, stats)) {
        Map<String, TreeSet<String>> expected = new TreeMap<>(TestTrace.expectedSpans(decidedBefore, 50, 4));
        expected.putAll(TestTrace.expectedSpans(waiting, 50, 4));

        await("every kept trace whole after the restart").atMost(TIMEOUT).until(() -> {
          output.poll();
          return output.spans().size() >= TestTrace.expectedCount(expected) && stats.sampling().tracesInFlight() == 0
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
        OutputReader pairOutput = new OutputReader(kafka.bootstrapServers(), pair.output());
        OutputReader singleOutput = new OutputReader(kafka.bootstrapServers(), single.output())) {
      await("both instances of the pair own tasks").atMost(TIMEOUT).until(() ->
          ownsTasks(one) && ownsTasks(two) && ownsTasks(solo));
      TestTrace.produce(kafka.bootstrapServers(), pair.input(), traces, 0);
      Map<String, TreeSet<String>> expected = TestTrace.expectedSpans(traces, TestTrace.SHIPPED_PERCENTAGE, 0);

      await("every trace decided by the pair and by the single instance").atMost(TIMEOUT).until(() -> {
        pairOutput.poll();
        singleOutput.poll();
        return decisions(first) + decisions(second) >= traces.size() && decisions(alone) >= traces.size()
            && pairOutput.spans().size() >= TestTrace.expectedCount(expected)
            && singleOutput.spans().size() >= TestTrace.expectedCount(expected);
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

  // ---------------------------------------------------------------- Kafka
}
