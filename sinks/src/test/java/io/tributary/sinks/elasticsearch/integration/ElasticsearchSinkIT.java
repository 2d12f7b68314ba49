package io.tributary.sinks.elasticsearch.integration;

import static io.tributary.sinks.elasticsearch.TestTelemetry.T0;
import static io.tributary.sinks.elasticsearch.TestTelemetry.spanId;
import static io.tributary.sinks.elasticsearch.TestTelemetry.traceId;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.committedOffsets;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.connectorConfig;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.deadLetterTopic;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.header;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.readAll;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.send;
import static io.tributary.testsupport.AvroValues.singleObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.elasticsearch.EsHttp;
import io.tributary.embedded.junit.SharedElasticsearch;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.schemas.avro.AlertState;
import io.tributary.schemas.avro.Span;
import io.tributary.sinks.SinkTaskMetrics;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnectorConfig;
import io.tributary.sinks.elasticsearch.TestTelemetry;
import io.tributary.sinks.internal.PoisonRecordException;
import io.tributary.testsupport.TestConnect;
import io.tributary.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Elasticsearch sink in a real Connect worker, against a real broker and a real Elasticsearch 9 node. */
@ExtendWith({SharedKafkaBroker.class, SharedElasticsearch.class})
class ElasticsearchSinkIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String TENANT = "acme";

  @RegisterExtension
  static final TestConnect CONNECT = TestConnect.worker("es-sink-it", Duration.ofMillis(500));

  private static EsHttp es;

  @BeforeAll
  static void connectToElasticsearch(EmbeddedElasticsearch elasticsearch) {
    es = new EsHttp(elasticsearch.httpUrl());
  }

  @Test
  void shouldWriteEverySignalToItsDataStreamAndFindSpansByTraceId(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) {
    TestTopics.create(kafka.bootstrapServers(), 2, "basic.spans", "basic.logs", "basic.metrics", "basic.alerts");
    try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      for (int t = 1; t <= 2; t++) {
        for (int s = 1; s <= 5; s++) {
          Span span = TestTelemetry.span(TENANT, traceId(t), spanId(10 * t + s), "GET /checkout", T0 + s, 2_000_000L * s);
          send(producer, "basic.spans", traceId(t), singleObject("basic.spans", span));
        }
      }
      for (int i = 0; i < 3; i++) {
        send(producer, "basic.logs", null, singleObject("basic.logs", TestTelemetry.log(TENANT, "payment failed " + i, T0 + i)));
      }
      for (int i = 0; i < 4; i++) {
        send(producer, "basic.metrics", "series", singleObject("basic.metrics",
            TestTelemetry.gauge(TENANT, "http.server.calls", 10 + i, T0 + i * 60_000_000_000L)));
      }
      send(producer, "basic.alerts", "fp", singleObject("basic.alerts",
          TestTelemetry.alert(TENANT, "HighErrorRate", AlertState.PENDING, 1_767_323_045_000L)));
      send(producer, "basic.alerts", "fp", singleObject("basic.alerts",
          TestTelemetry.alert(TENANT, "HighErrorRate", AlertState.FIRING, 1_767_323_105_000L)));
    }

    CONNECT.client().putConnector("es-basic", connectorConfig(elasticsearch, "basic",
        "basic.spans:spans,basic.logs:logs,basic.metrics:metrics,basic.alerts:alerts"));
    CONNECT.client().awaitRunning("es-basic", 1, WAIT);

    await("every record in its data stream").atMost(WAIT).untilAsserted(() -> {
      assertThat(es.count("traces-basic-acme")).as("spans").isEqualTo(10);
      assertThat(es.count("logs-basic-acme")).as("logs").isEqualTo(3);
      assertThat(es.count("metrics-basic-acme")).as("metric points").isEqualTo(4);
      assertThat(es.count("logs-basic.alerts-acme")).as("alerts").isEqualTo(2);
    });

    List<JsonNode> trace = es.search("traces-basic-*", "{\"term\":{\"trace_id\":\"" + traceId(2) + "\"}}");
    assertThat(trace).hasSize(5).allSatisfy(hit -> {
      assertThat(hit.path("_index").asText()).as("a data stream's backing index").startsWith(".ds-traces-basic-acme-");
      assertThat(hit.path("_id").asText()).isEqualTo(traceId(2) + hit.path("_source").path("span_id").asText());
    });
    JsonNode span = trace.stream().filter(h -> h.path("_id").asText().endsWith(spanId(23))).findFirst().orElseThrow()
        .path("_source");
    assertThat(span.path("name").asText()).isEqualTo("GET /checkout");
    assertThat(span.path("service").path("name").asText()).isEqualTo("checkout");
    assertThat(span.path("duration").asLong()).isEqualTo(6_000_000L);
    assertThat(span.path("status").path("code").asText()).isEqualTo("ok");
    assertThat(span.path("@timestamp").asText()).isEqualTo("2026-01-02T03:04:05.123456792Z");

    // Typed fields and flattened attributes are searchable.
    assertThat(es.search("traces-basic-*", "{\"range\":{\"duration\":{\"gte\":8000000}}}")).hasSize(4);
    assertThat(es.search("traces-basic-*", "{\"term\":{\"attributes.http.route\":\"/checkout\"}}")).hasSize(10);
    assertThat(es.search("traces-basic-*", "{\"term\":{\"resource.attributes.host.name\":\"node-1\"}}")).hasSize(10);
    assertThat(es.search("traces-basic-*", "{\"term\":{\"service.name\":\"checkout\"}}")).hasSize(10);
    assertThat(es.search("logs-basic-acme", "{\"match\":{\"body.text\":\"payment\"}}")).hasSize(3);
    assertThat(es.search("logs-basic-acme", "{\"term\":{\"attributes.exception.type\":\"java.io.IOException\"}}"))
        .hasSize(3);
    assertThat(es.search("metrics-basic-acme", "{\"range\":{\"value\":{\"gte\":12}}}")).hasSize(2);
    assertThat(es.search("logs-basic.alerts-acme", "{\"term\":{\"state\":\"firing\"}}")).singleElement()
        .satisfies(h -> assertThat(h.path("_source").path("labels").path("severity").asText()).isEqualTo("page"));
    CONNECT.client().delete("es-basic");
  }

  @Test
  void shouldNotDuplicateWhenTheSameRecordsAreDeliveredAgain(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) {
    TestTopics.create(kafka.bootstrapServers(), 3, "replay.spans", "replay.logs");
    try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      for (int i = 0; i < 60; i++) {
        send(producer, "replay.spans", traceId(i % 7), singleObject("replay.spans",
            TestTelemetry.span(TENANT, traceId(i % 7), spanId(i), "op-" + i, T0 + i, 1_000)));
      }
      for (int i = 0; i < 25; i++) {
        send(producer, "replay.logs", "k" + i, singleObject("replay.logs", TestTelemetry.log(TENANT, "line " + i, T0 + i)));
      }
    }
    Map<String, String> config = connectorConfig(elasticsearch, "replay", "replay.spans:spans,replay.logs:logs");
    CONNECT.client().putConnector("es-replay", config);
    CONNECT.client().awaitRunning("es-replay", 1, WAIT);
    await("first delivery written and committed").atMost(WAIT).untilAsserted(() -> {
      assertThat(es.count("traces-replay-acme")).isEqualTo(60);
      assertThat(es.count("logs-replay-acme")).isEqualTo(25);
      assertThat(committedOffsets(CONNECT.client(), "es-replay"))
          .isEqualTo(TestTopics.endOffsets(kafka.bootstrapServers(), List.of("replay.spans", "replay.logs")));
    });
    List<String> spanIds = es.ids("traces-replay-acme");
    List<String> logIds = es.ids("logs-replay-acme");

    CONNECT.client().stop("es-replay");
    await("stopped").atMost(WAIT).until(() -> CONNECT.client().status("es-replay").state().equals("STOPPED"));
    CONNECT.client().resetOffsets("es-replay");
    assertThat(committedOffsets(CONNECT.client(), "es-replay")).isEmpty();
    CONNECT.client().resume("es-replay");
    await("every record delivered again and committed").atMost(WAIT).untilAsserted(() ->
        assertThat(committedOffsets(CONNECT.client(), "es-replay"))
            .isEqualTo(TestTopics.endOffsets(kafka.bootstrapServers(), List.of("replay.spans", "replay.logs"))));

    assertThat(es.count("traces-replay-acme")).isEqualTo(60);
    assertThat(es.count("logs-replay-acme")).isEqualTo(25);
    assertThat(es.ids("traces-replay-acme")).containsExactlyInAnyOrderElementsOf(spanIds).doesNotHaveDuplicates();
    assertThat(es.ids("logs-replay-acme")).containsExactlyInAnyOrderElementsOf(logIds).doesNotHaveDuplicates();
    // The resumed task started its counts at zero: Elasticsearch answered 409 for every document, which is delivered.
    assertThat(TestConnect.taskMetric("es-replay", 0, SinkTaskMetrics.ITEMS_DELIVERED.name())).isEqualTo(85);
    assertThat(TestConnect.taskMetric("es-replay", 0, SinkTaskMetrics.RECORDS_FAILED.name())).isZero();
    assertThat(TestConnect.taskMetric("es-replay", 0, SinkTaskMetrics.REQUESTS.name())).isPositive();
    CONNECT.client().delete("es-replay");
  }

  @Test
  void shouldSendAPoisonRecordToTheDeadLetterTopicAndKeepGoing(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) {
    TestTopics.create(kafka.bootstrapServers(), 1, "poison.spans");
    byte[] garbage = "not an avro span".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      send(producer, "poison.spans", "a", singleObject("poison.spans", TestTelemetry.span(TENANT, traceId(1), spanId(1), "a", T0, 1)));
      send(producer, "poison.spans", "b", garbage);
      send(producer, "poison.spans", "c", singleObject("poison.spans", TestTelemetry.span(TENANT, traceId(1), spanId(2), "c", T0, 1)));
    }
    CONNECT.client().putConnector("es-poison", connectorConfig(elasticsearch, "poison", "poison.spans:spans"));
    CONNECT.client().awaitRunning("es-poison", 1, WAIT);

    await("the good spans written").atMost(WAIT).until(() -> es.count("traces-poison-acme") == 2);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(kafka, deadLetterTopic("poison"), 1);
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(r.value()).isEqualTo(garbage);
      assertThat(header(r, "__connect.errors.exception.class.name")).isEqualTo(PoisonRecordException.class.getName());
      assertThat(header(r, "__connect.errors.exception.message")).contains("poison.spans-0@1").contains("not a Span record");
      assertThat(header(r, "__connect.errors.topic")).isEqualTo("poison.spans");
    });
    assertThat(CONNECT.client().status("es-poison").isRunning(1)).isTrue();
    await("the task's counts").atMost(WAIT).untilAsserted(() -> {
      assertThat(TestConnect.taskMetric("es-poison", 0, SinkTaskMetrics.ITEMS_DELIVERED.name())).isEqualTo(2);
      assertThat(TestConnect.taskMetric("es-poison", 0, SinkTaskMetrics.RECORDS_FAILED.name())).isEqualTo(1);
    });
    assertThat(TestConnect.taskMetric("es-poison", 0, SinkTaskMetrics.ITEMS_RETRIED.name())).isZero();
    CONNECT.client().delete("es-poison");
  }

  @Test
  void shouldSendADocumentElasticsearchRefusesToTheDeadLetterTopicWithItsReason(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) {
    TestTopics.create(kafka.bootstrapServers(), 1, "malformed.spans");
    try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      send(producer, "malformed.spans", "a", singleObject("malformed.spans",
          TestTelemetry.span(TENANT, traceId(1), spanId(1), "a", T0, 1)));
      // Decodes fine, but Elasticsearch refuses a date_nanos before 1970.
      send(producer, "malformed.spans", "b", singleObject("malformed.spans",
          TestTelemetry.span(TENANT, traceId(1), spanId(2), "before the epoch", -5, 1)));
      send(producer, "malformed.spans", "c", singleObject("malformed.spans",
          TestTelemetry.span(TENANT, traceId(1), spanId(3), "c", T0, 1)));
    }
    CONNECT.client().putConnector("es-malformed", connectorConfig(elasticsearch, "malformed", "malformed.spans:spans"));
    CONNECT.client().awaitRunning("es-malformed", 1, WAIT);

    await("the good spans written").atMost(WAIT).until(() -> es.count("traces-malformed-acme") == 2);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(kafka, deadLetterTopic("malformed"), 1);
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(r.offset()).isZero();
      assertThat(header(r, "__connect.errors.offset")).isEqualTo("1");
      assertThat(header(r, "__connect.errors.exception.message"))
          .contains("400 document_parsing_exception").contains("[@timestamp]").contains("date_nanos");
      assertThat(header(r, "__connect.errors.exception.stacktrace")).contains("is before the epoch in 1970");
    });
    assertThat(es.search("traces-malformed-acme", "{\"match_all\":{}}"))
        .extracting(h -> h.path("_source").path("name").asText()).containsExactlyInAnyOrder("a", "c");
    CONNECT.client().delete("es-malformed");
  }

  @Test
  void shouldFailTheTaskRatherThanDropARecordWhenThereIsNoDeadLetterTopic(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) {
    TestTopics.create(kafka.bootstrapServers(), 1, "nodlq.spans");
    try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
      send(producer, "nodlq.spans", "b", "garbage".getBytes(StandardCharsets.UTF_8));
    }
    Map<String, String> config = new HashMap<>(connectorConfig(elasticsearch, "nodlq", "nodlq.spans:spans"));
    config.remove("errors.tolerance");
    config.remove("errors.deadletterqueue.topic.name");
    CONNECT.client().putConnector("es-nodlq", config);

    await("task failed").atMost(WAIT).untilAsserted(() -> assertThat(CONNECT.client().status("es-nodlq").failure())
        .hasValueSatisfying(trace -> assertThat(trace).contains("nodlq.spans-0@0").contains("errors.tolerance=all")));
    assertThat(committedOffsets(CONNECT.client(), "es-nodlq")).isEmpty();
    CONNECT.client().delete("es-nodlq");
  }

  @Test
  void shouldRefuseABadConfigurationThroughTheValidateEndpointWithTheReason(EmbeddedElasticsearch elasticsearch) {
    Map<String, String> config = new HashMap<>(connectorConfig(elasticsearch, "valid", "valid.spans:spans"));
    config.put("name", "es-valid");
    config.put("topics", "valid.spans,other.spans");
    config.put("connection.urls", "127.0.0.1:9200");
    config.put("data.stream.dataset", "My-Data");
    config.put("connection.username", "elastic");
    config.put("bulk.max.in.flight.requests", "0");

    ConnectRestClient.Validation validation = CONNECT.client().validate(ElasticsearchSinkConnector.class.getName(), config);

    assertThat(validation.isValid()).isFalse();
    Map<String, List<String>> problems = new HashMap<>();
    validation.problems().forEach(p -> problems.computeIfAbsent(p.config(), k -> new java.util.ArrayList<>())
        .add(p.message()));
    assertThat(problems).containsOnlyKeys("connection.urls", "data.stream.dataset", "connection.password",
        "bulk.max.in.flight.requests", "topic.signals");
    assertThat(problems.get("connection.urls")).singleElement().asString().contains("http://host:port");
    assertThat(problems.get("data.stream.dataset")).singleElement().asString().contains("a-z 0-9 _ .");
    assertThat(problems.get("connection.password")).containsExactly(ElasticsearchSinkConnectorConfig.AUTH_PAIR_ERROR);
    assertThat(problems.get("topic.signals")).singleElement().asString().contains("'other.spans'");

    config.put("topics", "valid.spans");
    config.put("connection.urls", elasticsearch.httpUrl().toString());
    config.put("data.stream.dataset", "valid");
    config.put("connection.password", "secret");
    config.put("bulk.max.in.flight.requests", "2");
    assertThat(CONNECT.client().validate(ElasticsearchSinkConnector.class.getName(), config).problems()).isEmpty();
  }
}
