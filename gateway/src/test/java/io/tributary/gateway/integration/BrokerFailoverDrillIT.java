package io.tributary.gateway.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tributary.embedded.ChildKafkaCluster;
import io.tributary.gateway.OtlpGateway;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import io.tributary.testsupport.DrillFigures;
import io.tributary.testsupport.TestTopics;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/**
 * Drill 1 of docs/reliability.md: the gateway in front of three brokers in JVMs of their own, raw
 * topics as {@code tributary topics create} makes them on such a cluster (replication factor 3) with
 * {@code min.insync.replicas=2} as production sets it, under load from several HTTP clients.
 *
 * <ol>
 *   <li>SIGKILL the leader of the busiest {@code otlp_spans} partition, then start it again: clients see
 *       only 200, 429 or 503, acknowledgements resume by themselves, and every acknowledged span is in
 *       {@code otlp_spans}.
 *   <li>Stop two of the three brokers: the gateway answers 503 with Retry-After and acknowledges no
 *       request sent after that, since no record can reach two replicas; once they are back it
 *       acknowledges again by itself.
 * </ol>
 */
class BrokerFailoverDrillIT {

  private static final int CLIENTS = 4;
  private static final int SPANS_PER_REQUEST = 20;
  /** GatewayTestSupport's 10 s: longer than a leader failover (the brokers' 9 s session timeout and an election). */
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String SPANS = TopicCatalog.OTLP_SPANS.name();

