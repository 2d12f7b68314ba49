package io.tributary.interop;

import static io.tributary.testsupport.OtlpSamples.attribute;
import static io.tributary.testsupport.OtlpSamples.counter;
import static io.tributary.testsupport.OtlpSamples.gauge;
import static io.tributary.testsupport.OtlpSamples.hex;
import static io.tributary.testsupport.OtlpSamples.histogram;
import static io.tributary.testsupport.OtlpSamples.logRecord;
import static io.tributary.testsupport.OtlpSamples.logs;
import static io.tributary.testsupport.OtlpSamples.metrics;
import static io.tributary.testsupport.OtlpSamples.resource;
import static io.tributary.testsupport.OtlpSamples.scope;
import static io.tributary.testsupport.OtlpSamples.span;
import static io.tributary.testsupport.OtlpSamples.spanId;
import static io.tributary.testsupport.OtlpSamples.string;
import static io.tributary.testsupport.OtlpSamples.traceId;
import static io.tributary.testsupport.OtlpSamples.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.Peers;
import io.tributary.processors.LogsTopology;
import io.tributary.processors.MetricsTopology;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tributary's pipelines write their output as OTLP protobuf ({@code otlp-output}) and the peers read it
 * with their own kafka receivers: Jaeger v2 stores the kept traces (read back through its query API
 * equal to what Tributary kept, redacted values redacted, dropped traces absent), and a Collector
 * consumes spans, log records and metrics and writes them back out unchanged.
 */
@ExtendWith(SharedKafkaBroker.class)
class OtlpOutputToCollectorAndJaegerIT {

  private static final String HOST = "127.0.0.1";
  private static final String EMAIL = "jane.doe@example.com";
  private static final String REDACTED_EMAIL = "[REDACTED:email]";

  /** Only traces with an error are kept (no probabilistic share): which ones are dropped is known. */
  private static final String CONFIG = PipelineRun.config("""
      - name: errors
        error: {}
      """, """
      otlp-output:
        traces: true
        logs: true
        metrics: true
      """);

