package io.tributary.interop;

import static io.tributary.testsupport.OtlpSamples.hex;
import static io.tributary.testsupport.OtlpSamples.resource;
import static io.tributary.testsupport.OtlpSamples.scope;
import static io.tributary.testsupport.OtlpSamples.span;
import static io.tributary.testsupport.OtlpSamples.spanId;
import static io.tributary.testsupport.OtlpSamples.traceId;
import static io.tributary.testsupport.OtlpSamples.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.Peers;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.processors.DeadLetterHeaders;
import io.tributary.processors.LogsTopology;
import io.tributary.processors.MetricsTopology;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.testsupport.TestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Collector's kafka exporter writing straight into Tributary's raw topics. With
 * {@code partition_traces_by_id} and {@code record_partitioner: {sticky_key: {hasher: murmur2}}} every
 * span of a trace lands on the partition the gateway's Java producer picks for the same trace, even when
 * the trace arrives split over several Collector batches and partly through the gateway; the Collector's
 * default hasher ({@code sarama_compat}, FNV-1a) does not agree. The traces pipeline's output for
 * Collector-written traffic, in {@code otlp_proto} or {@code otlp_json}, equals its output for the
 * same traffic through the gateway, and so do the logs and metrics pipelines' outputs; a record in
 * neither encoding goes to the dead-letter topic.
 */
@ExtendWith(SharedKafkaBroker.class)
class CollectorKafkaExporterIT {

