package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.PROTOBUF;
import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.testsupport.OtlpSamples.hex;
import static io.tributary.testsupport.OtlpSamples.traceId;
import static io.tributary.testsupport.TestTopics.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.gateway.internal.GatewayServices;
import io.tributary.testsupport.OtlpSamples;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The production services on a server of the test's own ({@code configureGrpcServices} and
 * {@code configureHttpServices} are what {@link OtlpGateway} runs): here both on one port.
 */
@ExtendWith(SharedKafkaBroker.class)
class GatewayServicesIT {

  private static GatewayTestSupport.Topics topics;
  private static GatewayServices services;
  private static String kafka;

  @RegisterExtension
  static final ServerExtension server = new ServerExtension(false) {
    @Override
    protected void configure(ServerBuilder sb) {
      services.configureGrpcServices(sb);
      services.configureHttpServices(sb);
      services.serving(true);
    }
  };

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    topics = createTopics(kafka, "services", 3);
    services = new GatewayServices(GatewayTestSupport.config(kafka, topics).build());
    server.start();
    Awaitility.await("ready").atMost(Duration.ofSeconds(30)).until(services::isReady);
  }

  @AfterAll
  static void stop() {
    server.stop().join();
    services.close();
  }

  @Test
  void shouldServeOtlpGrpcAndHttpFromOneServer() {
    int port = server.httpPort();
    GrpcClients.newClient("http://127.0.0.1:" + port, TraceServiceGrpc.TraceServiceBlockingStub.class)
        .export(OtlpSamples.interleavedTraces(1, 2, 11000));
    assertThat(GatewayTestSupport.post(port, "/v1/traces", PROTOBUF,
        OtlpSamples.interleavedTraces(1, 2, 11001).toByteArray()).status().code()).isEqualTo(200);

    assertThat(readAll(kafka, topics.spans()).stream().map(r -> new String(r.key(), UTF_8)).toList())
        .containsExactlyInAnyOrder(hex(traceId(11000)), hex(traceId(11001)));
  }

  @Test
  void shouldFailToStartWithAClearMessageWhenAPortIsTaken() {
    GatewayConfig taken = GatewayTestSupport.config(kafka, topics).httpPort(server.httpPort()).build();
    assertThatThrownBy(() -> OtlpGateway.start(taken))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot start the OTLP gateway")
        .hasMessageContaining(Integer.toString(server.httpPort()));
    assertThat(List.of(services.isReady())).containsExactly(true);
  }
}