  @Test
  void shouldKeepEveryAcknowledgedSpanThroughALeaderCrashAndRefuseWhatItCannotReplicate() throws Exception {
    try (ChildKafkaCluster cluster = ChildKafkaCluster.start(3, ChildKafkaCluster.TEST_JVM_OPTIONS);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      String kafka = cluster.bootstrapServers();
      try (TopicInstaller installer = TopicInstaller.builder().admin(admin).build()) {
        installer.ensure(TopicCatalog.RAW);
      }
      // A topic just created is listed before every broker's metadata has it: retried until the one asked does.
      await("otlp_spans with 3 replicas per partition and min.insync.replicas=2").atMost(TIMEOUT)
          .ignoreExceptionsMatching(e -> e.getCause() instanceof UnknownTopicOrPartitionException)
          .until(() -> "2".equals(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, SPANS)))
                  .all().get().values().iterator().next().get("min.insync.replicas").value())
              && describe(admin).partitions().stream().allMatch(p -> p.replicas().size() == 3));

      GatewayTestSupport.Topics topics = new GatewayTestSupport.Topics(SPANS, TopicCatalog.OTLP_LOGS.name(),
          TopicCatalog.OTLP_METRICS.name());
      SpanLoad load;
      long killedAt;
      List<SpanLoad.Ack> acksWithTwoDown;
      int victimPartition;
      int victim;
      try (OtlpGateway gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics)
          .kafkaDeliveryTimeout(DELIVERY_TIMEOUT)
          .retryAfter(Duration.ofSeconds(1))
          .build())) {
        await("gateway ready").atMost(TIMEOUT).until(gateway::isReady);
        try (SpanLoad running = new SpanLoad(gateway.httpPort(), "drill", CLIENTS, SPANS_PER_REQUEST).start()) {
          load = running;
          await("spans acknowledged before the fault").atMost(TIMEOUT).until(() -> load.acknowledgedCount() >= 1_000);

          // Fault 1: SIGKILL the leader of the busiest partition, then bring it back.
          victimPartition = busiestPartition(admin);
          victim = describe(admin).partitions().get(victimPartition).leader().id();
          killedAt = System.nanoTime();
          cluster.kill(victim);
          await("a new leader for " + SPANS + "-" + victimPartition).atMost(TIMEOUT).until(() -> {
            TopicPartitionInfo p = describe(admin).partitions().get(victimPartition);
            return p.leader() != null && p.leader().id() != victim;
          });
          cluster.restart(victim);
          await("broker " + victim + " back in every partition's in-sync replicas").atMost(TIMEOUT).until(() ->
              describe(admin).partitions().stream().allMatch(p -> p.isr().size() == 3));
          int acknowledgedAtRestart = load.acknowledgedCount();
          await("acknowledgements continue after the restart").atMost(TIMEOUT)
              .until(() -> load.acknowledgedCount() >= acknowledgedAtRestart + 1_000);
          assertThat(gateway.isReady()).as("the gateway is ready without having been restarted").isTrue();

          // Fault 2: two of three brokers stopped; no record can reach min.insync.replicas=2 replicas.
          int[] stopped = cluster.nodeIds().stream().filter(id -> id != victim).mapToInt(Integer::intValue).toArray();
          for (int id : stopped) {
            cluster.stop(id);
          }
          long stoppedAt = System.nanoTime();
          int refusedAtStop = load.refused();
          await("503 for requests after two brokers stopped").atMost(TIMEOUT).until(() ->
              load.refused() >= refusedAtStop + 10 && !gateway.isReady());
          // Readiness must not flap back because the last broker still answers: a ready gateway would
          // admit every request only to refuse it after the delivery timeout.
          await("the gateway stays unready while no record can be replicated").during(Duration.ofSeconds(3))
              .atMost(Duration.ofSeconds(10)).until(() -> !gateway.isReady());
          // Sent and answered while only one broker ran: such an acknowledgement would be a lie.
          long restartedAt = System.nanoTime();
          acksWithTwoDown = load.acks().stream()
              .filter(a -> a.sentNanos() > stoppedAt && a.answeredNanos() < restartedAt).toList();
          cluster.restart(stopped);
          int acknowledgedAtReturn = load.acknowledgedCount();
          await("acknowledgements resume once the brokers are back").atMost(TIMEOUT)
              .until(() -> load.acknowledgedCount() >= acknowledgedAtReturn + 500 && gateway.isReady());
        } // the clients stop once every request in flight is answered, before the gateway closes
      }

      List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readAll(kafka, SPANS);
      Set<ByteString> lost = load.missingFrom(records);
      long duplicated = spanCopies(records).values().stream().filter(n -> n > 1).count();
      Map<ByteString, Integer> partitions = SpanLoad.partitionsByTrace(records);
      long recovered = load.acks().stream()
          .filter(a -> a.sentNanos() > killedAt && a.traceIds().stream().anyMatch(t -> Integer.valueOf(victimPartition).equals(partitions.get(t))))
          .mapToLong(SpanLoad.Ack::answeredNanos).min().orElseThrow(() -> new AssertionError(
              "no request written to " + SPANS + "-" + victimPartition + " was acknowledged after the SIGKILL"));

      DrillFigures.print("1: three brokers, leader SIGKILL",
          CLIENTS + " HTTP clients x " + SPANS_PER_REQUEST + " spans/request, " + load.acks().size() + " requests acknowledged",
          "SIGKILL leader of " + SPANS + "-" + victimPartition + " and restart; then 2 of 3 brokers stopped and restarted",
          load.acknowledgedCount(), lost.size(), duplicated, Duration.ofNanos(recovered - killedAt));

      assertThat(load.outcomes().keySet()).as("answers seen: %s", load.outcomes()).isSubsetOf("200", "429", "503");
      assertThat(load.refusalsWithoutRetryAfter()).as("429/503 answers without Retry-After").isZero();
      assertThat(acksWithTwoDown).as("requests acknowledged while two of three brokers were stopped").isEmpty();
      assertThat(lost).as("acknowledged spans missing from %s (of %d acknowledged)", SPANS, load.acknowledgedCount())
          .isEmpty();
      assertThat(duplicated).as("spans written twice (the producer is idempotent)").isZero();
    }
  }

  private static TopicDescription describe(Admin admin) throws Exception {
    return admin.describeTopics(List.of(SPANS)).allTopicNames().get().get(SPANS);
  }

  /** The partition of {@code otlp_spans} with the most records so far. */
  private static int busiestPartition(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = describe(admin).partitions().stream()
        .collect(Collectors.toMap(p -> new TopicPartition(SPANS, p.partition()), p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().entrySet().stream()
        .max(Comparator.comparingLong(e -> e.getValue().offset())).orElseThrow().getKey().partition();
  }

  /** How many times each span id is in {@code records}. */
  private static Map<ByteString, Long> spanCopies(List<ConsumerRecord<byte[], byte[]>> records) {
    return TestTopics.values(records, ExportTraceServiceRequest.parser()).stream()
        .flatMap(r -> r.getResourceSpansList().stream())
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .collect(Collectors.groupingBy(s -> s.getSpanId(), Collectors.counting()));
  }
}
