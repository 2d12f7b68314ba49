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
import io.tributary.processors.servicegraph.ServiceGraph;
import io.tributary.processors.servicegraph.ServiceGraphConfig;
import io.tributary.processors.servicegraph.TestTraces;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.StatusCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service graph on a real broker: the shop's traces (frontend -> checkout -> payments -> a database;
 * checkout -> a Kafka topic -> worker), each service's spans in a request of its own, as raw OTLP on a
 * 4-partition input. The servers' and consumers' requests go first, to one instance, which then stops
 * with their spans waiting in its changelogged store; two instances on fresh state directories (so the
 * waiting spans come back from the changelog) take over and get the callers' requests. Every edge ends with exactly one request per trace.
 */
@ExtendWith(SharedKafkaBroker.class)
class ServiceGraphIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final int TRACES = 200;
  private static final String APP_ID = "it-service-graph";
  /** Trace n fails in payments when n % FAILING == 0. */
  private static final int FAILING = 10;

  @TempDir Path stateDir;

  @Test
  void shouldCountEveryRequestOfTheShopExactlyAcrossARestartAndTwoInstances(EmbeddedKafkaBroker kafka)
      throws Exception {
    Topics topics = new Topics("it-service-graph-otlp", "it-service-graph-spans", "it-service-graph-dlq");
    String metricsTopic = "it-service-graph-metrics";
    PipelineConfig config = PipelineConfig.getDefault()
        .withSampling(SamplingConfig.builder().enabled(false).build()) // counted before sampling either way
        .withEnrichment(EnrichmentConfig.builder().servicesTopic("it-service-graph-ref-services")
            .pricesTopic("it-service-graph-ref-prices").build())
        .withSpanMetrics(SpanMetricsConfig.builder().enabled(false).build())
        .withServiceGraph(ServiceGraphConfig.builder().topic(metricsTopic).flushInterval(Duration.ofMillis(500))
            .pairingWait(Duration.ofMinutes(5)).build()); // no side may expire during this test
    PipelineTopics.createMissing(kafka, TracesTopology.build(config, topics),
        Map.of(topics.input(), 4, topics.output(), 4, metricsTopic, 2));
    PipelineStats before = new PipelineStats();
    PipelineStats first = new PipelineStats();
    PipelineStats second = new PipelineStats();

    try (KafkaConsumer<String, MetricPoint> consumer = TestClients.metricPointConsumer(kafka, metricsTopic)) {
      List<MetricPoint> points = new ArrayList<>();
      try (KafkaStreams alone = TestClients.startTraces(kafka, APP_ID, config, topics, stateDir.resolve("alone"), before)) {
        await("the first instance runs").atMost(TIMEOUT).until(() -> TestClients.ownsTasks(alone));
        produce(kafka, topics.input(), Set.of("payments", "worker"));
        await("the database calls counted (they need no other side)").atMost(TIMEOUT).untilAsserted(() -> {
          poll(consumer, points);
          assertThat(latestRequests(points)).containsEntry("payments->payments-db", (long) TRACES);
        });
        assertThat(before.serviceGraph().pairedEdges()).as("servers and consumers wait for their callers").isZero();
      }

      try (KafkaStreams one = TestClients.startTraces(kafka, APP_ID, config, topics, stateDir.resolve("one"), first);
          KafkaStreams two = TestClients.startTraces(kafka, APP_ID, config, topics, stateDir.resolve("two"), second)) {
        await("both instances own tasks").atMost(TIMEOUT).until(() -> TestClients.ownsTasks(one) && TestClients.ownsTasks(two));
        produce(kafka, topics.input(), Set.of("frontend", "checkout"));
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String edge : List.of("user->frontend", "frontend->checkout", "checkout->payments",
            "payments->payments-db", "checkout->worker")) {
          expected.put(edge, (long) TRACES);
        }
        await("every request of every trace counted once").atMost(TIMEOUT).untilAsserted(() -> {
          poll(consumer, points);
          assertThat(latestRequests(points)).containsExactlyInAnyOrderEntriesOf(expected);
          assertThat(latest(points, p -> p.getName().equals(ServiceGraph.FAILED_METRIC)))
              .containsExactly(Map.entry("checkout->payments", (long) TRACES / FAILING));
        });
      }
      assertThat(first.serviceGraph().pairedEdges() + second.serviceGraph().pairedEdges())
          .as("paired after the restart, by both instances").isEqualTo(3L * TRACES);
      assertThat(first.serviceGraph().pairedEdges()).isPositive();
      assertThat(second.serviceGraph().pairedEdges()).isPositive();
      assertThat(first.serviceGraph().unpairedServerSpans() + second.serviceGraph().unpairedServerSpans()
          + first.serviceGraph().unpairedClientSpans() + second.serviceGraph().unpairedClientSpans()).isZero();
      Map<String, List<Long>> starts = new HashMap<>();
      points.stream().filter(p -> p.getName().equals(ServiceGraph.REQUEST_METRIC)).forEach(p ->
          starts.computeIfAbsent(p.getSeriesId(), k -> new ArrayList<>()).add(p.getStartTimeUnixNano()));
      assertThat(starts).as("one cumulative series per edge").hasSize(5);
      starts.values().forEach(list -> assertThat(list).containsOnly(list.getFirst()));
    }
  }

  private static void poll(KafkaConsumer<String, MetricPoint> consumer, List<MetricPoint> points) {
    consumer.poll(Duration.ofMillis(200)).forEach(record -> points.add(record.value()));
  }

  private static Map<String, Long> latestRequests(List<MetricPoint> points) {
    return latest(points, p -> p.getName().equals(ServiceGraph.REQUEST_METRIC));
  }

  /** The latest value of each "client->server" series of the points {@code which} selects. */
  private static Map<String, Long> latest(List<MetricPoint> points, Predicate<MetricPoint> which) {
    Map<String, MetricPoint> latest = new HashMap<>();
    for (MetricPoint point : points) {
      if (which.test(point)) {
        latest.merge(label(point, "client") + "->" + label(point, "server"), point,
            (a, b) -> b.getTimeUnixNano() >= a.getTimeUnixNano() ? b : a);
      }
    }
    Map<String, Long> values = new HashMap<>();
    latest.forEach((edge, point) -> values.put(edge, (Long) ((NumberValue) point.getValue()).getValue()));
    return values;
  }

  private static String label(MetricPoint point, String key) {
    return point.getAttributes().stream().filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getValue().toString()).findFirst().orElse(null);
  }

  /** The spans of {@code services} in every trace, one OTLP request per service and trace, keyed by trace id. */
  private static void produce(EmbeddedKafkaBroker kafka, String topic, Set<String> services) throws Exception {
    try (KafkaProducer<String, byte[]> producer = TestClients.rawProducer(kafka)) {
      for (int trace = 1; trace <= TRACES; trace++) {
        Map<String, ResourceSpans.Builder> byService = new LinkedHashMap<>();
        List<io.tributary.schemas.avro.Span> shop = TestTraces.shop(trace);
        if (trace % FAILING == 0) {
          TestTraces.failed(shop.get(4));
        }
        for (io.tributary.schemas.avro.Span span : shop) {
          String service = (String) span.getResource().getAttributes().getFirst().getValue().getValue();
          if (services.contains(service)) {
            byService.computeIfAbsent(service, s -> ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attribute("service.name", s)))
                    .addScopeSpans(ScopeSpans.newBuilder()))
                .getScopeSpansBuilder(0).addSpans(otlp(span));
          }
        }
        for (ResourceSpans.Builder request : byService.values()) {
          producer.send(new ProducerRecord<>(topic, TestTraces.trace(trace),
              ExportTraceServiceRequest.newBuilder().addResourceSpans(request).build().toByteArray()));
        }
      }
      producer.flush();
    }
  }

  /** The OTLP form of a test span (string attributes). */
  private static Span otlp(io.tributary.schemas.avro.Span span) {
    Span.Builder otlp = Span.newBuilder().setTraceId(id(span.getTraceId())).setSpanId(id(span.getSpanId()))
        .setName(span.getName()).setKind(Span.SpanKind.valueOf(span.getKind().name()))
        .setStartTimeUnixNano(span.getStartTimeUnixNano()).setEndTimeUnixNano(span.getEndTimeUnixNano())
        .setStatus(Status.newBuilder().setCode(span.getStatus().getCode() == StatusCode.ERROR
            ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET));
    if (span.getParentSpanId() != null) {
      otlp.setParentSpanId(id(span.getParentSpanId()));
    }
    for (KeyValue attribute : span.getAttributes()) {
      otlp.addAttributes(attribute(attribute.getKey(), attribute.getValue().getValue().toString()));
    }
    return otlp.build();
  }
}
