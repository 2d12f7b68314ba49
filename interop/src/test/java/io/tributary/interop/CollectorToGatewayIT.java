package io.tributary.interop;

import static io.tributary.testsupport.OtlpSamples.allTypesAttributes;
import static io.tributary.testsupport.OtlpSamples.counter;
import static io.tributary.testsupport.OtlpSamples.gauge;
import static io.tributary.testsupport.OtlpSamples.histogram;
import static io.tributary.testsupport.OtlpSamples.interleavedTraces;
import static io.tributary.testsupport.OtlpSamples.logRecord;
import static io.tributary.testsupport.OtlpSamples.logs;
import static io.tributary.testsupport.OtlpSamples.metrics;
import static io.tributary.testsupport.OtlpSamples.resource;
import static io.tributary.testsupport.OtlpSamples.spanId;
import static io.tributary.testsupport.OtlpSamples.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.Peers;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.testsupport.TestTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real OpenTelemetry Collector (the otelcol-kafka distribution) in front of the gateway: its otlp
 * receiver takes OTLP/HTTP, and its OTLP/gRPC ({@code otlp_grpc}) and OTLP/HTTP ({@code otlp_http})
 * exporters send to the gateway with the API key in their {@code headers}. What reaches the raw topics
 * equals what was sent, item by item, with the key's tenant; the Collector retries the gateway's 429
 * and 503 until nothing is lost; an oversize batch gets 413 / RESOURCE_EXHAUSTED as from any client.
 */
@ExtendWith(SharedKafkaBroker.class)
class CollectorToGatewayIT {

  private static final String HOST = "127.0.0.1";
  private static final String API_KEY = "interop-api-key-0123456789";
  private static final String TENANT = "acme";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** Raw topics of one test. */
  private record Topics(String spans, String logs, String metrics) {
    static Topics create(String kafka, String prefix) {
      Topics topics = new Topics(TestTopics.unique(prefix + "-spans"), TestTopics.unique(prefix + "-logs"),
          TestTopics.unique(prefix + "-metrics"));
      TestTopics.create(kafka, 3, TopicCatalog.OTLP_SPANS.configs(), topics.spans, topics.logs, topics.metrics);
      return topics;
    }
  }

  /** The Collector's two OTLP/HTTP receivers: one feeds its gRPC exporter, the other its HTTP exporter. */
  private record CollectorPorts(int viaGrpc, int viaHttp) {
    static CollectorPorts free() {
      return new CollectorPorts(LocalResources.freePort(HOST), LocalResources.freePort(HOST));
    }

    int of(boolean grpc) {
      return grpc ? viaGrpc : viaHttp;
    }

    /** A Collector on these ports sending to {@code gateway} (see {@link #collectorConfig}), once it listens. */
    ExternalServer start(OtlpGateway gateway, String authorization, String exporterExtras) {
      return Peers.start(Peers.collector(Peers.OTELCOL_KAFKA,
          collectorConfig(this, gateway, authorization, exporterExtras)), viaGrpc, viaHttp);
    }
  }

