package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.testsupport.TestTopics;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.processor.Pipeline;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.processor.ProcessorSettings;
import io.tributary.platform.roles.RoleContext;
import io.tributary.processors.PipelineConfig;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traces pipeline run by {@link ProcessorRole} on a real broker: readiness turns 200 once Kafka
 * Streams runs, and {@code /metrics} shows what it did with a few raw records (a redaction, a dead
 * letter, a sampling decision) next to Kafka Streams' own client metrics.
 *
 * <p>On its own broker: other tests of this JVM write to the same catalog topics, and what this one
 * asserts must come from its own records alone.
 */
class ProcessorMetricsIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path stateDir;

  @Test
  void shouldServeHealthAndPipelineCounters() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      run(broker);
    }
  }

  private void run(EmbeddedKafkaBroker broker) throws Exception {
    installTopics(broker.bootstrapServers());
    PipelineConfig config = PipelineConfig.parse("""
        sampling:
          decision-wait: 1s
          check-interval: 200ms
          policies:
            - name: everything
              always: {}
        """, "ProcessorMetricsIT", name -> null);
    ProcessorSettings settings = new ProcessorSettings(Set.of(Pipeline.TRACES), config, SerdeConfig.getDefault(),
        stateDir, 1, 0, false, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "processor-metrics-it",
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"), "127.0.0.1", 0);
    RoleContext context = new RoleContext().put(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers())
        .put(ProcessorRole.SETTINGS, settings);

    try (AutoCloseable processor = ProcessorRole.start(context)) {
      InetSocketAddress address = context.require(ProcessorRole.HTTP_ADDRESS);
      String base = "http://127.0.0.1:" + address.getPort();
      assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
      await("readiness turns 200 once the pipeline runs").atMost(Duration.ofSeconds(30))
          .until(() -> get(base + "/health/ready").statusCode(), status -> status == 200);
      assertThat(get(base + "/health/ready").body()).contains("traces RUNNING");

      try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(broker.bootstrapServers())) {
        producer.send(new ProducerRecord<>(TopicCatalog.OTLP_SPANS.name(), traceWithPrompt().toByteArray())).get();
        producer.send(new ProducerRecord<>(TopicCatalog.OTLP_SPANS.name(),
            "not protobuf".getBytes(StandardCharsets.UTF_8))).get();
      }

      await("counters in /metrics").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        String metrics = get(base + "/metrics").body();
        assertThat(value(metrics, "tributary_pipeline_redactions_total",
            "pipeline=\"traces\"", "rule=\"drop:gen_ai.prompt\"")).isEqualTo(1.0);
        assertThat(value(metrics, "tributary_pipeline_dead_lettered_total", "pipeline=\"traces\"")).isEqualTo(1.0);
        assertThat(value(metrics, "tributary_sampling_decisions_total", "outcome=\"keep\"", "policy=\"everything\""))
            .isEqualTo(1.0);
        assertThat(value(metrics, "tributary_sampling_traces_in_flight")).isEqualTo(0.0);
        assertThat(value(metrics, "tributary_span_metrics_spans_total")).isEqualTo(2.0);
        assertThat(value(metrics, "tributary_service_graph_edges_total", "pairing=\"virtual\"")).as("user -> root")
            .isEqualTo(1.0);
        assertThat(value(metrics, "tributary_service_graph_edges_total", "pairing=\"paired\"")).isEqualTo(0.0);
        assertThat(value(metrics, "tributary_sampling_late_spans_total", "decision=\"drop\"")).isEqualTo(0.0);
      });
      String metrics = get(base + "/metrics").body();
      assertThat(value(metrics, "tributary_sampling_decision_latency_seconds_count")).isEqualTo(1.0);
      assertThat(metrics).as("Kafka Streams client metrics").contains("kafka_stream_thread_", "kafka_consumer_",
          "kafka_producer_", "pipeline=\"traces\"");
    }
  }

  static void installTopics(String bootstrapServers) {
    try (TopicInstaller installer = TopicInstaller.builder().bootstrapServers(bootstrapServers).build()) {
      installer.ensure(TopicCatalog.ALL);
    }
  }

  /** One trace of two spans, one carrying an LLM prompt that redaction drops; the root a server span. */
  private static ExportTraceServiceRequest traceWithPrompt() {
    ByteString traceId = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    Span root = Span.newBuilder().setTraceId(traceId).setSpanId(ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1}))
        .setName("chat").setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_100_000_000L)
        .addAttributes(KeyValue.newBuilder().setKey("gen_ai.prompt").setValue(AnyValue.newBuilder().setStringValue("hi")))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)).build();
    Span child = root.toBuilder().clearAttributes().setSpanId(ByteString.copyFrom(new byte[] {2, 2, 2, 2, 2, 2, 2, 2}))
        .setParentSpanId(root.getSpanId()).setName("call").build();
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(root).addSpans(child))).build();
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of the sample of {@code name} whose labels include {@code labels}; NaN when there is
   * none (so an assertion on it fails with the value seen).
   */
  static double value(String exposition, String name, String... labels) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      String series = line.substring(0, line.lastIndexOf(' '));
      boolean matches = true;
      for (String label : labels) {
        matches &= series.contains(label);
      }
      if (matches) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }
}
