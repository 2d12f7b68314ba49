package io.tributary.gateway.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.tributary.gateway.GatewayConfig;
import io.tributary.schemas.topics.TopicCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Topics, a gateway config, an HTTP client and a Kafka reader for the gateway's integration tests. */
final class GatewayTestSupport {

  static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");
  private static final AtomicInteger TOPIC_SEQUENCE = new AtomicInteger();

  /** The three topics of one test class, created with the catalog's configs. */
  record Topics(String spans, String logs, String metrics) {
    List<String> all() {
      return List.of(spans, logs, metrics);
    }
  }

  private GatewayTestSupport() {}

  static Topics createTopics(String bootstrapServers, String prefix, int partitions) {
    int n = TOPIC_SEQUENCE.incrementAndGet();
    Topics topics = new Topics(prefix + "-spans-" + n, prefix + "-logs-" + n, prefix + "-metrics-" + n);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(topics.all().stream()
          .map(name -> new NewTopic(name, partitions, (short) 1).configs(TopicCatalog.OTLP_SPANS.configs()))
          .toList()).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("creating topics " + topics, e.getCause());
    }
    return topics;
  }

  /** A config on free ports of 127.0.0.1 writing to {@code topics}, with a short shutdown. */
  static GatewayConfig.Builder config(String bootstrapServers, Topics topics) {
    return GatewayConfig.builder()
        .bindAddress("127.0.0.1")
        .grpcPort(0)
        .httpPort(0)
        .bootstrapServers(bootstrapServers)
        .spansTopic(topics.spans())
        .logsTopic(topics.logs())
        .metricsTopic(topics.metrics())
        .kafkaDeliveryTimeout(Duration.ofSeconds(10))
        .shutdown(Duration.ofMillis(100), Duration.ofSeconds(20));
  }

  static BlockingWebClient http(int port) {
    return WebClient.builder("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build().blocking();
  }

  static AggregatedHttpResponse post(int port, String path, MediaType type, byte[] body, String... headers) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path).contentType(type);
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return http(port).execute(HttpRequest.of(h.build(), HttpData.wrap(body)));
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Every record of {@code topic}, from the beginning to the end offsets as of now. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading %s to its end offsets %s", topic, end).isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** The end offset of every partition of each topic: a test asserts nothing was written by comparing two. */
  static Map<TopicPartition, Long> endOffsets(String bootstrapServers, List<String> topics) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      List<TopicPartition> partitions = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream())
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      return new HashMap<>(consumer.endOffsets(partitions));
    }
  }

  static Set<Integer> partitionsOf(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(ConsumerRecord::partition).collect(Collectors.toSet());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