  @Test
  void jaegerAndACollectorReadTheKeptRedactedOutputThroughTheirKafkaReceivers(EmbeddedKafkaBroker kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String rawSpans = TestTopics.unique("out-otlp_spans");
    String rawLogs = TestTopics.unique("out-otlp_logs");
    String rawMetrics = TestTopics.unique("out-otlp_metrics");
    TestTopics.create(bootstrap, 3, TopicCatalog.OTLP_SPANS.configs(), rawSpans, rawLogs, rawMetrics);
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long t = 1; t <= 6; t++) {
        boolean error = t % 2 == 0;
        (error ? kept : dropped).add(hex(traceId(7000 + t)));
        send(producer, rawSpans, hex(traceId(7000 + t)), traceWithPii(7000 + t, error));
      }
      send(producer, rawLogs, "logs", logs(resource("checkout"), List.of(
          logRecord("password reset for " + EMAIL, traceId(7002), spanId(1)), logRecord("no trace", null, null))));
      send(producer, rawMetrics, "metrics", metrics(resource("checkout"),
          List.of(gauge("queue.depth", 1.5, 2.5), counter("requests", 42), histogram("latency"))));
    }

    try (PipelineRun traces = PipelineRun.start(bootstrap, rawSpans, CONFIG, TracesTopology::build);
        PipelineRun logs = PipelineRun.start(bootstrap, rawLogs, CONFIG, LogsTopology::build);
        PipelineRun metrics = PipelineRun.start(bootstrap, rawMetrics, CONFIG, MetricsTopology::build)) {
      Awaitility.await("Tributary's OTLP output").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> traceIds(traces.otlpOutput()).size() == kept.size() && logs.otlpOutput().size() == 2
              && metrics.otlpOutput().size() >= 4);
      List<ExportTraceServiceRequest> tributarySpans =
          OtlpItems.spans(TestTopics.values(traces.otlpOutput(), ExportTraceServiceRequest.parser()));
      assertThat(traceIds(traces.otlpOutput())).containsExactlyInAnyOrderElementsOf(kept);
      assertThat(tributarySpans).hasSize(kept.size() * 3).allSatisfy(item -> {
        Span span = item.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(value(span.getAttributesList(), "user.email")).isEqualTo(REDACTED_EMAIL);
        assertThat(value(span.getAttributesList(), "gen_ai.prompt")).as("dropped by redaction").isNull();
        assertThat(value(span.getAttributesList(), "tributary.sampling.policy")).isEqualTo("errors");
      });

      // Jaeger v2: kafka receiver -> memory storage -> query API.
      try (JaegerServer jaeger = JaegerServer.kafka(bootstrap, traces.topics().otlpOutput(),
          TestTopics.unique("jaeger")).start()) {
        JaegerQuery query = jaeger.query();
        for (String trace : kept) {
          List<ExportTraceServiceRequest> expected = tributarySpans.stream()
              .filter(item -> hex(item.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId()).equals(trace))
              .toList();
          Awaitility.await("trace " + trace + " in Jaeger").atMost(Duration.ofSeconds(60))
              .until(() -> query.trace(trace).size() == expected.size());
          assertThat(query.trace(trace)).as("trace %s read back through Jaeger", trace)
              .map(stored -> List.<Message>of(stored.resource(), stored.scope(), stored.span()))
              .containsExactlyInAnyOrderElementsOf(expected.stream().map(item -> List.<Message>of(
                  item.getResourceSpans(0).getResource(), item.getResourceSpans(0).getScopeSpans(0).getScope(),
                  item.getResourceSpans(0).getScopeSpans(0).getSpans(0))).toList());
        }
        for (String trace : dropped) {
          assertThat(query.trace(trace)).as("dropped trace %s is not in Jaeger", trace).isEmpty();
        }
      }

      // A Collector: kafka receiver -> kafka exporter, every signal copied to topics of its own.
      String copySpans = rawSpans + ".collector";
      String copyLogs = rawLogs + ".collector";
      String copyMetrics = rawMetrics + ".collector";
      TestTopics.create(bootstrap, 3, TopicCatalog.OTLP_SPANS.configs(), copySpans, copyLogs, copyMetrics);
      String collectorConfig = """
          receivers:
            kafka:
              brokers: ["%1$s"]
              traces: { topics: [%2$s], encoding: otlp_proto }
              logs: { topics: [%3$s], encoding: otlp_proto }
              metrics: { topics: [%4$s], encoding: otlp_proto }
              initial_offset: earliest
              group_id: %8$s
          exporters:
            kafka:
              brokers: ["%1$s"]
              traces: { topic: %5$s, encoding: otlp_proto }
              logs: { topic: %6$s, encoding: otlp_proto }
              metrics: { topic: %7$s, encoding: otlp_proto }
              producer: { required_acks: -1 }
          service:
            pipelines:
              traces: { receivers: [kafka], exporters: [kafka] }
              logs: { receivers: [kafka], exporters: [kafka] }
              metrics: { receivers: [kafka], exporters: [kafka] }
          """.formatted(bootstrap, traces.topics().otlpOutput(), logs.topics().otlpOutput(),
          metrics.topics().otlpOutput(), copySpans, copyLogs, copyMetrics, TestTopics.unique("collector"));
      try (ExternalServer collector = Peers.start(Peers.collector(Peers.OTELCOL_KAFKA, collectorConfig))) {
        List<ExportLogsServiceRequest> tributaryLogs =
            OtlpItems.logRecords(TestTopics.values(logs.otlpOutput(), ExportLogsServiceRequest.parser()));
        List<ExportMetricsServiceRequest> tributaryMetrics =
            OtlpItems.metrics(TestTopics.values(metrics.otlpOutput(), ExportMetricsServiceRequest.parser()));
        Awaitility.await("the Collector copied every item").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> OtlpItems.spans(TestTopics.readAll(bootstrap, copySpans, ExportTraceServiceRequest.parser()))
                    .size() == tributarySpans.size()
                && OtlpItems.logRecords(TestTopics.readAll(bootstrap, copyLogs, ExportLogsServiceRequest.parser()))
                    .size() == tributaryLogs.size()
                && OtlpItems.metrics(TestTopics.readAll(bootstrap, copyMetrics, ExportMetricsServiceRequest.parser()))
                    .size() == tributaryMetrics.size());
        assertThat(OtlpItems.spans(TestTopics.readAll(bootstrap, copySpans, ExportTraceServiceRequest.parser())))
            .containsExactlyInAnyOrderElementsOf(tributarySpans);
        assertThat(OtlpItems.logRecords(TestTopics.readAll(bootstrap, copyLogs, ExportLogsServiceRequest.parser())))
            .containsExactlyInAnyOrderElementsOf(tributaryLogs)
            .anySatisfy(item -> assertThat(item.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody()
                .getStringValue()).isEqualTo("password reset for " + REDACTED_EMAIL));
        assertThat(OtlpItems.metrics(TestTopics.readAll(bootstrap, copyMetrics, ExportMetricsServiceRequest.parser())))
            .containsExactlyInAnyOrderElementsOf(tributaryMetrics);
      }
    }
  }

  /** Three spans, each with an email and an LLM prompt; the last one an error when {@code error}. */
  private static ExportTraceServiceRequest traceWithPii(long trace, boolean error) {
    List<Span> spans = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      Span.Builder span = span(traceId(trace), spanId(trace * 10 + s), s == 0 ? null : spanId(trace * 10), "op-" + s)
          .toBuilder()
          .addAttributes(attribute("user.email", string(EMAIL)))
          .addAttributes(attribute("gen_ai.prompt", string("what is my password?")))
          .setStatus(Status.newBuilder().setCode(error && s == 2
              ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_OK));
      spans.add(span.build());
    }
    return traces(resource("checkout"), scope("http"), spans);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, Message request)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), request.toByteArray())).get();
  }

  private static Set<String> traceIds(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
  }

  private static String value(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(a -> a.getKey().equals(key)).map(a -> a.getValue().getStringValue())
        .findFirst().orElse(null);
  }
}
