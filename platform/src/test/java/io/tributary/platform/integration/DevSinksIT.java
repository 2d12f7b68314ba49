package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.CommandLineRun;
import io.tributary.platform.Roles;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.connect.ConnectRole;
import io.tributary.platform.connect.SinkConnectors;
import io.tributary.platform.elasticsearch.ElasticsearchRole;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.kafka.EmbeddedKafkaRole;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.roles.StartedRoles;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary dev} with its sinks, end to end: OTLP through the gateway and the pipelines into
 * the embedded Elasticsearch (a real 9.5.3 node) and a real VictoriaMetrics over remote_write. A span
 * is found by trace id in Elasticsearch, span metrics answer PromQL; then the documents are deleted
 * (the test distribution cannot delete data streams themselves),
 * {@code tributary replay --connector} rebuilds exactly the same documents (count and ids), and a
 * second replay adds no duplicate.
 */
class DevSinksIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String SERVICE = "dev-sinks-it";
  private static final int TRACES = 8;
  private static final int SPANS_PER_TRACE = 3;
  private static final int LOGS = 6;

  @TempDir
  Path temp;

  @Test
  void shouldPersistIntoElasticsearchAndRemoteWriteAndReplayWithoutDuplicates() throws Exception {
    Path zip = elasticsearchZip();
    try (ExternalServer victoria = RequiredBackend.get(() -> ExternalServer.victoriaMetrics().build()).start()) {
      RoleContext context = DevOnFreePorts.context(temp, "--elasticsearch-dir", temp.resolve("elasticsearch").toString(),
          "--elasticsearch-distribution", zip.toString(), "--remote-write-url", victoria.baseUrl() + "api/v1/write");
      try (StartedRoles started = Roles.REGISTRY.start(Roles.DEV, context)) {
        OtlpGateway gateway = context.require(GatewayRole.GATEWAY);
        URI elasticsearch = context.require(ElasticsearchRole.URL);
        URI connect = context.require(ConnectRole.REST_URL);
        String bootstrap = context.require(EmbeddedKafkaRole.BROKER).bootstrapServers();
        Set<String> traceIds = sendTelemetry("http://127.0.0.1:" + gateway.httpPort());

        // The shipped sampling keeps every trace with an error: all of them here, after decision-wait.
        String someTrace = traceIds.iterator().next();
        await("a span found by trace id in Elasticsearch").atMost(Duration.ofSeconds(120))
            .until(() -> count(elasticsearch, "traces-*", "trace_id:" + someTrace), n -> n == SPANS_PER_TRACE);
        await("every span and log in Elasticsearch").atMost(Duration.ofSeconds(60)).until(() ->
            count(elasticsearch, "traces-*", "service.name:" + SERVICE) == TRACES * SPANS_PER_TRACE
                && count(elasticsearch, "logs-*", "service.name:" + SERVICE) == LOGS);
        await("span metrics answer PromQL").atMost(Duration.ofSeconds(120)).until(() -> promql(victoria,
            "sum({__name__=~\"traces_span_metrics_calls.*\",job=\"" + SERVICE + "\"})"),
            value -> value == TRACES * SPANS_PER_TRACE);

        Set<String> spanIds = ids(elasticsearch, "traces-*");
        Set<String> logIds = ids(elasticsearch, "logs-*");
        assertThat(spanIds).hasSize(TRACES * SPANS_PER_TRACE);
        assertThat(logIds).hasSize(LOGS);

        deleteAll(elasticsearch, "traces-*");
        deleteAll(elasticsearch, "logs-*");
        assertThat(count(elasticsearch, "traces-*", "service.name:" + SERVICE)).isZero();

        for (int round = 1; round <= 2; round++) {
          CommandLineRun replay = CommandLineRun.run("replay", "--connector", SinkConnectors.ELASTICSEARCH,
              "--to", "earliest", "--connect-url", connect.toString(), "--bootstrap-server", bootstrap,
              "--timeout", "2m");
          assertThat(replay.exitCode()).as("replay %s: %s", round, replay).isEqualTo(ExitCodes.OK);
          assertThat(replay.out()).contains("Replaying connector " + SinkConnectors.ELASTICSEARCH, "caught up");
          await("replay " + round + " rebuilt the documents").atMost(Duration.ofSeconds(60)).until(() ->
              count(elasticsearch, "traces-*", "service.name:" + SERVICE) == TRACES * SPANS_PER_TRACE
                  && count(elasticsearch, "logs-*", "service.name:" + SERVICE) == LOGS);
          assertThat(ids(elasticsearch, "traces-*")).as("same span documents after replay %s", round)
              .isEqualTo(spanIds);
          assertThat(ids(elasticsearch, "logs-*")).as("same log documents after replay %s", round).isEqualTo(logIds);
        }
        assertThat(started.names()).contains(Roles.EMBEDDED_ELASTICSEARCH, Roles.CONNECT);
      }
    }
  }

  private static Path elasticsearchZip() {
    String zip = System.getProperty("tributary.elasticsearch.zip");
    if (zip == null || !Files.isRegularFile(Path.of(zip))) {
      throw RequiredBackend.missing("the Elasticsearch distribution zip (system property tributary.elasticsearch.zip, "
          + "set by the build) is missing: " + zip);
    }
    return Path.of(zip);
  }

  /** Traces of one service, each with an error so sampling keeps it, and logs; returns the trace ids. */
  private static Set<String> sendTelemetry(String endpoint) {
    Resource resource = Resource.getDefault().merge(Resource.create(
        Attributes.of(AttributeKey.stringKey("service.name"), SERVICE)));
    SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
            .setEndpoint(endpoint + "/v1/traces").build()).build())
        .build();
    SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource)
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(OtlpHttpLogRecordExporter.builder()
            .setEndpoint(endpoint + "/v1/logs").build()).build())
        .build();
    Set<String> traceIds = new HashSet<>();
    try {
      Tracer tracer = tracing.get("dev-sinks-it");
      for (int t = 0; t < TRACES; t++) {
        Span root = tracer.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER).startSpan();
        Context parent = Context.current().with(root);
        for (int c = 1; c < SPANS_PER_TRACE; c++) {
          Span child = tracer.spanBuilder("step " + c).setParent(parent).startSpan();
          child.end();
        }
        root.setStatus(StatusCode.ERROR, "declined");
        root.end();
        traceIds.add(root.getSpanContext().getTraceId());
      }
      for (int l = 0; l < LOGS; l++) {
        logging.get("dev-sinks-it").logRecordBuilder().setSeverity(Severity.WARN).setBody("order " + l + " retried").emit();
      }
      assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logging.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      tracing.shutdown().join(10, TimeUnit.SECONDS);
      logging.shutdown().join(10, TimeUnit.SECONDS);
    }
    return traceIds;
  }

  private static long count(URI es, String index, String query) throws Exception {
    JsonNode body = get(es, index + "/_count?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    return body.path("count").asLong(-1);
  }

  private static Set<String> ids(URI es, String index) throws Exception {
    JsonNode body = get(es, index + "/_search?size=1000&_source=false&q="
        + URLEncoder.encode("service.name:" + SERVICE, StandardCharsets.UTF_8));
    Set<String> ids = new TreeSet<>();
    body.at("/hits/hits").forEach(hit -> ids.add(hit.path("_id").asText()));
    return ids;
  }

  /**
   * Deletes this test's documents from the data streams' backing indices with a bulk request (the
   * integ-test distribution has neither the data stream APIs nor delete-by-query).
   */
  private static void deleteAll(URI es, String index) throws Exception {
    JsonNode hits = get(es, index + "/_search?size=1000&_source=false&q="
        + URLEncoder.encode("service.name:" + SERVICE, StandardCharsets.UTF_8)).at("/hits/hits");
    StringBuilder bulk = new StringBuilder();
    hits.forEach(hit -> bulk.append("{\"delete\":{\"_index\":\"").append(hit.path("_index").asText())
        .append("\",\"_id\":\"").append(hit.path("_id").asText()).append("\"}}\n"));
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base(es).resolve("_bulk?refresh=true"))
        .header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(bulk.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("errors").asBoolean()).as(response.body()).isFalse();
  }

  private static JsonNode get(URI es, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base(es).resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static URI base(URI es) {
    String s = es.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }

  private static double promql(ExternalServer victoria, String query) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(victoria.baseUrl().resolve(
        "api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode result = JSON.readTree(response.body()).at("/data/result");
    return result.isEmpty() ? Double.NaN : result.get(0).at("/value/1").asDouble();
  }
}
