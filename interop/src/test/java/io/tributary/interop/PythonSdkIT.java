package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.elasticsearch.EsHttp;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.junit.SharedElasticsearch;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.PromQl;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.processors.MetricsTopology;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.Topics;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnectorConfig;
import io.tributary.sinks.remotewrite.PrometheusRemoteWriteSinkConnector;
import io.tributary.sinks.remotewrite.PrometheusRemoteWriteSinkConnectorConfig;
import io.tributary.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenTelemetry Python SDK (interop/python/send_telemetry.py) against a real gateway:
 *
 * <ul>
 *   <li>over OTLP/gRPC and OTLP/HTTP protobuf, with an API key as header, every span, log record and
 *       metric the SDK exported reaches the raw topics unchanged, field by field, under the key's
 *       tenant;
 *   <li>its exponential histogram, explicit histogram and counter, all three with exemplars, go on
 *       through the metrics pipeline into a real VictoriaMetrics and a real Prometheus (remote_write
 *       sink) and a real Elasticsearch (Elasticsearch sink) with the values the SDK recorded.
 * </ul>
 *
 * <p>Remote_write 1.0 stores without native histograms (VictoriaMetrics 1.79, Prometheus 2.42
 * without the feature flag) get the exponential histogram as classic {@code _bucket} series, one
 * per exponential bucket with {@code le} its upper bound, as the OpenTelemetry Prometheus
 * compatibility rules allow ("MAY be converted to fixed-bucket histograms"). Exemplars go with the
 * sample of the bucket they fall in (a counter's with its sample): Prometheus with exemplar storage
 * keeps them, VictoriaMetrics 1.79 has none and ignores them; Elasticsearch keeps every exemplar
 * with its trace and span id.
 */
@ExtendWith(SharedKafkaBroker.class)
class PythonSdkIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String API_KEY = "python-interop-key";
  private static final String TENANT = "py-tenant";

  private static String kafka;
  private static String spansTopic;
  private static String logsTopic;
  private static String metricsTopic;
  private static OtlpGateway gateway;

  @BeforeAll
  static void startGateway(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    String suffix = Long.toString(System.nanoTime(), 36);
    spansTopic = "py-otlp_spans-" + suffix;
    logsTopic = "py-otlp_logs-" + suffix;
    metricsTopic = "py-otlp_metrics-" + suffix;
    createTopics(Map.of(spansTopic, TopicCatalog.OTLP_SPANS.configs(), logsTopic, TopicCatalog.OTLP_LOGS.configs(),
        metricsTopic, TopicCatalog.OTLP_METRICS.configs()));
    gateway = OtlpGateway.start(GatewayConfig.builder()
        .bindAddress("127.0.0.1").grpcPort(0).httpPort(0)
        .bootstrapServers(kafka)
        .spansTopic(spansTopic).logsTopic(logsTopic).metricsTopic(metricsTopic)
        .apiKeys(Map.of(API_KEY, TENANT))
        .shutdown(Duration.ofMillis(100), Duration.ofSeconds(20))
        .build());
    await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String endpoint(String protocol) {
    int port = protocol.equals(PythonSdk.GRPC) ? gateway.grpcPort() : gateway.httpPort();
    return "http://127.0.0.1:" + port;
  }

  // ---- (a) what the SDK exports reaches the raw topics, field by field ----

  @Test
  void shouldDeliverEverySpanLogAndMetricOfThePythonSdkOverGrpcAndHttpFieldByField(@TempDir Path dir) {
    for (String protocol : List.of(PythonSdk.GRPC, PythonSdk.HTTP_PROTOBUF)) {
      String service = "python-" + (protocol.equals(PythonSdk.GRPC) ? "grpc" : "http");
      PythonSdk.Sent sent = PythonSdk.send(protocol, endpoint(protocol), service, dir.resolve(service),
          "authorization=Bearer " + API_KEY);
      assertSentWhatTheScriptPromises(sent, service);

      // The exporters succeeded only once Kafka acknowledged every record: they are there now.
      List<ExportTraceServiceRequest> spanRecords = readRecords(spansTopic, ExportTraceServiceRequest.parser(),
          (key, request) -> {
            String traceId = hex(request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray());
            assertThat(key).as("span records are keyed by trace id").isEqualTo(traceId);
          });
      List<ExportLogsServiceRequest> logRecords = readRecords(logsTopic, ExportLogsServiceRequest.parser(), null);
      List<ExportMetricsServiceRequest> metricRecords =
          readRecords(metricsTopic, ExportMetricsServiceRequest.parser(), null);

      assertThat(items(spanRecords, service)).as("%s spans in %s", protocol, spansTopic)
          .containsExactlyInAnyOrderElementsOf(items(sent.traces(), service));
      assertThat(items(logRecords, service)).as("%s log records in %s", protocol, logsTopic)
          .containsExactlyInAnyOrderElementsOf(items(sent.logs(), service));
      assertThat(items(metricRecords, service)).as("%s metrics in %s", protocol, metricsTopic)
          .containsExactlyInAnyOrderElementsOf(items(sent.metrics(), service));
    }
  }

  /**
   * What the script promises to send is in what it says it sent, so the comparison with Kafka is a
   * comparison of every kind of field: ids, kinds, times, attributes of every type, status,
   * events, links, correlated logs, metric types with exemplars.
   */
  private static void assertSentWhatTheScriptPromises(PythonSdk.Sent sent, String service) {
    List<Span> spans = items(sent.traces(), service).stream()
        .map(r -> r.getResourceSpans(0).getScopeSpans(0).getSpans(0)).toList();
    assertThat(spans).extracting(Span::getName)
        .containsExactlyInAnyOrder("enqueue", "GET /checkout", "charge card", "validate");
    Span producer = span(spans, "enqueue");
    Span root = span(spans, "GET /checkout");
    Span child = span(spans, "charge card");
    Span grandchild = span(spans, "validate");
    assertThat(List.of(producer, root, child, grandchild)).extracting(Span::getKind).containsExactly(
        Span.SpanKind.SPAN_KIND_PRODUCER, Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_CLIENT,
        Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(child.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(grandchild.getParentSpanId()).isEqualTo(child.getSpanId());
    assertThat(List.of(child.getTraceId(), grandchild.getTraceId())).containsOnly(root.getTraceId());
    assertThat(producer.getTraceId()).isNotEqualTo(root.getTraceId());
    assertThat(root.getAttributesList()).extracting(kv -> kv.getValue().getValueCase()).contains(
        AnyValue.ValueCase.STRING_VALUE, AnyValue.ValueCase.BOOL_VALUE, AnyValue.ValueCase.INT_VALUE,
        AnyValue.ValueCase.DOUBLE_VALUE, AnyValue.ValueCase.BYTES_VALUE, AnyValue.ValueCase.ARRAY_VALUE,
        AnyValue.ValueCase.KVLIST_VALUE);
    assertThat(child.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(child.getStatus().getMessage()).isEqualTo("payment failed");
    assertThat(child.getEventsList()).extracting(Span.Event::getName).containsExactly("retry", "exception");
    assertThat(child.getLinksList()).singleElement().satisfies(link -> {
      assertThat(link.getTraceId()).isEqualTo(producer.getTraceId());
      assertThat(link.getSpanId()).isEqualTo(producer.getSpanId());
      assertThat(link.getAttributesList()).extracting(KeyValue::getKey).containsExactly("link.reason", "link.n");
    });
    assertThat(child.getEndTimeUnixNano() - child.getStartTimeUnixNano()).isEqualTo(6_000);

    List<LogRecord> logs = items(sent.logs(), service).stream()
        .map(r -> r.getResourceLogs(0).getScopeLogs(0).getLogRecords(0)).toList();
    assertThat(logs).hasSize(2);
    LogRecord error = logs.stream().filter(l -> l.getSeverityText().equals("ERROR")).findFirst().orElseThrow();
    assertThat(error.getTraceId()).as("the log emitted in the span carries its context").isEqualTo(child.getTraceId());
    assertThat(error.getSpanId()).isEqualTo(child.getSpanId());
    assertThat(error.getBody().getStringValue()).isEqualTo("card declined");
    assertThat(logs).filteredOn(l -> l.getSeverityText().equals("INFO")).singleElement()
        .satisfies(l -> assertThat(l.getBody().hasKvlistValue()).isTrue());

    Map<String, Metric> metrics = metrics(sent, service);
    assertThat(metrics).containsOnlyKeys(PythonSdk.COUNTER, PythonSdk.UP_DOWN_COUNTER, PythonSdk.HISTOGRAM,
        PythonSdk.EXPONENTIAL_HISTOGRAM, PythonSdk.GAUGE);
    ExponentialHistogramDataPoint exponential = metrics.get(PythonSdk.EXPONENTIAL_HISTOGRAM)
        .getExponentialHistogram().getDataPoints(0);
    assertThat(exponential.getCount()).isEqualTo(7);
    assertThat(exponential.getZeroCount()).isEqualTo(1);
    assertThat(exponential.getSum()).isEqualTo(1156.5);
    assertThat(List.of(exponential.getExemplarsList(),
            metrics.get(PythonSdk.HISTOGRAM).getHistogram().getDataPoints(0).getExemplarsList(),
            metrics.get(PythonSdk.COUNTER).getSum().getDataPoints(0).getExemplarsList()))
        .allSatisfy(exemplars -> assertThat(exemplars).isNotEmpty().allSatisfy(e -> {
          assertThat(e.getTraceId()).isEqualTo(child.getTraceId());
          assertThat(e.getSpanId()).isEqualTo(child.getSpanId());
        }));
  }

  private static Span span(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  // ---- (b) exponential histogram and exemplars through the metrics pipeline into the stores ----

  @Test
  @ExtendWith(SharedElasticsearch.class) // this test only: the node starts when it asks for it
  void shouldCarryTheExponentialHistogramAndExemplarsThroughTheMetricsPipelineIntoBothStores(
      EmbeddedElasticsearch elasticsearch, @TempDir Path dir) {
    String processed = metricsTopic + "-processed";
    String deadLetters = metricsTopic + "-dlq";
    String services = metricsTopic + "-ref-services";
    String prices = metricsTopic + "-ref-prices";
    Map<String, String> compacted = Map.of("cleanup.policy", "compact");
    createTopics(Map.of(processed, Map.of(), deadLetters, Map.of(), services, compacted, prices, compacted));
    PipelineConfig config = PipelineConfig.getDefault()
        .withEnrichment(EnrichmentConfig.builder().servicesTopic(services).pricesTopic(prices).build());
    String service = "python-pipeline";
    String dataset = "pyinterop";

    try (ExternalServer victoria = RequiredBackend.get(() -> ExternalServer.victoriaMetrics().build()).start();
        ExternalServer prometheus = RequiredBackend.get(() -> ExternalServer.prometheus()
            .args("--enable-feature=exemplar-storage").build()).start();
        KafkaStreams pipeline = new KafkaStreams(MetricsTopology.build(config,
            new Topics(metricsTopic, processed, deadLetters)), streamsProps(dir.resolve("streams")));
        EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder().bootstrapServers(kafka)
            .groupId("python-interop-connect").listener("http://127.0.0.1:0")
            .workerConfig("offset.flush.interval.ms", "1000").build().start()) {
      pipeline.start();
      ConnectRestClient connect = worker.client();
      Map<String, String> remoteWrite = sinkBase(PrometheusRemoteWriteSinkConnector.class.getName(), processed);
      remoteWrite.put(PrometheusRemoteWriteSinkConnectorConfig.URL_CONFIG,
          victoria.baseUrl().resolve("/api/v1/write").toString());
      connect.putConnector("py-remote-write", remoteWrite);
      Map<String, String> remoteWriteProm = sinkBase(PrometheusRemoteWriteSinkConnector.class.getName(), processed);
      remoteWriteProm.put(PrometheusRemoteWriteSinkConnectorConfig.URL_CONFIG,
          prometheus.baseUrl().resolve("/api/v1/write").toString());
      connect.putConnector("py-remote-write-prometheus", remoteWriteProm);
      Map<String, String> es = sinkBase(ElasticsearchSinkConnector.class.getName(), processed);
      es.put(ElasticsearchSinkConnectorConfig.CONNECTION_URLS_CONFIG, elasticsearch.httpUrl().toString());
      es.put(ElasticsearchSinkConnectorConfig.TOPIC_SIGNALS_CONFIG, processed + ":metrics");
      es.put(ElasticsearchSinkConnectorConfig.DATA_STREAM_DATASET_CONFIG, dataset);
      es.put(ElasticsearchSinkConnectorConfig.TEMPLATE_REPLICAS_CONFIG, "0");
      connect.putConnector("py-elasticsearch", es);
      connect.awaitRunning("py-remote-write", 1, TIMEOUT);
      connect.awaitRunning("py-remote-write-prometheus", 1, TIMEOUT);
      connect.awaitRunning("py-elasticsearch", 1, TIMEOUT);

      PythonSdk.Sent sent = PythonSdk.send(PythonSdk.HTTP_PROTOBUF, endpoint(PythonSdk.HTTP_PROTOBUF), service,
          dir.resolve("python"), "authorization=Bearer " + API_KEY);
      Map<String, Metric> metrics = metrics(sent, service);
      ExponentialHistogramDataPoint exponential = metrics.get(PythonSdk.EXPONENTIAL_HISTOGRAM)
          .getExponentialHistogram().getDataPoints(0);
      HistogramDataPoint histogram = metrics.get(PythonSdk.HISTOGRAM).getHistogram().getDataPoints(0);
      NumberDataPoint counter = metrics.get(PythonSdk.COUNTER).getSum().getDataPoints(0);

      // VictoriaMetrics, through the remote_write sink: the exponential histogram as classic buckets.
      java.net.URI vm = victoria.baseUrl();
      String job = "{job=\"" + PythonSdk.SERVICE_NAMESPACE + "/" + service + "\"}";
      Instant at = Instant.ofEpochSecond(0, exponential.getTimeUnixNano());
      await("the exponential histogram's count in VictoriaMetrics").atMost(TIMEOUT).until(() ->
          PromQl.value(vm, "interop_payload_size_bytes_count" + job, at) == exponential.getCount());
      assertThat(buckets(PromQl.query(vm, "interop_payload_size_bytes_bucket" + job, at)))
          .as("cumulative count per upper bound base^(index+1), zero bucket at the zero threshold")
          .containsExactlyEntriesOf(expectedBuckets(exponential));
      assertThat(PromQl.value(vm, "interop_payload_size_bytes_sum" + job, at)).isEqualTo(exponential.getSum());
      // The median of the recorded values (5.5) lies in bucket 9 at scale 2: (2^(9/4), 2^(10/4)].
      assertThat(exponential.getScale()).isEqualTo(2);
      assertThat(PromQl.value(vm, "histogram_quantile(0.5, interop_payload_size_bytes_bucket" + job + ")", at))
          .as("PromQL's median of the classic buckets").isBetween(Math.pow(2, 9 / 4.0), Math.pow(2, 10 / 4.0));

      Instant histogramAt = Instant.ofEpochSecond(0, histogram.getTimeUnixNano());
      await("the explicit histogram in VictoriaMetrics").atMost(TIMEOUT).until(() -> PromQl.value(vm,
          "interop_request_duration_milliseconds_count" + job, histogramAt) == histogram.getCount());
      TreeMap<Double, Double> explicit = new TreeMap<>();
      long cumulative = 0;
      for (int i = 0; i < histogram.getBucketCountsCount(); i++) {
        cumulative += histogram.getBucketCounts(i);
        explicit.put(i < histogram.getExplicitBoundsCount() ? histogram.getExplicitBounds(i) : Double.POSITIVE_INFINITY,
            (double) cumulative);
      }
      assertThat(buckets(PromQl.query(vm, "interop_request_duration_milliseconds_bucket" + job, histogramAt)))
          .containsExactlyEntriesOf(explicit);
      assertThat(PromQl.value(vm, "interop_request_duration_milliseconds_sum" + job, histogramAt))
          .isEqualTo(histogram.getSum());
      assertThat(PromQl.value(vm, "interop_orders_total" + job, Instant.ofEpochSecond(0, counter.getTimeUnixNano())))
          .isEqualTo(counter.getAsInt()).isEqualTo(7);
      NumberDataPoint upDown = metrics.get(PythonSdk.UP_DOWN_COUNTER).getSum().getDataPoints(0);
      assertThat(PromQl.value(vm, "interop_queue_depth" + job, Instant.ofEpochSecond(0, upDown.getTimeUnixNano())))
          .isEqualTo(upDown.getAsInt()).isEqualTo(7);
      NumberDataPoint gauge = metrics.get(PythonSdk.GAUGE).getGauge().getDataPoints(0);
      assertThat(PromQl.value(vm, "interop_temperature_celsius" + job,
          Instant.ofEpochSecond(0, gauge.getTimeUnixNano()))).isEqualTo(gauge.getAsDouble()).isEqualTo(21.5);

      // Prometheus with exemplar storage: each exemplar on the bucket it falls in, the counter's on its series.
      java.net.URI prom = prometheus.baseUrl();
      await("the histogram in Prometheus").atMost(TIMEOUT).until(() -> PromQl.value(prom,
          "interop_payload_size_bytes_count" + job, at) == exponential.getCount());
      assertThat(prometheusExemplars(prom, "interop_payload_size_bytes_bucket" + job, at))
          .containsExactlyInAnyOrderElementsOf(expectedExemplars(exponential.getExemplarsList(),
              bucketBounds(expectedBuckets(exponential))));
      TreeMap<Double, Double> explicitBounds = new TreeMap<>();
      histogram.getExplicitBoundsList().forEach(b -> explicitBounds.put(b, 0.0));
      explicitBounds.put(Double.POSITIVE_INFINITY, 0.0);
      assertThat(prometheusExemplars(prom, "interop_request_duration_milliseconds_bucket" + job, histogramAt))
          .containsExactlyInAnyOrderElementsOf(expectedExemplars(histogram.getExemplarsList(),
              bucketBounds(explicitBounds)));
      assertThat(prometheusExemplars(prom, "interop_orders_total" + job, at))
          .containsExactlyInAnyOrderElementsOf(expectedExemplars(counter.getExemplarsList(), List.of()));

      // Elasticsearch: every field of the points, exemplars with their trace context.
      EsHttp esHttp = new EsHttp(elasticsearch.httpUrl());
      String index = "metrics-" + dataset + "-py_tenant"; // the tenant as a data stream namespace: '-' is '_'
      await("the five metrics in Elasticsearch").atMost(TIMEOUT).untilAsserted(() -> assertThat(esHttp.search(index,
          "{\"term\":{\"service.name\":\"" + service + "\"}}")).extracting(h -> h.path("_source").path("name").asText())
          .containsExactlyInAnyOrderElementsOf(metrics.keySet()));
      JsonNode exponentialDoc = document(esHttp, index, service, PythonSdk.EXPONENTIAL_HISTOGRAM);
      assertThat(exponentialDoc.path("type").asText()).isEqualTo("exponential_histogram");
      assertThat(exponentialDoc.path("count").asLong()).isEqualTo(exponential.getCount());
      assertThat(exponentialDoc.path("sum").asDouble()).isEqualTo(exponential.getSum());
      assertThat(exponentialDoc.path("min").asDouble()).isEqualTo(exponential.getMin());
      assertThat(exponentialDoc.path("max").asDouble()).isEqualTo(exponential.getMax());
      JsonNode buckets = exponentialDoc.path("exponential_histogram");
      assertThat(buckets.path("scale").asInt()).isEqualTo(exponential.getScale());
      assertThat(buckets.path("zero_count").asLong()).isEqualTo(exponential.getZeroCount());
      assertThat(buckets.path("zero_threshold").asDouble()).isEqualTo(exponential.getZeroThreshold());
      assertThat(buckets.path("positive").path("offset").asInt()).isEqualTo(exponential.getPositive().getOffset());
      assertThat(longs(buckets.path("positive").path("counts"))).isEqualTo(exponential.getPositive().getBucketCountsList());
      assertThat(longs(buckets.path("negative").path("counts"))).isEqualTo(exponential.getNegative().getBucketCountsList());
      assertThat(exemplars(exponentialDoc)).isEqualTo(expectedExemplars(exponential.getExemplarsList()));

      JsonNode histogramDoc = document(esHttp, index, service, PythonSdk.HISTOGRAM);
      assertThat(histogramDoc.path("count").asLong()).isEqualTo(histogram.getCount());
      assertThat(histogramDoc.path("sum").asDouble()).isEqualTo(histogram.getSum());
      assertThat(doubles(histogramDoc.path("histogram").path("bounds"))).isEqualTo(histogram.getExplicitBoundsList());
      assertThat(longs(histogramDoc.path("histogram").path("counts"))).isEqualTo(histogram.getBucketCountsList());
      assertThat(exemplars(histogramDoc)).isEqualTo(expectedExemplars(histogram.getExemplarsList()));

      JsonNode counterDoc = document(esHttp, index, service, PythonSdk.COUNTER);
      assertThat(counterDoc.path("value").asLong()).isEqualTo(counter.getAsInt());
      assertThat(counterDoc.path("monotonic").asBoolean()).isTrue();
      assertThat(exemplars(counterDoc)).isEqualTo(expectedExemplars(counter.getExemplarsList()));

      assertThat(readRecords(deadLetters, ExportMetricsServiceRequest.parser(), null))
          .as("nothing dead-lettered by the pipeline").isEmpty();
    }
  }

  /** {@code le} bound to value; {@code +Inf} as infinity. */
  private static TreeMap<Double, Double> buckets(List<PromQl.Result> results) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (PromQl.Result r : results) {
      String le = r.labels().get("le");
      buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), r.value());
    }
    return roundedBounds(buckets);
  }

  /**
   * The classic buckets an exponential histogram point stands for, lowest first, each with the
   * cumulative count: negative bucket {@code offset + i} up to {@code -base^(offset + i)}, the zero
   * bucket up to the zero threshold, positive bucket {@code offset + i} up to
   * {@code base^(offset + i + 1)}, with {@code base = 2^(2^-scale)}; {@code +Inf} is the count.
   */
  private static TreeMap<Double, Double> expectedBuckets(ExponentialHistogramDataPoint p) {
    double base = Math.pow(2, Math.pow(2, -p.getScale()));
    TreeMap<Double, Double> buckets = new TreeMap<>();
    long cumulative = 0;
    List<Long> negative = p.getNegative().getBucketCountsList();
    for (int i = negative.size() - 1; i >= 0; i--) {
      cumulative += negative.get(i);
      buckets.put(-Math.pow(base, p.getNegative().getOffset() + i), (double) cumulative);
    }
    if (p.getZeroCount() > 0 || !negative.isEmpty()) {
      cumulative += p.getZeroCount();
      buckets.put(p.getZeroThreshold(), (double) cumulative);
    }
    for (int i = 0; i < p.getPositive().getBucketCountsCount(); i++) {
      cumulative += p.getPositive().getBucketCounts(i);
      buckets.put(Math.pow(base, p.getPositive().getOffset() + i + 1), (double) cumulative);
    }
    buckets.put(Double.POSITIVE_INFINITY, (double) p.getCount());
    return roundedBounds(buckets);
  }

  /** The upper bounds of buckets, lowest first. */
  private static List<Double> bucketBounds(TreeMap<Double, Double> buckets) {
    return new ArrayList<>(buckets.keySet());
  }

  /**
   * Exemplars of the series {@code selector} as Prometheus keeps them: the {@code le} of their
   * bucket (none for a counter), trace id, span id, value, time in milliseconds.
   */
  private static List<List<Object>> prometheusExemplars(java.net.URI base, String selector, Instant at) {
    List<List<Object>> out = new ArrayList<>();
    for (PromQl.Exemplar e : PromQl.exemplars(base, selector, at.minusSeconds(600), at.plusSeconds(60))) {
      String le = e.seriesLabels().get("le");
      out.add(List.of(le == null ? "" : le.equals("+Inf") ? "+Inf" : Double.toString(roundBound(Double.parseDouble(le))),
          e.labels().getOrDefault("trace_id", ""), e.labels().getOrDefault("span_id", ""), e.value(),
          e.time().toEpochMilli()));
    }
    return out;
  }

  /** As {@link #prometheusExemplars}: each in the first bucket whose bound is at least its value. */
  private static List<List<Object>> expectedExemplars(List<Exemplar> exemplars, List<Double> bounds) {
    List<List<Object>> out = new ArrayList<>();
    for (Exemplar e : exemplars) {
      double value = e.hasAsInt() ? e.getAsInt() : e.getAsDouble();
      String le = bounds.isEmpty() ? "" : "+Inf";
      for (double bound : bounds) {
        if (value <= bound) {
          le = Double.isInfinite(bound) ? "+Inf" : Double.toString(bound);
          break;
        }
      }
      out.add(List.of(le, hex(e.getTraceId().toByteArray()), hex(e.getSpanId().toByteArray()), value,
          e.getTimeUnixNano() / 1_000_000));
    }
    return out;
  }

  private static double roundBound(double bound) {
    return new java.math.BigDecimal(bound).round(new java.math.MathContext(12)).doubleValue();
  }

  /** Bounds to 12 significant digits, so a bound printed and parsed back compares equal. */
  private static TreeMap<Double, Double> roundedBounds(Map<Double, Double> buckets) {
    TreeMap<Double, Double> rounded = new TreeMap<>();
    buckets.forEach((bound, count) -> rounded.put(Double.isInfinite(bound) ? bound : roundBound(bound), count));
    return rounded;
  }

  /** The exemplars of a metric document: trace id, span id, value, time (epoch nanos). */
  private static List<List<Object>> exemplars(JsonNode doc) {
    List<List<Object>> out = new ArrayList<>();
    for (JsonNode e : doc.path("exemplars")) {
      Instant t = Instant.parse(e.path("timestamp").asText());
      out.add(List.of(e.path("trace_id").asText(), e.path("span_id").asText(), e.path("value").asDouble(),
          t.getEpochSecond() * 1_000_000_000L + t.getNano()));
    }
    return out;
  }

  private static List<List<Object>> expectedExemplars(List<Exemplar> exemplars) {
    return exemplars.stream().map(e -> List.<Object>of(hex(e.getTraceId().toByteArray()), hex(e.getSpanId().toByteArray()),
        e.hasAsInt() ? (double) e.getAsInt() : e.getAsDouble(), e.getTimeUnixNano())).toList();
  }

  private static JsonNode document(EsHttp es, String index, String service, String metric) {
    List<JsonNode> hits = es.search(index, "{\"bool\":{\"filter\":[{\"term\":{\"service.name\":\"" + service
        + "\"}},{\"term\":{\"name\":\"" + metric + "\"}}]}}");
    assertThat(hits).as("documents of %s", metric).hasSize(1);
    return hits.get(0).path("_source");
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asDouble()));
    return out;
  }

  private static Map<String, String> sinkBase(String connectorClass, String topic) {
    return ConnectRestClient.sinkConfig(connectorClass, topic,
        topic + "-" + connectorClass.substring(connectorClass.lastIndexOf('.') + 1));
  }

  private static Properties streamsProps(Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "python-interop-metrics-" + System.nanoTime());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return props;
  }

  // ---- OTLP requests as items: one span, log record or metric with its resource and scope ----

  /**
   * Every span, log record or metric of {@code requests} whose resource is {@code service}, each as
   * a request of its own holding it with its resource and scope: how the gateway may regroup items
   * into records does not matter, every field of each item and of its resource and scope does.
   */
  @SuppressWarnings("unchecked")
  private static <M extends Message> List<M> items(List<M> requests, String service) {
    List<M> items = new ArrayList<>();
    for (M request : requests) {
      FieldDescriptor resources = request.getDescriptorForType().findFieldByNumber(1); // resource_*
      for (int r = 0; r < request.getRepeatedFieldCount(resources); r++) {
        Message resource = (Message) request.getRepeatedField(resources, r);
        if (!service.equals(serviceName((Resource) resource.getField(resource.getDescriptorForType()
            .findFieldByNumber(1))))) {
          continue;
        }
        FieldDescriptor scopes = resource.getDescriptorForType().findFieldByNumber(2); // scope_*
        for (int s = 0; s < resource.getRepeatedFieldCount(scopes); s++) {
          Message scope = (Message) resource.getRepeatedField(scopes, s);
          FieldDescriptor children = scope.getDescriptorForType().findFieldByNumber(2); // spans, log_records, metrics
          for (int i = 0; i < scope.getRepeatedFieldCount(children); i++) {
            Message oneScope = scope.toBuilder().clearField(children)
                .addRepeatedField(children, scope.getRepeatedField(children, i)).build();
            Message oneResource = resource.toBuilder().clearField(scopes).addRepeatedField(scopes, oneScope).build();
            items.add((M) request.newBuilderForType().addRepeatedField(resources, oneResource).build());
          }
        }
      }
    }
    return items;
  }

  private static String serviceName(Resource resource) {
    return resource.getAttributesList().stream().filter(kv -> kv.getKey().equals("service.name"))
        .map(kv -> kv.getValue().getStringValue()).findFirst().orElse(null);
  }

  private static Map<String, Metric> metrics(PythonSdk.Sent sent, String service) {
    Map<String, Metric> metrics = new LinkedHashMap<>();
    for (ExportMetricsServiceRequest item : items(sent.metrics(), service)) {
      Metric metric = item.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
      assertThat(metrics.put(metric.getName(), metric)).as("one export, one %s", metric.getName()).isNull();
    }
    return metrics;
  }

  // ---- Kafka ----

  private static void createTopics(Map<String, Map<String, String>> topics) {
    topics.forEach((name, configs) -> TestTopics.create(kafka, 2, configs, name));
  }

  /** A check of one record: its key and its parsed value. */
  private interface RecordCheck<M> {
    void check(String key, M value);
  }

  /**
   * Every record of {@code topic} up to its end offsets as of now, parsed; each must carry the
   * API key's tenant, and passes {@code check} when given.
   */
  private static <M> List<M> readRecords(String topic, Parser<M> parser, RecordCheck<M> check) {
    List<M> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : TestTopics.readAll(kafka, topic)) {
      Header tenant = record.headers().lastHeader(TelemetryHeaders.TENANT);
      assertThat(tenant).as("tenant header of %s", record).isNotNull();
      assertThat(new String(tenant.value(), StandardCharsets.UTF_8)).isEqualTo(TENANT);
      M value = TestTopics.value(record, parser);
      if (check != null) {
        check.check(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), value);
      }
      values.add(value);
    }
    return values;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
