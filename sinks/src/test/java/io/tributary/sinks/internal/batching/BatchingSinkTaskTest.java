package io.tributary.sinks.internal.batching;

import static io.tributary.sinks.internal.batching.ShardedBatcherTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.sinks.ReportingTaskContext;
import io.tributary.sinks.SinkTaskMetrics;
import io.tributary.sinks.internal.Backoff;
import io.tributary.sinks.internal.PoisonRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The task metrics every sink gets from the delivery core: what a store that retries, answers per item and
 * refuses one item comes to, read through Kafka's plugin metrics as Connect registers them. The same
 * counts against real stores and a real worker: {@code ElasticsearchSinkIT}, {@code PrometheusRemoteWriteSinkIT}.
 */
class BatchingSinkTaskTest {

  private static final TopicPartition T0 = new TopicPartition("t", 0);
  private static final Map<String, String> TAGS = Map.of(SinkTaskMetrics.CONNECTOR_TAG, "c1",
      SinkTaskMetrics.TASK_TAG, "0");

  private final Metrics metrics = new Metrics();
  private final List<String> deadLetters = new CopyOnWriteArrayList<>();
  /** The store's answers, in order; delivered once empty. */
  private final ConcurrentLinkedQueue<SendOutcome> answers = new ConcurrentLinkedQueue<>();
  private final List<List<String>> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeMetrics() {
    metrics.close();
  }

  @Test
  void shouldCountDeliveredRetriedAndFailedItemsAndRequestsAsTaskMetrics() {
    // The first request gets a 503, the second an answer per item (two taken, one refused, one to retry, one
    // already there), the third takes the item retried.
    answers.add(SendOutcome.retry("HTTP 503"));
    answers.add(new SendOutcome.PerItem(List.of(SendOutcome.Item.DELIVERED, SendOutcome.Item.DELIVERED,
        new SendOutcome.Item.Reject("HTTP 400: mapper_parsing_exception", null),
        new SendOutcome.Item.Retry("HTTP 429", Optional.empty()), SendOutcome.Item.DELIVERED)));
    StringTask task = new StringTask(this::answer);
    task.initialize(new ReportingTaskContext(deadLetters, new PluginMetricsImpl(metrics, TAGS)));
    task.start(Map.of());
    try {
      List<SinkRecord> records = new ArrayList<>();
      for (long offset = 0; offset < 5; offset++) {
        records.add(record(offset));
      }
      records.add(new SinkRecord("t", 0, null, null, null, "poison".getBytes(), 5));
      task.put(records);

      await("every record delivered or dead-lettered").atMost(Duration.ofSeconds(10))
          .until(() -> task.preCommit(Map.of(T0, new OffsetAndMetadata(6))).get(T0), new OffsetAndMetadata(6)::equals);
      assertThat(requests).extracting(List::size).containsExactly(5, 5, 1);
      assertThat(deadLetters).containsExactlyInAnyOrder("2 HTTP 400: mapper_parsing_exception",
          "5 record 5 cannot be decoded");

      assertThat(metric(SinkTaskMetrics.ITEMS_DELIVERED)).as("4 taken, one of them already there").isEqualTo(4);
      assertThat(metric(SinkTaskMetrics.ITEMS_RETRIED)).as("5 after the 503, 1 after the 429").isEqualTo(6);
      assertThat(metric(SinkTaskMetrics.RECORDS_FAILED)).as("the refused one and the poison one").isEqualTo(2);
      assertThat(metric(SinkTaskMetrics.REQUESTS)).isEqualTo(3);
      assertThat(metric(SinkTaskMetrics.REQUESTS_FAILED)).as("the 503").isEqualTo(1);
      assertThat(metric(SinkTaskMetrics.BUFFERED_ITEMS)).isZero();
      assertThat(metric(SinkTaskMetrics.BUFFERED_ITEMS_PEAK)).isEqualTo(5);
      assertThat(metric(SinkTaskMetrics.BUFFER_MAX_ITEMS)).isEqualTo(1_000);
      MetricName delivered = name(SinkTaskMetrics.ITEMS_DELIVERED);
      assertThat(delivered.description()).isEqualTo(SinkTaskMetrics.ITEMS_DELIVERED.description());
    } finally {
      task.stop();
    }
  }

  private SendOutcome answer(String requestKey, List<String> batch) {
    requests.add(List.copyOf(batch));
    SendOutcome next = answers.poll();
    return next == null ? SendOutcome.DELIVERED : next;
  }

  private long metric(SinkTaskMetrics.Metric metric) {
    KafkaMetric kafkaMetric = metrics.metric(name(metric));
    assertThat(kafkaMetric).as(metric.name()).isNotNull();
    return ((Number) kafkaMetric.metricValue()).longValue();
  }

  private MetricName name(SinkTaskMetrics.Metric metric) {
    return metrics.metrics().keySet().stream()
        .filter(n -> n.name().equals(metric.name()) && n.group().equals(SinkTaskMetrics.GROUP)
            && n.tags().equals(TAGS))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + metric.name() + " among " + metrics.metrics().keySet()));
  }

  /** A sink of strings: a record's value is one item; a record whose value is "poison" cannot be decoded. */
  private static final class StringTask extends BatchingSinkTask<String> {
    private final BatchSender<String> sender;

    StringTask(BatchSender<String> sender) {
      this.sender = sender;
    }

    @Override
    public void start(Map<String, String> props) {
      startDelivery("c1", sender, 1, new HttpSinkOptions.Settings(Map.of(), null, null, Duration.ofSeconds(1),
          Duration.ofSeconds(1), 5, Duration.ofSeconds(5), 1_000, Duration.ofSeconds(5),
          new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), Duration.ofSeconds(30)));
    }

    @Override
    protected void parts(SinkRecord record, SinkDelivery.Parts<String> parts) {
      if ("poison".equals(new String((byte[]) record.value()))) {
        throw new PoisonRecordException("record " + record.kafkaOffset() + " cannot be decoded");
      }
      parts.add("item" + record.kafkaOffset(), 0, "");
    }
  }
}
