package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.testsupport.TestTopics;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away under load and comes back: the gateway answers 503/429 meanwhile, never
 * acknowledges a span it did not write, and recovers by itself. Uses a broker of its own (it stops it).
 */
class BrokerOutageIT {

  private static final int CLIENTS = 4;
  private static final int SPANS_PER_REQUEST = 20;

  @Test
  void shouldAcknowledgeOnlyWhatKafkaHasAndRecoverAfterTheBrokerReturns() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String kafka = broker.bootstrapServers();
      GatewayTestSupport.Topics topics = createTopics(kafka, "outage", 3);
      SpanLoad load;
      try (OtlpGateway gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics)
          .kafkaDeliveryTimeout(Duration.ofSeconds(3))
          .retryAfter(Duration.ofSeconds(1))
          .maxInFlightBytes(256 * 1024)
          .build())) {
        Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
        try (SpanLoad running = new SpanLoad(gateway.httpPort(), "outage", CLIENTS, SPANS_PER_REQUEST).start()) {
          load = running;
          Awaitility.await("spans acknowledged before the outage").atMost(Duration.ofSeconds(30))
              .until(() -> load.acknowledgedCount() >= 500);
          int refusedBefore = load.refused();
          broker.stop();
          Awaitility.await("503 or 429 while the broker is down").atMost(Duration.ofSeconds(30))
              .until(() -> load.refused() >= refusedBefore + 5);

          broker.start();
          int acknowledgedAtRestart = load.acknowledgedCount();
          Awaitility.await("requests succeed again after the broker is back").atMost(Duration.ofSeconds(60))
              .until(() -> load.acknowledgedCount() >= acknowledgedAtRestart + 500);
        } // the clients stop before the gateway closes
      }

      assertThat(load.outcomes().keySet()).as("outcomes seen: %s", load.outcomes()).isSubsetOf("200", "429", "503");
      assertThat(load.refused()).isPositive();
      assertThat(load.missingFrom(TestTopics.readAll(kafka, topics.spans())))
          .as("acknowledged spans missing from the topic (of %d acknowledged)", load.acknowledgedCount()).isEmpty();
    }
  }
}
