package io.tributary.processors.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.ChildKafkaCluster;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.testsupport.DrillFigures;
import io.tributary.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 2 of docs/reliability.md: two instances of the traces application, each in a JVM of its own
 * with its own state directory, exactly-once as {@code tributary processor} runs it, on three brokers
 * in JVMs of their own. Traces flow in without pause; one instance is SIGKILLed mid-stream. Every kept
 * trace comes out whole and once, and late spans of traces the dead instance had decided follow its
 * decisions (which the survivor restores from the changelogs).
 */
class TracesFailoverDrillIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String APP = "drill-traces";
  private static final int PARTITIONS = 4;
  private static final double PERCENTAGE = 50;
  private static final String CONFIG = """
      sampling:
        decision-wait: 3s
        check-interval: 250ms
        policies:
          - {name: errors, error: {}}
          - {name: half, probabilistic: {percentage: 50}}
      """;

  @TempDir Path tempDir;

  @Test
  void shouldEmitEveryKeptTraceWholeAndOnceWhenAnInstanceIsKilledMidStream() throws Exception {
    Path configFile = Files.writeString(tempDir.resolve("pipelines.yaml"), CONFIG);
    Topics topics = new Topics("drill-otlp", "drill-spans", "drill-dlq");
    SplittableRandom random = new SplittableRandom(16);
    List<TestTrace> decidedBefore = new ArrayList<>(TestTrace.generate(random, 40, "error", 3));
    decidedBefore.addAll(TestTrace.generate(random, 160, "plain", 3));

    try (ChildKafkaCluster cluster = ChildKafkaCluster.start(3, ChildKafkaCluster.TEST_JVM_OPTIONS);
        Admin admin = TestClients.admin(cluster.bootstrapServers())) {
      String kafka = cluster.bootstrapServers();
      PipelineTopics.createMissing(kafka, TracesTopology.build(PipelineConfig.load(configFile), topics), topics,
          PARTITIONS);
      Map<String, Process> instances = new TreeMap<>();
      try (OutputReader output = new OutputReader(kafka, topics.output());
          TraceStream streaming = new TraceStream(kafka, topics.input())) {
        for (String name : List.of("one", "two")) {
          instances.put(name, TracesApp.start(kafka, APP, tempDir.resolve(name), topics, configFile,
              tempDir.resolve(name + ".log")));
        }
        await("both instances own input partitions").atMost(TIMEOUT).until(() -> {
          for (Map.Entry<String, Process> instance : instances.entrySet()) {
            Path log = tempDir.resolve(instance.getKey() + ".log");
            assertThat(instance.getValue().isAlive()).as("instance %s exited: %s", instance.getKey(),
                Files.readString(log)).isTrue();
          }
          return assignment(admin, topics.input()).values().stream().filter(s -> !s.isEmpty()).count() == 2;
        });

        // Traces decided by both instances before the fault: kept spans out, decisions in the changelog.
        int sent = TestTrace.produce(kafka, topics.input(), decidedBefore, 0);
        Map<String, TreeSet<String>> keptBefore = TestTrace.expectedSpans(decidedBefore, PERCENTAGE, 0);
        await("the first traces decided").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
          output.poll();
          return output.spans().size() >= TestTrace.expectedCount(keptBefore)
              && TestClients.changelogKeys(kafka, APP, TailSampling.DECISION_STORE)
                  .containsAll(TestTrace.traceIds(decidedBefore));
        });

        // Traces keep coming while instance "one" is SIGKILLed: no close, no commit, a transaction left open.
        streaming.start();
        await("traces streaming in").atMost(TIMEOUT).until(() -> streaming.traces.size() >= 100);
        Map<String, Set<TopicPartition>> assigned = assignment(admin, topics.input());
        // Streams may add the thread's index to the group.instance.id: "drill-traces-one-1".
        Set<TopicPartition> victimPartitions = assigned.entrySet().stream()
            .filter(member -> member.getKey().equals(APP + "-one") || member.getKey().startsWith(APP + "-one-"))
            .map(Map.Entry::getValue)
            .findFirst().orElseThrow(() -> new AssertionError("instance one is not in the group: " + assigned));
        assertThat(victimPartitions).as("partitions of the instance to kill").isNotEmpty();
        Map<TopicPartition, Long> endsAtKill = TestClients.endOffsets(admin, victimPartitions);
        long killedAt = System.nanoTime();
        instances.get("one").destroyForcibly().waitFor();

        // Late spans of the traces decided before, among them the dead instance's decisions.
        sent += TestTrace.produce(kafka, topics.input(), decidedBefore, 3);
        await("the survivor took over " + victimPartitions + " and committed past " + endsAtKill).atMost(TIMEOUT)
            .until(() -> TestClients.committedUpTo(admin, APP, endsAtKill));
        long recoveredAt = System.nanoTime();
        int streamedAtTakeover = streaming.traces.size();
        await("traces still streaming after the takeover").atMost(TIMEOUT)
            .until(() -> streaming.traces.size() >= streamedAtTakeover + 100);
        streaming.close(); // again at the end: closing twice does nothing
        sent += streaming.spans.get();

        Map<String, TreeSet<String>> expected = new TreeMap<>(TestTrace.expectedSpans(decidedBefore, PERCENTAGE, 4));
        expected.putAll(TestTrace.expectedSpans(List.copyOf(streaming.traces), PERCENTAGE, 0));
        await("every kept trace out").atMost(TIMEOUT).until(() -> {
          assertThat(instances.get("two").isAlive()).as("the survivor exited").isTrue();
          output.poll();
          return output.spanIdsByTrace().keySet().containsAll(expected.keySet())
              && output.spans().size() >= TestTrace.expectedCount(expected);
        });
        output.readToEnd();

        Map<String, TreeSet<String>> actual = output.spanIdsByTrace();
        Set<String> lost = new TreeSet<>();
        expected.forEach((trace, spans) -> spans.stream().filter(s -> !actual.getOrDefault(trace, new TreeSet<>())
            .contains(s)).forEach(s -> lost.add(trace + "/" + s)));
        DrillFigures.print("2: traces pipeline SIGKILL",
            "2 instances x 1 thread, " + PARTITIONS + " partitions, " + (decidedBefore.size() + streaming.traces.size())
                + " traces of 3 spans, exactly-once",
            "SIGKILL of one instance mid-stream; late spans of its decided traces",
            sent, lost.size(), output.duplicates().size(), Duration.ofNanos(recoveredAt - killedAt));

        Map<String, Integer> partitionOf = partitionsByTrace(kafka, topics.input());
        Set<String> keptByTheDead = decidedBefore.stream()
            .filter(t -> t.expectedPolicy(PERCENTAGE) != null)
            .filter(t -> victimPartitions.contains(new TopicPartition(topics.input(), partitionOf.get(t.traceId()))))
            .map(TestTrace::traceId).collect(Collectors.toSet());
        assertThat(keptByTheDead).as("traces the dead instance had kept (their late spans must follow)").isNotEmpty();
        assertThat(actual).as("kept traces, whole, late spans following the decisions").isEqualTo(expected);
        assertThat(output.duplicates()).as("spans emitted twice").isEmpty();
        assertThat(output.policyByTrace().values()).as("one policy per trace").allMatch(p -> !p.contains("|"));
      } finally {
        for (Process instance : instances.values()) {
          instance.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** Input partitions by member (its group.instance.id: application id and state directory name). */
  private static Map<String, Set<TopicPartition>> assignment(Admin admin, String input) throws Exception {
    ConsumerGroupDescription group;
    try {
      group = admin.describeConsumerGroups(List.of(APP)).all().get().get(APP);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Map.of(); // no instance has joined yet
      }
      throw e;
    }
    Map<String, Set<TopicPartition>> byMember = new TreeMap<>();
    for (MemberDescription member : group.members()) {
      byMember.put(member.groupInstanceId().orElse(member.consumerId()), member.assignment().topicPartitions()
          .stream().filter(tp -> tp.topic().equals(input)).collect(Collectors.toSet()));
    }
    return byMember;
  }

  private static Map<String, Integer> partitionsByTrace(String kafka, String topic) {
    Map<String, Integer> partitions = new TreeMap<>();
    TestTopics.readAll(kafka, topic).forEach(r -> partitions.put(new String(r.key(), StandardCharsets.UTF_8),
        r.partition()));
    return partitions;
  }

  /** Once started, sends ten new traces (two of them errors) every 100 ms until closed, remembering what Kafka acknowledged. */
  private static final class TraceStream implements AutoCloseable {
    final Collection<TestTrace> traces = new ConcurrentLinkedQueue<>();
    final AtomicInteger spans = new AtomicInteger();
    private final SplittableRandom random = new SplittableRandom(2026);
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private volatile Exception failure;

    TraceStream(String kafka, String topic) {
      this.producer = TestClients.rawProducer(kafka);
      this.topic = topic;
    }

    void start() {
      executor.scheduleWithFixedDelay(this::sendBatch, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void sendBatch() {
      List<TestTrace> batch = new ArrayList<>(TestTrace.generate(random, 2, "error", 3));
      batch.addAll(TestTrace.generate(random, 8, "plain", 3));
      try {
        spans.addAndGet(TestTrace.produce(producer, topic, batch, 0)); // returns once acknowledged
        traces.addAll(batch);
      } catch (Exception e) {
        failure = e;
        throw new IllegalStateException("streaming traces into " + topic + " failed", e);
      }
    }

    @Override
    public void close() throws InterruptedException {
      executor.shutdown();
      assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).as("trace stream stopped").isTrue();
      producer.close();
      assertThat(failure).as("streaming traces").isNull();
    }
  }
}
