package io.tributary.sinks.integration;

import static io.tributary.sinks.integration.ConnectSupport.utf8;
import static io.tributary.testsupport.AvroValues.singleObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.schemas.avro.Span;
import io.tributary.sinks.Spans;
import io.tributary.sinks.otlp.OtlpSinkConnector;
import io.tributary.testsupport.TestConnect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The OTLP sink against a real Grafana Tempo (Testcontainers): spans written through the connector
 * are read back from {@code /api/traces/<id>}. Runs wherever a Docker engine is reachable; without
 * one (these machines and CI have none) it is skipped with a loud reason. The image comes from the
 * system property {@code tributary.tempo.image}.
 */
@ExtendWith(SharedKafkaBroker.class)
class TempoContainerIT {

  static final String IMAGE = System.getProperty("tributary.tempo.image", "grafana/tempo:2.7.2");
  private static final String TRACE = "5b8efff798038103d269b633813fc60c";
  private static final String TEMPO_CONFIG = """
      server:
        http_listen_port: 3200
      distributor:
        receivers:
          otlp:
            protocols:
              http:
                endpoint: "0.0.0.0:4318"
      storage:
        trace:
          backend: local
          wal:
            path: /tmp/tempo/wal
          local:
            path: /tmp/tempo/blocks
      """;

  @Test
  void shouldStoreSpansInTempoAndReadThemBackByTraceId(EmbeddedKafkaBroker broker) throws Exception {
    if (!dockerAvailable()) {
      throw RequiredBackend.unavailable("TempoContainerIT needs a Docker engine for " + IMAGE
          + " and none is reachable here (Testcontainers found no DOCKER_HOST or socket); it runs wherever one is");
    }
    try (GenericContainer<?> tempo = new GenericContainer<>(DockerImageName.parse(IMAGE))
        .withCopyToContainer(Transferable.of(TEMPO_CONFIG), "/etc/tempo.yaml")
        .withCommand("-config.file=/etc/tempo.yaml")
        .withExposedPorts(3200, 4318)
        .waitingFor(Wait.forHttp("/ready").forPort(3200).withStartupTimeout(Duration.ofMinutes(3)));
        EmbeddedConnectWorker worker = TestConnect.startWorker(broker.bootstrapServers(), "tempo-it",
            Duration.ofSeconds(1))) {
      tempo.start();
      ConnectRestClient connect = worker.client();
      String topic = ConnectSupport.createTopic(broker, "spans-tempo", 1);
      Map<String, String> config = ConnectSupport.connectorBase(OtlpSinkConnector.class.getName(), topic, topic + "-dlq");
      config.put("otlp.endpoint", "http://" + tempo.getHost() + ":" + tempo.getMappedPort(4318));
      connect.putConnector("tempo", config);
      connect.awaitRunning("tempo", 1, Duration.ofSeconds(60));

      var resource = Spans.avroResource("checkout", "c-1");
      var scope = Spans.avroScope("io.opentelemetry.http", "2.1");
      List<Span> spans = List.of(
          Spans.rich("default", TRACE, "0000000000000001", "GET /cart", resource, scope),
          Spans.simple("default", TRACE, "0000000000000002", "SELECT cart", resource, scope));
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      for (Span s : spans) {
        keys.add(utf8(TRACE));
        values.add(singleObject(topic, s));
      }
      ConnectSupport.send(broker, topic, keys, values);

      URI traceUrl = URI.create("http://" + tempo.getHost() + ":" + tempo.getMappedPort(3200) + "/api/traces/" + TRACE);
      HttpClient http = HttpClient.newHttpClient();
      List<JsonNode> found = new ArrayList<>();
      await("Tempo returns the trace with both spans").atMost(Duration.ofSeconds(90)).until(() -> {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(traceUrl).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        found.clear();
        if (r.statusCode() == 200) {
          new ObjectMapper().readTree(r.body()).findValues("spans").forEach(list -> list.forEach(found::add));
        }
        return found.size() == 2;
      });
      assertThat(found).extracting(s -> s.path("name").asText()).containsExactlyInAnyOrder("GET /cart", "SELECT cart");
      assertThat(found).extracting(s -> HexFormat.of().formatHex(Base64.getDecoder().decode(s.path("spanId").asText())))
          .containsExactlyInAnyOrder("0000000000000001", "0000000000000002");
      assertThat(found).allSatisfy(s -> assertThat(HexFormat.of().formatHex(
          Base64.getDecoder().decode(s.path("traceId").asText()))).isEqualTo(TRACE));
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
