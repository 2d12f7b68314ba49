package io.tributary.platform.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.ConnectRestClient.TopicPartitionRef;
import io.tributary.platform.cli.ConfigException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.TopicPartition;

/**
 * Moves a sink connector back with Connect's offsets API: stop it, set every partition of its
 * topics to the replay point, resume it, then report progress from its consumer group until it has
 * caught up with the end offsets seen at the start.
 */
final class ConnectorReplay {

  private static final Duration POLL = Duration.ofSeconds(2);

  private final ConnectRestClient connect;
  private final Admin admin;
  private final Map<String, Object> client;
  private final PrintWriter out;

  /** @param client bootstrap servers and any other client setting (security), for the consumer */
  ConnectorReplay(ConnectRestClient connect, Admin admin, Map<String, Object> client, PrintWriter out) {
    this.connect = connect;
    this.client = Map.copyOf(client);
    this.admin = admin;
    this.out = out;
  }

  /** Replays {@code name} from {@code point}; with {@code wait}, returns once it caught up (or timed out). */
  boolean run(String name, ReplayPoint point, boolean wait, Duration timeout) throws Exception {
    List<String> topics = topicsOf(name);
    List<TopicPartition> partitions = partitions(topics);
    Map<TopicPartition, Long> ends = recordEnds(partitions, offsets(partitions, OffsetSpec.earliest()),
        offsets(partitions, OffsetSpec.latest()));
    Map<TopicPartition, Long> targets = targets(partitions, point, ends);
    long total = 0;
    for (TopicPartition tp : partitions) {
      total += ends.get(tp) - targets.get(tp);
    }
    out.printf("Replaying connector %s from %s: %,d records in %d partitions of %s%n",
        name, point, total, partitions.size(), String.join(", ", topics));
    out.flush();

    connect.stop(name);
    awaitState(name, "STOPPED", Duration.ofSeconds(60));
    Map<TopicPartitionRef, Long> patch = new LinkedHashMap<>();
    targets.forEach((tp, offset) -> patch.put(new TopicPartitionRef(tp.topic(), tp.partition()), offset));
    connect.alterSinkOffsets(name, patch);
    connect.resume(name);
    out.printf("Connector %s resumed at the replay point%n", name);
    out.flush();
    if (!wait) {
      return true;
    }
    return awaitCaughtUp(name, targets, ends, total, timeout);
  }

  private boolean awaitCaughtUp(String name, Map<TopicPartition, Long> targets, Map<TopicPartition, Long> ends,
      long total, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    long lastReported = -1;
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + name)
          .partitionsToOffsetAndMetadata().get();
      long done = 0;
      for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        long position = c == null ? targets.get(e.getKey()) : Math.max(targets.get(e.getKey()), c.offset());
        done += Math.min(position, e.getValue()) - targets.get(e.getKey());
      }
      if (done != lastReported) {
        out.printf("  %,d of %,d records replayed (%.0f%%)%n", done, total, total == 0 ? 100.0 : 100.0 * done / total);
        out.flush();
        lastReported = done;
      }
      if (done >= total) {
        out.printf("Connector %s caught up%n", name);
        out.flush();
        return true;
      }
      if (Instant.now().isAfter(deadline)) {
        out.printf("Connector %s has not caught up after %s; it goes on replaying (check its status)%n", name, timeout);
        out.flush();
        return false;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private List<String> topicsOf(String name) {
    JsonNode config = connect.connectorConfig(name);
    String topics = config.path("topics").asText("");
    if (topics.isBlank()) {
      throw new ConfigException("--connector " + name + ": it reads topics.regex, not a topic list; "
          + "give it a 'topics' list to replay it");
    }
    return Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
  }

  private List<TopicPartition> partitions(List<String> topics) throws ExecutionException, InterruptedException {
    List<TopicPartition> result = new ArrayList<>();
    Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
    for (String topic : topics) {
      descriptions.get(topic).partitions().forEach(p -> result.add(new TopicPartition(topic, p.partition())));
    }
    return result;
  }

  private Map<TopicPartition, Long> targets(List<TopicPartition> partitions, ReplayPoint point,
      Map<TopicPartition, Long> ends) throws ExecutionException, InterruptedException {
    if (point.isEarliest()) {
      return offsets(partitions, OffsetSpec.earliest());
    }
    Map<TopicPartition, Long> byTime = offsets(partitions, OffsetSpec.forTimestamp(point.from().get().toEpochMilli()));
    Map<TopicPartition, Long> result = new LinkedHashMap<>();
    // No record at or after the instant: nothing to replay in that partition.
    byTime.forEach((tp, offset) -> result.put(tp, offset < 0 ? ends.get(tp) : offset));
    return result;
  }

  /**
   * Per partition, the offset after its last record. A sink commits that offset once it has the
   * record; the log end can be further on when the topic was written in transactions (the commit
   * markers take offsets too), as the pipelines write theirs.
   */
  private Map<TopicPartition, Long> recordEnds(List<TopicPartition> partitions, Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> result = new LinkedHashMap<>();
    Map<String, Object> settings = new LinkedHashMap<>(client);
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      for (TopicPartition tp : partitions) {
        long start = starts.get(tp);
        long end = ends.get(tp);
        long found = start;
        for (long window = 16; found == start && end > start; window *= 4) {
          long from = Math.max(start, end - window);
          consumer.assign(List.of(tp));
          consumer.seek(tp, from);
          while (consumer.position(tp) < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
              found = Math.max(found, r.offset() + 1);
            }
          }
          if (from == start) {
            break;
          }
        }
        result.put(tp, found);
      }
    }
    return result;
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, Long> result = new LinkedHashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> result.put(tp, info.offset()));
    return result;
  }

  private void awaitState(String name, String state, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!state.equals(connect.status(name).state())) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("connector " + name + " did not reach " + state + " within " + timeout);
      }
      Thread.sleep(200);
    }
  }
}
