package io.tributary.sinks.elasticsearch.integration;

import static io.tributary.sinks.elasticsearch.TestTelemetry.T0;
import static io.tributary.sinks.elasticsearch.TestTelemetry.spanId;
import static io.tributary.sinks.elasticsearch.TestTelemetry.traceId;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.connectorConfig;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.send;
import static io.tributary.testsupport.AvroValues.singleObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.elasticsearch.EsHttp;
import io.tributary.embedded.junit.SharedElasticsearch;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.sinks.elasticsearch.TestTelemetry;
import io.tributary.testsupport.TestCertificates;
import io.tributary.testsupport.TestConnect;
import io.tributary.testsupport.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Elasticsearch sink against a real Elasticsearch 9 node with security on: https with a
 * certificate from the test's own authority (trusted through {@code tls.ca.file}, not the JVM's trust
 * store), basic authentication and a bearer token (a service account's). Credentials Elasticsearch
 * refuses stop the task with the reason instead of retrying.
 */
@ExtendWith(SharedKafkaBroker.class)
class ElasticsearchSecuredSinkIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String TENANT = "acme";
  private static final String USER = "tributary-it";
  private static final String PASSWORD = "s3cret-passw0rd";

  @RegisterExtension
  static final TestConnect CONNECT = TestConnect.worker("es-secured-it", Duration.ofMillis(500));

  private static Path dir;
  private static TestCertificates certificates;
  private static EmbeddedElasticsearch elasticsearch;
  private static EsHttp es;

  @BeforeAll
  static void startSecuredElasticsearch() throws Exception {
    dir = Files.createTempDirectory("tributary-es-secured");
    certificates = TestCertificates.create(dir.resolve("tls"));
    EmbeddedElasticsearch.Security security = new EmbeddedElasticsearch.Security(certificates.serverCertificate(),
        certificates.serverKey(), USER, PASSWORD);
    elasticsearch = SharedElasticsearch.builder().security(security).build().start();
    es = new EsHttp(elasticsearch.httpUrl(), certificates.trustingCa(), security.basicAuthorization());
  }

  @AfterAll
  static void stopElasticsearch() {
    if (elasticsearch != null) {
      elasticsearch.close();
    }
  }

  @Test
  void shouldWriteOverHttpsWithBasicAuthentication(EmbeddedKafkaBroker kafka) {
    assertThat(elasticsearch.httpUrl().getScheme()).isEqualTo("https");
    deliver(kafka, "basic", Map.of("auth.type", "basic", "auth.basic.username", USER,
        "auth.basic.password", PASSWORD));
  }

  @Test
  void shouldWriteWithABearerToken(EmbeddedKafkaBroker kafka) {
    // A service account's token (Elasticsearch's own bearer tokens; its OAuth2 token service and API keys
    // need the security index, which this minimal distribution cannot create). The account may write data
    // streams but not install index templates: a basic-auth connector installs them first.
    deliver(kafka, "bearer", "bearer-basic", Map.of("auth.type", "basic", "auth.basic.username", USER,
        "auth.basic.password", PASSWORD), 5);
    String token = elasticsearch.createServiceToken("elastic/fleet-server", "tributary-it");
    EsHttp asService = new EsHttp(elasticsearch.httpUrl(), certificates.trustingCa(), "Bearer " + token);
    await("the node has read the token file").atMost(WAIT).untilAsserted(() -> assertThat(
        asService.get("/_security/_authenticate").path("username").asText()).isEqualTo("elastic/fleet-server"));
    deliver(kafka, "bearer", "bearer-token", Map.of("auth.type", "bearer", "auth.bearer.token", token,
        "index.template.install", "false"), 10);
  }

  @Test
  void shouldStopTheTaskWithTheReasonWhenTheCredentialsAreRefused(EmbeddedKafkaBroker kafka) {
    String topic = produce(kafka, "refused");
    Map<String, String> config = secured("refused", topic);
    config.putAll(Map.of("auth.type", "basic", "auth.basic.username", USER, "auth.basic.password", "wrong-password"));
    ConnectRestClient connect = CONNECT.client();
    connect.putConnector("es-refused", config);
    await("the task fails with Elasticsearch's answer").atMost(WAIT).untilAsserted(() ->
        assertThat(connect.status("es-refused").failure()).hasValueSatisfying(trace ->
            assertThat(trace).contains("Elasticsearch answered 401").contains("auth.*")));
    assertThat(es.count("traces-refused-*")).isZero();
    connect.delete("es-refused");
  }

  /** Five spans through a connector with {@code auth}, and the CA from {@code tls.ca.file}. */
  private static void deliver(EmbeddedKafkaBroker kafka, String dataset, Map<String, String> auth) {
    deliver(kafka, dataset, dataset, auth, 5);
  }

  /** Five spans of a new topic into {@code dataset} through a connector with {@code auth}: {@code total} there then. */
  private static void deliver(EmbeddedKafkaBroker kafka, String dataset, String name, Map<String, String> auth,
      long total) {
    String topic = produce(kafka, name);
    Map<String, String> config = secured(dataset, topic);
    config.putAll(auth);
    ConnectRestClient connect = CONNECT.client();
    connect.putConnector("es-" + name, config);
    await("five spans over https with " + name).atMost(WAIT)
        .untilAsserted(() -> assertThat(es.count("traces-" + dataset + "-" + TENANT)).isEqualTo(total));
    connect.delete("es-" + name);
  }

  private static Map<String, String> secured(String dataset, String topic) {
    Map<String, String> config = connectorConfig(elasticsearch, dataset, topic + ":spans");
    config.put("tls.ca.file", certificates.ca().toString());
    return config;
  }

  /** Five spans of one trace, a trace of its own per topic (so no document id repeats across topics). */
  private static String produce(EmbeddedKafkaBroker kafka, String name) {
    String topic = "secured-" + name + ".spans"; // the broker is shared with the other sink tests
    int trace = Math.floorMod(name.hashCode(), 100_000) + 1;
    TestTopics.create(kafka.bootstrapServers(), 1, topic);
    try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      for (int s = 1; s <= 5; s++) {
        send(producer, topic, traceId(trace), singleObject(topic,
            TestTelemetry.span(TENANT, traceId(trace), spanId(s), "GET /checkout", T0 + s, 1_000_000L)));
      }
    }
    return topic;
  }
}
