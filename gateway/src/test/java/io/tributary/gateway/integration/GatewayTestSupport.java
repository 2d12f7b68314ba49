package io.tributary.gateway.integration;

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
import io.tributary.testsupport.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Topics, a gateway config and an HTTP client for the gateway's integration tests. */
final class GatewayTestSupport {

  static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");

  /** The three topics of one test class, created with the catalog's configs. */
  record Topics(String spans, String logs, String metrics) {
    List<String> all() {
      return List.of(spans, logs, metrics);
    }
  }

  private GatewayTestSupport() {}

  static Topics createTopics(String bootstrapServers, String prefix, int partitions) {
    Topics topics = new Topics(TestTopics.unique(prefix + "-spans"), TestTopics.unique(prefix + "-logs"),
        TestTopics.unique(prefix + "-metrics"));
    TestTopics.create(bootstrapServers, partitions, TopicCatalog.OTLP_SPANS.configs(), topics.all().toArray(String[]::new));
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

  static Set<Integer> partitionsOf(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(ConsumerRecord::partition).collect(Collectors.toSet());
  }
}