  @Test
  void everySignalSentToTheCollectorReachesTheRawTopicsFieldByFieldWithTheApiKeysTenant(EmbeddedKafkaBroker kafka)
      throws Exception {
    Topics topics = Topics.create(kafka.bootstrapServers(), "collector");
    try (OtlpGateway gateway = OtlpGateway.start(gatewayConfig(kafka, topics).build())) {
      CollectorPorts ports = CollectorPorts.free();
      try (ExternalServer collector = ports.start(gateway, "Bearer " + API_KEY, "")) {
        List<ExportTraceServiceRequest> traces = new ArrayList<>();
        List<ExportLogsServiceRequest> logs = new ArrayList<>();
        List<ExportMetricsServiceRequest> metrics = new ArrayList<>();
        for (boolean grpc : new boolean[] {true, false}) {
          long first = grpc ? 100 : 200;
          traces.add(interleavedTraces(3, 4, first));
          logs.add(logs(resource("checkout"), List.of(
              logRecord("with trace " + first, traceId(first), spanId(first)),
              logRecord("without trace " + first, null, null))));
          metrics.add(metrics(resource("checkout"), List.of(gauge("queue.depth." + first, 1.5, 2.5),
              counter("requests." + first, 42), histogram("latency." + first),
              exponentialHistogram("latency.exp." + first), summary("latency.summary." + first))));
          post(ports.of(grpc), "/v1/traces", traces.getLast());
          post(ports.of(grpc), "/v1/logs", logs.getLast());
          post(ports.of(grpc), "/v1/metrics", metrics.getLast());
        }

        String bootstrap = kafka.bootstrapServers();
        List<ExportTraceServiceRequest> sentSpans = OtlpItems.spans(traces);
        List<ExportTraceServiceRequest> spansInKafka = awaitItems(bootstrap, topics.spans, sentSpans.size(),
            ExportTraceServiceRequest.parser(), OtlpItems::spans);
        assertThat(spansInKafka).containsExactlyInAnyOrderElementsOf(sentSpans);
        assertThat(awaitItems(bootstrap, topics.logs, 4, ExportLogsServiceRequest.parser(), OtlpItems::logRecords))
            .containsExactlyInAnyOrderElementsOf(OtlpItems.logRecords(logs));
        List<ExportMetricsServiceRequest> sentMetrics = OtlpItems.metrics(metrics);
        assertThat(awaitItems(bootstrap, topics.metrics, sentMetrics.size(), ExportMetricsServiceRequest.parser(),
            OtlpItems::metrics)).containsExactlyInAnyOrderElementsOf(sentMetrics);

        for (String topic : List.of(topics.spans, topics.logs, topics.metrics)) {
          assertThat(TestTopics.readAll(bootstrap, topic)).allSatisfy(record ->
              assertThat(header(record, TelemetryHeaders.TENANT)).as("tenant header of %s", topic).isEqualTo(TENANT));
        }
        URI gatewayMetrics = URI.create("http://" + HOST + ":" + gateway.httpPort() + "/metrics");
        for (String transport : List.of("grpc", "http")) {
          assertThat(PrometheusText.sum(gatewayMetrics, "tributary_gateway_requests_total",
              Map.of("transport", transport, "outcome", "success")))
              .as("the Collector's %s exporter reached the gateway over %s", transport, transport)
              .isGreaterThanOrEqualTo(3);
        }
      }
    }
  }

  @Test
  void theCollectorWithoutTheApiKeyIsRefusedAndNothingIsWritten(EmbeddedKafkaBroker kafka) throws Exception {
    Topics topics = Topics.create(kafka.bootstrapServers(), "collector-nokey");
    try (OtlpGateway gateway = OtlpGateway.start(gatewayConfig(kafka, topics).build())) {
      CollectorPorts ports = CollectorPorts.free();
      try (ExternalServer collector = ports.start(gateway, "Bearer wrong-key", "")) {
        post(ports.viaGrpc, "/v1/traces", interleavedTraces(2, 2, 300));
        post(ports.viaHttp, "/v1/traces", interleavedTraces(2, 2, 400));
        URI gatewayMetrics = URI.create("http://" + HOST + ":" + gateway.httpPort() + "/metrics");
        awaitBothTransports(gatewayMetrics, "unauthenticated", Duration.ofSeconds(30));
        URI collectorMetrics = collector.baseUrl().resolve("/metrics");
        Awaitility.await("the Collector counted the refused spans as failed, not retried forever")
            .atMost(Duration.ofSeconds(30))
            .until(() -> PrometheusText.sum(collectorMetrics, "otelcol_exporter_send_failed_spans", Map.of()) >= 8);
        assertThat(TestTopics.readAll(kafka.bootstrapServers(), topics.spans)).isEmpty();
      }
    }
  }

