package io.tributary.processors.integration;

import static io.tributary.testsupport.OtlpSamples.attribute;
import static io.tributary.testsupport.OtlpSamples.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.spanmetrics.SpanMetrics;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.NumberValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Span metrics across instances: two KafkaStreams instances of one traces application share a
 * 4-partition input, each counting the spans of its partitions, and the metrics topic still holds
 * ONE cumulative series per (service, span name, kind, status) whose final count is every span sent.
 */
@ExtendWith(SharedKafkaBroker.class)
class SpanMetricsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int TRACES = 300;
  private static final String APP_ID = "it-span-metrics";

  @TempDir Path stateDir;

  private record Series(String service, String name, String kind, String status) {}

  private static final List<Series> SERIES = List.of(
      new Series("checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET"),
      new Series("checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_ERROR"),
      new Series("payments", "charge", "SPAN_KIND_CLIENT", "STATUS_CODE_OK"));

  @Test
  void shouldWriteOneCumulativeSeriesPerDimensionsWhateverInstanceCountedTheSpans(EmbeddedKafkaBroker kafka)
      throws Exception {
    Topics topics = new Topics("it-span-metrics-otlp", "it-span-metrics-spans", "it-span-metrics-dlq");
    String metricsTopic = "it-span-metrics-metrics";
    PipelineConfig config = PipelineConfig.getDefault()
        .withSampling(SamplingConfig.builder().enabled(false).build()) // this test is about the counts
        .withEnrichment(EnrichmentConfig.builder().servicesTopic("it-span-metrics-ref-services")
            .pricesTopic("it-span-metrics-ref-prices").build())
        .withSpanMetrics(SpanMetricsConfig.builder().topic(metricsTopic).flushInterval(Duration.ofMillis(500)).build());
    PipelineTopics.createMissing(kafka, TracesTopology.build(config, topics),
        Map.of(topics.input(), 4, topics.output(), 4, metricsTopic, 2));
    PipelineStats first = new PipelineStats();
    PipelineStats second = new PipelineStats();

    try (KafkaStreams one = TestClients.startTraces(kafka, APP_ID, config, topics, stateDir.resolve("one"), first);
        KafkaStreams two = TestClients.startTraces(kafka, APP_ID, config, topics, stateDir.resolve("two"), second);
        KafkaConsumer<String, MetricPoint> consumer = TestClients.metricPointConsumer(kafka, metricsTopic)) {
      await("both instances own tasks").atMost(TIMEOUT).until(() -> TestClients.ownsTasks(one) && TestClients.ownsTasks(two));
      produce(kafka, topics.input());

      List<MetricPoint> points = new ArrayList<>();
      await("every span counted in the cumulative calls of its series").atMost(TIMEOUT).untilAsserted(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          assertThat(record.key()).isEqualTo(record.value().getSeriesId());
          points.add(record.value());
        });
        assertThat(latest(points, SpanMetrics.CALLS_METRIC).values()).extracting(NumberValue.class::cast)
            .extracting(NumberValue::getValue).containsExactly((long) TRACES, (long) TRACES, (long) TRACES);
      });

      assertThat(first.spanMetrics().spans()).as("counted by the first instance").isPositive();
      assertThat(second.spanMetrics().spans()).as("counted by the second instance").isPositive();
      assertThat(first.spanMetrics().spans() + second.spanMetrics().spans()).isEqualTo(TRACES * SERIES.size());

      Map<String, List<MetricPoint>> callsBySeries = points.stream()
          .filter(p -> p.getName().equals(SpanMetrics.CALLS_METRIC))
          .collect(Collectors.groupingBy(MetricPoint::getSeriesId));
      assertThat(callsBySeries).as("one series per dimensions").hasSize(SERIES.size());
      assertThat(callsBySeries.values().stream().map(p -> series(p.getFirst())).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(SERIES);
      for (List<MetricPoint> series : callsBySeries.values()) {
        assertThat(series).extracting(MetricPoint::getStartTimeUnixNano).as("one start: one cumulative series")
            .containsOnly(series.getFirst().getStartTimeUnixNano());
        assertThat(series).extracting(p -> ((NumberValue) p.getValue()).getValue()).as("cumulative, never going back")
            .isSortedAccordingTo((a, b) -> Long.compare((Long) a, (Long) b));
        assertThat(series).extracting(MetricPoint::getTimeUnixNano).as("strictly increasing times")
            .doesNotHaveDuplicates().isSorted();
      }
      assertThat(latest(points, SpanMetrics.ERRORS_METRIC).values()).as("errors of the ERROR series only")
          .containsExactly(new NumberValue((long) TRACES));
      assertThat(latest(points, SpanMetrics.DURATION_METRIC).values()).extracting(HistogramValue.class::cast)
          .extracting(HistogramValue::getCount).containsExactly((long) TRACES, (long) TRACES, (long) TRACES);
    }
  }

  /** The latest value of each series of {@code metric}. */
  private static Map<String, Object> latest(List<MetricPoint> points, String metric) {
    Map<String, MetricPoint> latest = new HashMap<>();
    for (MetricPoint point : points) {
      if (point.getName().equals(metric)) {
        latest.merge(point.getSeriesId(), point, (a, b) -> b.getTimeUnixNano() >= a.getTimeUnixNano() ? b : a);
      }
    }
    Map<String, Object> values = new HashMap<>();
    latest.forEach((series, point) -> values.put(series, point.getValue()));
    return values;
  }

  private static Series series(MetricPoint point) {
    Map<String, Object> dimensions = new HashMap<>();
    for (KeyValue kv : point.getResource().getAttributes()) {
      dimensions.put(kv.getKey(), kv.getValue().getValue());
    }
    for (KeyValue kv : point.getAttributes()) {
      dimensions.put(kv.getKey(), kv.getValue().getValue());
    }
    return new Series((String) dimensions.get("service.name"), (String) dimensions.get("span.name"),
        (String) dimensions.get("span.kind"), (String) dimensions.get("status.code"));
  }

  /** One request per trace, keyed by trace id: a span of each series, so every partition sees every series. */
  private static void produce(EmbeddedKafkaBroker kafka, String topic) throws Exception {
    try (KafkaProducer<String, byte[]> producer = TestClients.rawProducer(kafka)) {
      for (int i = 0; i < TRACES; i++) {
        String traceId = String.format("%016x%016x", 0xabcdefL, i + 1);
        long start = 1_767_323_045_000_000_000L + i * 1_000_000L;
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "checkout")))
                .addScopeSpans(ScopeSpans.newBuilder()
                    .addSpans(span(traceId, 1, "GET /cart", Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_UNSET, start))
                    .addSpans(span(traceId, 2, "GET /cart", Span.SpanKind.SPAN_KIND_SERVER, Status.StatusCode.STATUS_CODE_ERROR, start))))
            .addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "payments")))
                .addScopeSpans(ScopeSpans.newBuilder()
                    .addSpans(span(traceId, 3, "charge", Span.SpanKind.SPAN_KIND_CLIENT, Status.StatusCode.STATUS_CODE_OK, start))))
            .build();
        producer.send(new ProducerRecord<>(topic, traceId, request.toByteArray()));
      }
      producer.flush();
    }
  }

  private static Span span(String traceId, int number, String name, Span.SpanKind kind, Status.StatusCode status,
      long start) {
    return Span.newBuilder().setTraceId(id(traceId)).setSpanId(id(String.format("%016x", number))).setName(name)
        .setKind(kind).setStatus(Status.newBuilder().setCode(status))
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + number * 3_000_000L).build();
  }
}