  private static final String HOST = "127.0.0.1";
  private static final int PARTITIONS = 6;
  private static final int TRACES = 24;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void everySpanOfATraceLandsOnTheGatewaysPartitionWithTheMurmur2HasherAndNotWithTheDefault(EmbeddedKafkaBroker kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String shared = TestTopics.unique("otlp_spans-shared");
    String defaultHasher = TestTopics.unique("otlp_spans-sarama");
    TestTopics.create(bootstrap, PARTITIONS, TopicCatalog.OTLP_SPANS.configs(), shared, defaultHasher);
    int murmur2Port = LocalResources.freePort(HOST);
    int saramaPort = LocalResources.freePort(HOST);
    String config = """
        receivers:
          otlp/murmur2: { protocols: { http: { endpoint: "%1$s:%2$d" } } }
          otlp/default: { protocols: { http: { endpoint: "%1$s:%3$d" } } }
        exporters:
        %4$s
        %5$s
        service:
          pipelines:
            traces/murmur2: { receivers: [otlp/murmur2], exporters: [kafka/murmur2] }
            traces/default: { receivers: [otlp/default], exporters: [kafka/default] }
        """.formatted(HOST, murmur2Port, saramaPort, kafkaExporter("murmur2", bootstrap, shared, "otlp_proto", true),
        kafkaExporter("default", bootstrap, defaultHasher, "otlp_proto", false));
    try (ExternalServer collector = Peers.start(Peers.collector(Peers.OTELCOL_KAFKA, config), murmur2Port, saramaPort);
        OtlpGateway gateway = OtlpGateway.start(gatewayConfig(bootstrap, shared))) {
      // Each trace in three parts: two Collector batches and one request through the gateway.
      List<List<ExportTraceServiceRequest>> parts = splitTraces(0);
      for (ExportTraceServiceRequest request : parts.get(0)) {
        post(murmur2Port, "/v1/traces", request);
        post(saramaPort, "/v1/traces", request);
      }
      for (ExportTraceServiceRequest request : parts.get(1)) {
        post(murmur2Port, "/v1/traces", request);
        post(saramaPort, "/v1/traces", request);
      }
      for (ExportTraceServiceRequest request : parts.get(2)) {
        post(gateway.httpPort(), "/v1/traces", request);
      }

      Map<String, Set<Integer>> partitionsByTrace = new HashMap<>();
      Awaitility.await("three records per trace in " + shared).atMost(Duration.ofSeconds(60))
          .until(() -> TestTopics.readAll(bootstrap, shared).size() >= 3 * TRACES);
      List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readAll(bootstrap, shared);
      assertThat(records).hasSize(3 * TRACES);
      for (ConsumerRecord<byte[], byte[]> record : records) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        assertThat(key).as("the Collector's key is the trace id in lowercase hex, like the gateway's")
            .isEqualTo(hex(traceIdOf(record)));
        partitionsByTrace.computeIfAbsent(key, k -> new HashSet<>()).add(record.partition());
      }
      assertThat(partitionsByTrace).hasSize(TRACES);
      partitionsByTrace.forEach((trace, partitions) -> assertThat(partitions)
          .as("partitions of trace %s (Collector batches and gateway request)", trace)
          .containsExactly(javaPartition(trace)));

      Awaitility.await("two records per trace in " + defaultHasher).atMost(Duration.ofSeconds(60))
          .until(() -> TestTopics.readAll(bootstrap, defaultHasher).size() >= 2 * TRACES);
      long disagreeing = TestTopics.readAll(bootstrap, defaultHasher).stream()
          .filter(r -> r.partition() != javaPartition(new String(r.key(), StandardCharsets.UTF_8)))
          .count();
      assertThat(disagreeing).as("records the default sarama_compat hasher puts elsewhere than Kafka's murmur2")
          .isPositive();
    }
  }

  @Test
  void thePipelinesOutputForCollectorWrittenTrafficInProtoOrJsonEqualsItsOutputForTheGatewaysTraffic(
      EmbeddedKafkaBroker kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String viaGateway = TestTopics.unique("otlp_spans-gateway");
    String viaProto = TestTopics.unique("otlp_spans-collector-proto");
    String viaJson = TestTopics.unique("otlp_spans-collector-json");
    TestTopics.create(bootstrap, 3, TopicCatalog.OTLP_SPANS.configs(), viaGateway, viaProto, viaJson);
    int receiverPort = LocalResources.freePort(HOST);
    String config = """
        receivers:
          otlp: { protocols: { http: { endpoint: "%1$s:%2$d" } } }
        exporters:
        %3$s
        %4$s
        service:
          pipelines:
            traces: { receivers: [otlp], exporters: [kafka/proto, kafka/json] }
        """.formatted(HOST, receiverPort, kafkaExporter("proto", bootstrap, viaProto, "otlp_proto", true),
        kafkaExporter("json", bootstrap, viaJson, "otlp_json", true));
    try (ExternalServer collector = Peers.start(Peers.collector(Peers.OTELCOL_KAFKA, config), receiverPort);
        OtlpGateway gateway = OtlpGateway.start(gatewayConfig(bootstrap, viaGateway))) {
      List<List<ExportTraceServiceRequest>> parts = splitTraces(5000);
      for (List<ExportTraceServiceRequest> part : parts) {
        for (ExportTraceServiceRequest request : part) {
          post(receiverPort, "/v1/traces", request);
          post(gateway.httpPort(), "/v1/traces", request);
        }
      }
      int spans = parts.stream().flatMap(List::stream).mapToInt(r -> OtlpItems.spans(List.of(r)).size()).sum();
      Awaitility.await("the Collector wrote every trace in both encodings").atMost(Duration.ofSeconds(60))
          .until(() -> TestTopics.readAll(bootstrap, viaJson).size() >= TRACES * 2
              && TestTopics.readAll(bootstrap, viaProto).size() >= TRACES * 2);
      // A record in neither encoding, between good ones: it goes to the dead-letter topic.
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(viaJson, "not-a-trace".getBytes(StandardCharsets.UTF_8),
            "[\"neither protobuf nor OTLP/JSON\"".getBytes(StandardCharsets.UTF_8))).get();
      }

      try (PipelineRun fromGateway = PipelineRun.start(bootstrap, viaGateway, PipelineRun.CONFIG, TracesTopology::build);
          PipelineRun fromProto = PipelineRun.start(bootstrap, viaProto, PipelineRun.CONFIG, TracesTopology::build);
          PipelineRun fromJson = PipelineRun.start(bootstrap, viaJson, PipelineRun.CONFIG, TracesTopology::build)) {
        for (PipelineRun run : List.of(fromGateway, fromProto, fromJson)) {
          Awaitility.await("every span kept by the pipeline on " + run.topics().input())
              .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
              .until(() -> run.output(io.tributary.schemas.avro.Span.class).size() >= spans);
        }
        List<io.tributary.schemas.avro.Span> expected = sorted(fromGateway.output(io.tributary.schemas.avro.Span.class));
        assertThat(expected).as("the fixture's spans all have an error status, so all are kept").hasSize(spans);
        assertThat(sorted(fromProto.output(io.tributary.schemas.avro.Span.class))).as("kept spans of the Collector's otlp_proto records")
            .isEqualTo(expected);
        assertThat(sorted(fromJson.output(io.tributary.schemas.avro.Span.class))).as("kept spans of the Collector's otlp_json records")
            .isEqualTo(expected);

        assertThat(fromGateway.deadLetters()).isEmpty();
        assertThat(fromProto.deadLetters()).isEmpty();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = fromJson.deadLetters();
        assertThat(deadLetters).hasSize(1);
        String reason = new String(deadLetters.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
            StandardCharsets.UTF_8);
        assertThat(reason).containsIgnoringCase("protobuf").containsIgnoringCase("JSON");
      }
    }
  }

  @Test
  void logsAndMetricsFromTheCollectorsKafkaExporterGoThroughTheirPipelinesAsFromTheGateway(EmbeddedKafkaBroker kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String gatewaySpans = TestTopics.unique("otlp_spans-gw");
    String gatewayLogs = gatewaySpans + "-logs";
    String gatewayMetrics = gatewaySpans + "-metrics";
    String collectorLogs = TestTopics.unique("otlp_logs-collector-json");
    String collectorMetrics = TestTopics.unique("otlp_metrics-collector-proto");
    TestTopics.create(bootstrap, 3, TopicCatalog.OTLP_LOGS.configs(), gatewaySpans, gatewayLogs, gatewayMetrics, collectorLogs,
        collectorMetrics);
    int receiverPort = LocalResources.freePort(HOST);
    String config = """
        receivers:
          otlp: { protocols: { http: { endpoint: "%1$s:%2$d" } } }
        exporters:
          kafka:
            brokers: ["%3$s"]
            logs: { topic: %4$s, encoding: otlp_json }
            metrics: { topic: %5$s, encoding: otlp_proto }
            producer: { required_acks: -1 }
        service:
          pipelines:
            logs: { receivers: [otlp], exporters: [kafka] }
            metrics: { receivers: [otlp], exporters: [kafka] }
        """.formatted(HOST, receiverPort, bootstrap, collectorLogs, collectorMetrics);
    ExportLogsServiceRequest logs = OtlpSamples.logs(resource("checkout"), List.of(
        OtlpSamples.logRecord("with a trace", traceId(9001), spanId(9001)), OtlpSamples.logRecord("alone", null, null)));
    ExportMetricsServiceRequest metrics = OtlpSamples.metrics(resource("checkout"), List.of(
        OtlpSamples.gauge("queue.depth", 1.5, 2.5), OtlpSamples.counter("requests", 42),
        OtlpSamples.histogram("latency"), CollectorToGatewayIT.exponentialHistogram("latency.exp"),
        CollectorToGatewayIT.summary("latency.summary")));
    try (ExternalServer collector = Peers.start(Peers.collector(Peers.OTELCOL_KAFKA, config), receiverPort);
        OtlpGateway gateway = OtlpGateway.start(gatewayConfig(bootstrap, gatewaySpans))) {
      for (int port : new int[] {receiverPort, gateway.httpPort()}) {
        post(port, "/v1/logs", logs);
        post(port, "/v1/metrics", metrics);
      }
      try (PipelineRun logsViaGateway = PipelineRun.start(bootstrap, gatewayLogs, PipelineRun.CONFIG, LogsTopology::build);
          PipelineRun logsViaCollector = PipelineRun.start(bootstrap, collectorLogs, PipelineRun.CONFIG,
              LogsTopology::build);
          PipelineRun metricsViaGateway = PipelineRun.start(bootstrap, gatewayMetrics, PipelineRun.CONFIG,
              MetricsTopology::build);
          PipelineRun metricsViaCollector = PipelineRun.start(bootstrap, collectorMetrics, PipelineRun.CONFIG,
              MetricsTopology::build)) {
        Awaitility.await("both log records through both pipelines").atMost(Duration.ofSeconds(60))
            .until(() -> logsViaGateway.output(LogRecord.class).size() == 2
                && logsViaCollector.output(LogRecord.class).size() == 2);
        assertThat(logsViaCollector.output(LogRecord.class))
            .as("log records of the Collector's otlp_json records")
            .containsExactlyInAnyOrderElementsOf(logsViaGateway.output(LogRecord.class));
        int points = metricsViaGateway.output(MetricPoint.class).size();
        Awaitility.await("every metric point through both pipelines").atMost(Duration.ofSeconds(60))
            .until(() -> metricsViaGateway.output(MetricPoint.class).size() >= 6
                && metricsViaCollector.output(MetricPoint.class).size()
                == metricsViaGateway.output(MetricPoint.class).size());
        assertThat(metricsViaCollector.output(MetricPoint.class))
            .as("metric points of the Collector's otlp_proto records (%d before the wait)", points)
            .containsExactlyInAnyOrderElementsOf(metricsViaGateway.output(MetricPoint.class));
        for (PipelineRun run : List.of(logsViaGateway, logsViaCollector, metricsViaGateway, metricsViaCollector)) {
          assertThat(run.deadLetters()).as("dead letters of %s", run.topics().input()).isEmpty();
        }
      }
    }
  }

  /**
   * {@value #TRACES} traces of six spans each under two resources, in three parts: each trace has two
   * spans in every part, so every part holds a piece of every trace.
   */
  private static List<List<ExportTraceServiceRequest>> splitTraces(long firstTrace) {
    List<List<ExportTraceServiceRequest>> parts = new ArrayList<>();
    for (int part = 0; part < 3; part++) {
      List<Span> checkout = new ArrayList<>();
      List<Span> payments = new ArrayList<>();
      for (int t = 0; t < TRACES; t++) {
        long trace = firstTrace + t;
        for (int s = 0; s < 2; s++) {
          long n = trace * 100 + part * 10 + s;
          Span span = span(traceId(trace), spanId(n), s == 0 ? null : spanId(n - 1), "op-" + part + "-" + s);
          (t % 2 == 0 ? checkout : payments).add(span);
        }
      }
      parts.add(List.of(traces(resource("checkout"), scope("http"), checkout),
          traces(resource("payments"), scope("grpc"), payments)));
    }
    return parts;
  }

  /**
   * The YAML of a kafka exporter {@code kafka/<name>} writing traces to {@code topic} keyed by trace id,
   * with acks=all, and the murmur2 hasher when {@code murmur2} (else the exporter's default).
   */
  private static String kafkaExporter(String name, String bootstrap, String topic, String encoding, boolean murmur2) {
    return """
        kafka/%s:
          brokers: ["%s"]
          traces: { topic: %s, encoding: %s }
          partition_traces_by_id: true
          producer: { required_acks: -1 }
        %s""".formatted(name, bootstrap, topic, encoding,
        murmur2 ? "  record_partitioner: { sticky_key: { hasher: murmur2 } }\n" : "").indent(2).stripTrailing();
  }

  private static GatewayConfig gatewayConfig(String bootstrap, String spansTopic) {
    return GatewayConfig.builder().bindAddress(HOST).grpcPort(0).httpPort(0).bootstrapServers(bootstrap)
        .spansTopic(spansTopic).logsTopic(spansTopic + "-logs").metricsTopic(spansTopic + "-metrics")
        .shutdown(Duration.ofMillis(100), Duration.ofSeconds(20)).build();
  }

  private static void post(int port, String path, com.google.protobuf.Message request) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("answer of port %d: %s", port, response.body()).isEqualTo(200);
  }

  /** The partition Kafka's Java producer (the gateway's) picks for a key: murmur2, positive, modulo. */
  private static int javaPartition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private static ByteString traceIdOf(ConsumerRecord<byte[], byte[]> record) {
    try {
      Set<ByteString> ids = OtlpItems.spans(List.of(ExportTraceServiceRequest.parseFrom(record.value()))).stream()
          .map(r -> r.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId()).collect(Collectors.toSet());
      assertThat(ids).as("trace ids of one record").hasSize(1);
      return ids.iterator().next();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("a record of the raw topic is not an ExportTraceServiceRequest", e);
    }
  }

  private static List<io.tributary.schemas.avro.Span> sorted(List<io.tributary.schemas.avro.Span> spans) {
    return spans.stream().sorted(Comparator.comparing((io.tributary.schemas.avro.Span s) -> s.getSpanId().toString()))
        .toList();
  }
}
