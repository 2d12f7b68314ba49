package io.tributary.sinks.elasticsearch;

import static io.tributary.sinks.elasticsearch.ElasticsearchSinkConnectorConfig.AUTH_EXCLUSIVE_ERROR;
import static io.tributary.sinks.elasticsearch.ElasticsearchSinkConnectorConfig.AUTH_PAIR_ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.Signal;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnectorConfig.BehaviorOnMalformed;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ElasticsearchSinkConnectorConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> p = new HashMap<>();
    p.put("connection.urls", "http://127.0.0.1:9200");
    return p;
  }

  @Test
  void shouldDefaultToTheCatalogTopicsPerTenantDataStreamsAndTheDeadLetterQueue() {
    ElasticsearchSinkConnectorConfig config = new ElasticsearchSinkConnectorConfig(minimal());

    assertThat(config.urls()).containsExactly(URI.create("http://127.0.0.1:9200"));
    assertThat(config.topicSignals()).containsExactly(Map.entry("telemetry.spans", Signal.TRACES),
        Map.entry("telemetry.logs", Signal.LOGS), Map.entry("telemetry.metrics", Signal.METRICS),
        Map.entry("telemetry.alerts", Signal.ALERTS));
    assertThat(config.dataStreamNames().dataStream(Signal.TRACES, "acme")).isEqualTo("traces-tributary-acme");
    assertThat(config.behaviorOnMalformed()).isEqualTo(BehaviorOnMalformed.DLQ);
    assertThat(config.installTemplates()).isTrue();
    assertThat(config.templateReplicas()).isEmpty();
    assertThat(config.httpSettings().batchSize()).isEqualTo(1000);
    assertThat(config.httpSettings().batchMaxAge()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.httpSettings().bufferMaxSize()).isEqualTo(8000);
    assertThat(config.bulkMaxBytes()).isEqualTo(5L * 1024 * 1024);
    assertThat(config.bulkMaxInFlight()).isEqualTo(4);
    assertThat(config.httpSettings().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.httpSettings().requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.httpSettings().headers()).isEmpty();
    assertThat(config.retryTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void shouldReadEveryOption() {
    Map<String, String> p = minimal();
    p.put("connection.urls", "https://es-0:9200, https://es-1:9200");
    p.put("topic.signals", "spans-topic:SPANS,alerts-topic:alerts");
    p.put("data.stream.dataset", "tributary.prod");
    p.put("data.stream.namespace", "default");
    p.put("index.template.replicas", "0");
    p.put("batch.size", "500");
    p.put("batch.max.bytes", "1048576");
    p.put("batch.max.age.ms", "0");
    p.put("max.in.flight.requests", "2");
    p.put("auth.api.key", "a2V5");
    p.put("http.request.timeout.ms", "30000");
    p.put("behavior.on.malformed", "FAIL");
    p.put("retry.timeout.ms", "5000");

    ElasticsearchSinkConnectorConfig config = new ElasticsearchSinkConnectorConfig(p);

    assertThat(config.urls()).hasSize(2);
    assertThat(config.topicSignals()).containsOnly(Map.entry("spans-topic", Signal.TRACES),
        Map.entry("alerts-topic", Signal.ALERTS));
    assertThat(config.dataStreamNames().dataStream(Signal.ALERTS, "acme")).isEqualTo("logs-tributary.prod.alerts-default");
    assertThat(config.templateReplicas()).hasValue(0);
    assertThat(config.httpSettings().batchSize()).isEqualTo(500);
    assertThat(config.bulkMaxBytes()).isEqualTo(1_048_576);
    assertThat(config.httpSettings().batchMaxAge()).isZero();
    assertThat(config.bulkMaxInFlight()).isEqualTo(2);
    assertThat(config.httpSettings().headers()).containsEntry("Authorization", "ApiKey a2V5");
    assertThat(config.httpSettings().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.behaviorOnMalformed()).isEqualTo(BehaviorOnMalformed.FAIL);
    assertThat(config.retryTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldRefuseBadValuesNamingTheOption() {
    assertRefused(Map.of(), "connection.urls");
    assertRefused(Map.of("connection.urls", "es-0:9200"), "connection.urls");
    assertRefused(Map.of("topic.signals", "telemetry.spans:traces"), "topic.signals");
    assertRefused(Map.of("topic.signals", "telemetry.spans"), "topic.signals");
    assertRefused(Map.of("topic.signals", "a:spans,a:logs"), "topic.signals");
    assertRefused(Map.of("data.stream.dataset", "My-Data"), "data.stream.dataset");
    assertRefused(Map.of("data.stream.namespace", "tenant-{tenant}"), "data.stream.namespace");
    assertRefused(Map.of("index.template.replicas", "-1"), "index.template.replicas");
    assertRefused(Map.of("batch.size", "0"), "batch.size");
    assertRefused(Map.of("max.in.flight.requests", "0"), "max.in.flight.requests");
    assertRefused(Map.of("bulk.max.in.flight.requests", "0"), "max.in.flight.requests");
    assertRefused(Map.of("behavior.on.malformed", "ignore"), "behavior.on.malformed");
  }

  private static void assertRefused(Map<String, String> overrides, String key) {
    Map<String, String> p = overrides.containsKey("connection.urls") || !overrides.isEmpty() ? minimal() : new HashMap<>();
    p.putAll(overrides);
    assertThatThrownBy(() -> new ElasticsearchSinkConnectorConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  @Test
  void shouldReportCrossFieldProblemsThroughValidate() {
    Map<String, String> p = minimal();
    p.put("connector.class", ElasticsearchSinkConnector.class.getName());
    p.put("topics", "telemetry.spans,custom.spans");
    p.put("connection.username", "elastic");
    p.put("connection.api.key", "a2V5");

    Config result = new ElasticsearchSinkConnector().validate(p);
    Map<String, List<String>> errors = result.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
        .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));

    assertThat(errors).containsOnlyKeys("connection.password", "connection.api.key", "topic.signals");
    assertThat(errors.get("connection.password")).containsExactly(AUTH_PAIR_ERROR);
    assertThat(errors.get("connection.api.key")).containsExactly(AUTH_EXCLUSIVE_ERROR);
    assertThat(errors.get("topic.signals")).singleElement().asString()
        .contains("'custom.spans'").contains("custom.spans:<spans|logs|metrics|alerts>");
  }

  @Test
  void shouldAcceptAConsistentConfigurationAndGiveEachTaskItsId() {
    Map<String, String> p = minimal();
    p.put("topics", "telemetry.spans");
    p.put("connection.username", "elastic");
    p.put("connection.password", "secret");
    ElasticsearchSinkConnector connector = new ElasticsearchSinkConnector();

    assertThat(connector.validate(p).configValues()).allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());
    connector.start(p);
    assertThat(connector.taskConfigs(2)).extracting(c -> c.get("task.id")).containsExactly("0", "1");
    assertThat(connector.taskConfigs(2).get(1)).containsEntry("connection.password", "secret");
  }

  @Test
  void shouldRefuseToStartWithCrossFieldProblems() {
    Map<String, String> p = minimal();
    p.put("connection.password", "secret");

    assertThatThrownBy(() -> new ElasticsearchSinkConnector().start(p)).isInstanceOf(ConfigException.class)
        .hasMessage("connection.username: " + AUTH_PAIR_ERROR);
  }

  @Test
  void shouldStillAcceptTheNamesUsedBeforeTheSharedOnes() {
    Map<String, String> p = minimal();
    p.put("connection.username", "elastic");
    p.put("connection.password", "secret");
    p.put("connection.timeout.ms", "1000");
    p.put("read.timeout.ms", "10000");
    p.put("bulk.max.records", "500");
    p.put("bulk.max.bytes", "1048576");
    p.put("bulk.linger.ms", "50");
    p.put("bulk.max.in.flight.requests", "2");

    ElasticsearchSinkConnectorConfig config = new ElasticsearchSinkConnectorConfig(p);

    assertThat(config.httpSettings().headers()).containsEntry("Authorization", "Basic ZWxhc3RpYzpzZWNyZXQ=");
    assertThat(config.httpSettings().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.httpSettings().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.httpSettings().batchSize()).isEqualTo(500);
    assertThat(config.bulkMaxBytes()).isEqualTo(1_048_576);
    assertThat(config.httpSettings().batchMaxAge()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.bulkMaxInFlight()).isEqualTo(2);
    p.put("batch.size", "700");
    assertThat(new ElasticsearchSinkConnectorConfig(p).httpSettings().batchSize()).as("the new name wins")
        .isEqualTo(700);
  }
}