  @Test
  void theCollectorRetriesThe429And503OfTheGatewayUntilNothingIsLost() throws Exception {
    // A broker of its own: the test stops it to make the gateway answer 503.
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
      Topics topics = Topics.create(kafka.bootstrapServers(), "collector-retry");
      // One request in flight at a time (the cap admits a request alone whatever its size), each held
      // ~100 ms by the producer's linger: the Collector's concurrent exports get 429 / RESOURCE_EXHAUSTED.
      GatewayConfig config = gatewayConfig(kafka, topics)
          .maxInFlightBytes(1)
          .producerOverride("linger.ms", "100")
          .producerOverride("request.timeout.ms", "2500")
          .kafkaDeliveryTimeout(Duration.ofSeconds(3))
          .retryAfter(Duration.ofSeconds(1))
          .build();
      try (OtlpGateway gateway = OtlpGateway.start(config)) {
        CollectorPorts ports = CollectorPorts.free();
        String retries = """
                sending_queue: { enabled: true, num_consumers: 8, queue_size: 1000 }
                retry_on_failure: { enabled: true, initial_interval: 200ms, max_interval: 2s, max_elapsed_time: 300s }
            """;
        try (ExternalServer collector = ports.start(gateway, "Bearer " + API_KEY, retries)) {
          URI gatewayMetrics = URI.create("http://" + HOST + ":" + gateway.httpPort() + "/metrics");
          Set<ByteString> sent = new HashSet<>();
          long trace = 1000;
          // Throttled: many concurrent exports against a one-request cap.
          for (int i = 0; i < 30; i++, trace += 10) {
            ExportTraceServiceRequest request = interleavedTraces(2, 3, trace);
            post(ports.of(i % 2 == 0), "/v1/traces", request);
            spanIds(request, sent);
          }
          awaitBothTransports(gatewayMetrics, "throttled", Duration.ofSeconds(60));
          // Unavailable: Kafka is gone; the Collector keeps the batches and retries.
          kafka.stop();
          for (int i = 0; i < 10; i++, trace += 10) {
            ExportTraceServiceRequest request = interleavedTraces(2, 3, trace);
            post(ports.of(i % 2 == 0), "/v1/traces", request);
            spanIds(request, sent);
          }
          awaitBothTransports(gatewayMetrics, "unavailable", Duration.ofSeconds(60));
          kafka.start();

          Awaitility.await("every span the Collector accepted is in Kafka after the retries")
              .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
              .untilAsserted(() -> assertThat(spanIdsIn(kafka.bootstrapServers(), topics.spans))
                  .containsAll(sent));
          URI collectorMetrics = collector.baseUrl().resolve("/metrics");
          assertThat(PrometheusText.sum(collectorMetrics, "otelcol_exporter_send_failed_spans", Map.of()))
              .as("the Collector gave up on no span").isZero();
        }
      }
    }
  }

  @Test
  void aBatchWithAnInvalidSpanGetsAPartialSuccessAndTheValidSpansAreWritten(EmbeddedKafkaBroker kafka)
      throws Exception {
    Topics topics = Topics.create(kafka.bootstrapServers(), "collector-partial");
    try (OtlpGateway gateway = OtlpGateway.start(gatewayConfig(kafka, topics).build())) {
      CollectorPorts ports = CollectorPorts.free();
      try (ExternalServer collector = ports.start(gateway, "Bearer " + API_KEY, "")) {
        Set<ByteString> valid = new HashSet<>();
        for (boolean grpc : new boolean[] {true, false}) {
          long trace = grpc ? 700 : 800;
          // The Collector passes an all-zero trace id on; OTLP calls it invalid, and so does the gateway.
          Span invalid = OtlpSamples.span(trace, trace * 10).toBuilder()
              .setTraceId(ByteString.copyFrom(new byte[16])).build();
          ExportTraceServiceRequest request = OtlpSamples.traces(resource("checkout"), OtlpSamples.scope("http"),
              List.of(OtlpSamples.span(trace, trace * 10 + 1), invalid, OtlpSamples.span(trace, trace * 10 + 2)));
          post(ports.of(grpc), "/v1/traces", request);
          valid.add(spanId(trace * 10 + 1));
          valid.add(spanId(trace * 10 + 2));
        }
        awaitBothTransports(URI.create("http://" + HOST + ":" + gateway.httpPort() + "/metrics"), "partial_success",
            Duration.ofSeconds(30));
        Awaitility.await("the valid spans of both batches").atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(spanIdsIn(kafka.bootstrapServers(), topics.spans))
                .containsExactlyInAnyOrderElementsOf(valid));
        assertThat(PrometheusText.sum(URI.create("http://" + HOST + ":" + gateway.httpPort() + "/metrics"),
            "tributary_gateway_spans_rejected_total", Map.of("reason", "invalid_trace_id"))).isEqualTo(2);
      }
    }
  }

  @Test
  void anOversizeBatchFromTheCollectorGets413OrResourceExhaustedAndNothingOfItIsWritten(EmbeddedKafkaBroker kafka)
      throws Exception {
    Topics topics = Topics.create(kafka.bootstrapServers(), "collector-oversize");
    try (OtlpGateway gateway = OtlpGateway.start(gatewayConfig(kafka, topics).maxRequestBytes(64 * 1024).build())) {
      CollectorPorts ports = CollectorPorts.free();
      try (ExternalServer collector = ports.start(gateway, "Bearer " + API_KEY, "")) {
        ExportTraceServiceRequest large = withLargeAttribute(interleavedTraces(1, 2, 500), 200 * 1024);
        post(ports.viaGrpc, "/v1/traces", large);
        post(ports.viaHttp, "/v1/traces", large);
        URI gatewayMetrics = URI.create("http://" + HOST + ":" + gateway.httpPort() + "/metrics");
        awaitBothTransports(gatewayMetrics, "too_large", Duration.ofSeconds(30));
        Awaitility.await("the Collector heard 413 and RESOURCE_EXHAUSTED").atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(collector.logTail(200))
                .contains("413").contains("ResourceExhausted"));
        URI collectorMetrics = collector.baseUrl().resolve("/metrics");
        Awaitility.await("the Collector dropped the oversize batches as permanent errors, not retried")
            .atMost(Duration.ofSeconds(30))
            .until(() -> PrometheusText.sum(collectorMetrics, "otelcol_exporter_send_failed_spans", Map.of()) >= 4);
        // A small batch after it still goes through: the refusal did not wedge the exporter.
        post(ports.viaHttp, "/v1/traces", interleavedTraces(1, 2, 600));
        Awaitility.await("a normal batch after the oversize one").atMost(Duration.ofSeconds(30))
            .until(() -> TestTopics.readAll(kafka.bootstrapServers(), topics.spans).size() == 1);
        assertThat(spanIdsIn(kafka.bootstrapServers(), topics.spans)).doesNotContainAnyElementsOf(spanIds(large, new HashSet<>()));
      }
    }
  }

  /** Waits until the gateway answered the Collector's gRPC and its HTTP exporter with {@code outcome}. */
  private static void awaitBothTransports(URI gatewayMetrics, String outcome, Duration atMost) {
    for (String transport : List.of("grpc", "http")) {
      Awaitility.await("the gateway's " + outcome + " answer to the Collector's " + transport + " exporter")
          .atMost(atMost)
          .until(() -> PrometheusText.sum(gatewayMetrics, "tributary_gateway_requests_total",
              Map.of("transport", transport, "outcome", outcome)) >= 1);
    }
  }

  private static GatewayConfig.Builder gatewayConfig(EmbeddedKafkaBroker kafka, Topics topics) {
    return GatewayConfig.builder()
        .bindAddress(HOST)
        .grpcPort(0)
        .httpPort(0)
        .bootstrapServers(kafka.bootstrapServers())
        .spansTopic(topics.spans)
        .logsTopic(topics.logs)
        .metricsTopic(topics.metrics)
        .apiKeys(Map.of(API_KEY, TENANT))
        .kafkaDeliveryTimeout(Duration.ofSeconds(10))
        .shutdown(Duration.ofMillis(100), Duration.ofSeconds(20));
  }

  /**
   * Two otlp receivers (OTLP/HTTP) and two exporters aimed at the gateway, every signal through both:
   * {@code otlp_grpc} with TLS off and the authorization header, {@code otlp_http} likewise.
   */
  private static String collectorConfig(CollectorPorts ports, OtlpGateway gateway, String authorization,
      String exporterExtras) {
    return """
        receivers:
          otlp/to-grpc:
            protocols: { http: { endpoint: "%1$s:%2$d" } }
          otlp/to-http:
            protocols: { http: { endpoint: "%1$s:%3$d" } }
        exporters:
          otlp_grpc:
            endpoint: "%1$s:%4$d"
            tls: { insecure: true }
            headers: { authorization: "%6$s" }
        %7$s
          otlp_http:
            endpoint: "http://%1$s:%5$d"
            headers: { authorization: "%6$s" }
        %7$s
        service:
          pipelines:
            traces/grpc: { receivers: [otlp/to-grpc], exporters: [otlp_grpc] }
            logs/grpc: { receivers: [otlp/to-grpc], exporters: [otlp_grpc] }
            metrics/grpc: { receivers: [otlp/to-grpc], exporters: [otlp_grpc] }
            traces/http: { receivers: [otlp/to-http], exporters: [otlp_http] }
            logs/http: { receivers: [otlp/to-http], exporters: [otlp_http] }
            metrics/http: { receivers: [otlp/to-http], exporters: [otlp_http] }
        """.formatted(HOST, ports.viaGrpc, ports.viaHttp, gateway.grpcPort(), gateway.httpPort(), authorization,
        exporterExtras);
  }

  /** POSTs an OTLP/HTTP protobuf request to the Collector's receiver; the Collector must accept it. */
  private static void post(int port, String path, Message request) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("the Collector's answer to %s: %s", path, response.body()).isEqualTo(200);
  }

  /** Waits until {@code topic} holds {@code count} items, then returns them flattened. */
  private static <T> List<T> awaitItems(String kafka, String topic, int count, Parser<T> parser,
      Function<List<T>, List<T>> flatten) {
    List<List<T>> result = new ArrayList<>(List.of(List.of()));
    Awaitility.await(count + " items in " + topic).atMost(Duration.ofSeconds(60)).until(() -> {
      result.set(0, flatten.apply(TestTopics.readAll(kafka, topic, parser)));
      return result.get(0).size() >= count;
    });
    return result.get(0);
  }

  private static Set<ByteString> spanIdsIn(String kafka, String topic) throws InvalidProtocolBufferException {
    Set<ByteString> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : TestTopics.readAll(kafka, topic)) {
      spanIds(ExportTraceServiceRequest.parseFrom(record.value()), ids);
    }
    return ids;
  }

  private static Set<ByteString> spanIds(ExportTraceServiceRequest request, Set<ByteString> into) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ss.getSpansList().forEach(span -> into.add(span.getSpanId()));
      }
    }
    return into;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static ExportTraceServiceRequest withLargeAttribute(ExportTraceServiceRequest request, int bytes) {
    ExportTraceServiceRequest.Builder b = request.toBuilder();
    Span.Builder first = b.getResourceSpansBuilderList().stream()
        .flatMap(rs -> rs.getScopeSpansBuilderList().stream())
        .filter(ss -> ss.getSpansCount() > 0).findFirst().orElseThrow().getSpansBuilder(0);
    first.addAttributes(OtlpSamples.attribute("payload", OtlpSamples.string("x".repeat(bytes))));
    return b.build();
  }

  static Metric exponentialHistogram(String name) {
    return Metric.newBuilder().setName(name).setUnit("s")
        .setExponentialHistogram(ExponentialHistogram.newBuilder()
            .setAggregationTemporality(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(OtlpSamples.T0).setTimeUnixNano(OtlpSamples.T0 + 10)
                .setCount(7).setSum(11.5).setScale(2).setZeroCount(1).setMin(-1).setMax(5)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
                    .addBucketCounts(2).addBucketCounts(0).addBucketCounts(3))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-1).addBucketCounts(1))
                .addAllAttributes(allTypesAttributes("point").subList(0, 4))))
        .build();
  }

  static Metric summary(String name) {
    return Metric.newBuilder().setName(name).setUnit("ms")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
            .setStartTimeUnixNano(OtlpSamples.T0).setTimeUnixNano(OtlpSamples.T0 + 10).setCount(4).setSum(10)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(2))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(4))))
        .build();
  }
}
