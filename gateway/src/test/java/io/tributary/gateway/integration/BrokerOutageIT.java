package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.PROTOBUF;
import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.testsupport.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away under load and comes back: the gateway answers 503/429 meanwhile, never
 * acknowledges a span it did not write, and recovers by itself. Uses a broker of its own (it stops it).
 */
class BrokerOutageIT {

  private static final int CLIENTS = 4;
  private static final int SPANS_PER_REQUEST = 20;

  private final Set<ByteString> acknowledged = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  @Test
  void shouldAcknowledgeOnlyWhatKafkaHasAndRecoverAfterTheBrokerReturns() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String kafka = broker.bootstrapServers();
      GatewayTestSupport.Topics topics = createTopics(kafka, "outage", 3);
      ScheduledExecutorService clients = Executors.newScheduledThreadPool(CLIENTS);
      try (OtlpGateway gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics)
          .kafkaDeliveryTimeout(Duration.ofSeconds(3))
          .retryAfter(Duration.ofSeconds(1))
          .maxInFlightBytes(256 * 1024)
          .build())) {
        Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
        BlockingWebClient client = WebClient.builder("http://127.0.0.1:" + gateway.httpPort())
            .responseTimeout(Duration.ofSeconds(30)).build().blocking();
        for (int i = 0; i < CLIENTS; i++) {
          clients.scheduleWithFixedDelay(() -> sendOne(client), 0, 10, TimeUnit.MILLISECONDS);
        }

        Awaitility.await("spans acknowledged before the outage").atMost(Duration.ofSeconds(30))
            .until(() -> acknowledged.size() >= 500);
        int refusedBefore = refused();
        broker.stop();
        Awaitility.await("503 or 429 while the broker is down").atMost(Duration.ofSeconds(30))
            .until(() -> refused() >= refusedBefore + 5);

        broker.start();
        int acknowledgedAtRestart = acknowledged.size();
        Awaitility.await("requests succeed again after the broker is back").atMost(Duration.ofSeconds(60))
            .until(() -> acknowledged.size() >= acknowledgedAtRestart + 500);
        stopClients(clients); // before the gateway closes
      } finally {
        stopClients(clients);
      }

      assertThat(outcomes.keySet()).as("outcomes seen: %s", outcomes).isSubsetOf("200", "429", "503");
      assertThat(outcomes.get("503").get() + outcomes.getOrDefault("429", new AtomicInteger()).get()).isPositive();
      Set<ByteString> written = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> record : TestTopics.readAll(kafka, topics.spans())) {
        ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
            .forEach(ss -> ss.getSpansList().forEach(s -> written.add(s.getSpanId()))));
      }
      Set<ByteString> lost = new HashSet<>(acknowledged);
      lost.removeAll(written);
      assertThat(lost).as("acknowledged spans missing from the topic (of %d acknowledged)", acknowledged.size())
          .isEmpty();
    }
  }

  private static void stopClients(ScheduledExecutorService clients) throws InterruptedException {
    clients.shutdown();
    assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).as("clients stopped").isTrue();
  }

  private int refused() {
    return outcomes.getOrDefault("503", new AtomicInteger()).get() + outcomes.getOrDefault("429", new AtomicInteger()).get();
  }

  private void sendOne(BlockingWebClient client) {
    List<Span> spans = new ArrayList<>();
    long first = sequence.getAndAdd(SPANS_PER_REQUEST);
    for (long n = first; n < first + SPANS_PER_REQUEST; n++) {
      spans.add(OtlpSamples.span(n / 5, n)); // five spans per trace
    }
    byte[] body = OtlpSamples.traces(OtlpSamples.resource("outage"), OtlpSamples.scope("load"), spans).toByteArray();
    String outcome;
    try {
      AggregatedHttpResponse response = client.execute(HttpRequest.of(
          RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(PROTOBUF).build(), HttpData.wrap(body)));
      outcome = Integer.toString(response.status().code());
      if (response.status().code() == 200) {
        spans.forEach(s -> acknowledged.add(s.getSpanId()));
      }
    } catch (RuntimeException e) {
      outcome = e.getClass().getSimpleName();
    }
    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
  }
}
