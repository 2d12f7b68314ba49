package io.tributary.processors.servicegraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.TestDrivers;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service graph step whole: the spans of the shop's requests in (every span its own record, in an
 * order that puts servers before their clients), its metric points out, the driver's wall clock moved
 * by the test: pairs form as spans arrive, counts show at the second flush.
 */
class ServiceGraphTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration FLUSH = Duration.ofSeconds(10);
  private static final String OUTPUT = "service-graph";
  private static final ServiceGraphConfig CONFIG = ServiceGraphConfig.builder().topic(OUTPUT).flushInterval(FLUSH)
      .pairingWait(Duration.ofSeconds(5)).build();

  @TempDir Path stateDir;
  private final ServiceGraphStats stats = new ServiceGraphStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Span> spans;
  private TestOutputTopic<String, MetricPoint> points;

  private void start(ServiceGraphConfig config) {
    AvroSerde<Span> spanSerde = AvroSerde.forType(Span.class, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    ServiceGraph.count(builder.stream("in", Consumed.with(Serdes.String(), spanSerde)).mapValues(span -> List.of(span)),
        "test", config, SerdeConfig.getDefault(), stats);
    driver = TestDrivers.driver(builder.build(), stateDir, T);
    spans = driver.createInputTopic("in", new StringSerializer(), spanSerde.serializer());
    points = driver.createOutputTopic(config.topic(), new StringDeserializer(),
        AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault()).deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  /** Sends the shop's trace {@code trace}, last span first. */
  private void sendShop(int trace, boolean paymentsFails) {
    List<Span> shop = new ArrayList<>(TestTraces.shop(trace));
    if (paymentsFails) {
      TestTraces.failed(shop.get(4));
    }
    for (int i = shop.size() - 1; i >= 0; i--) {
      spans.pipeInput(shop.get(i).getTraceId(), shop.get(i));
    }
  }

  private void tick() {
    driver.advanceWallClockTime(FLUSH);
  }

  /** The latest point of each "metric client->server". */
  private static Map<String, MetricPoint> latest(List<MetricPoint> written) {
    Map<String, MetricPoint> latest = new HashMap<>();
    for (MetricPoint point : written) {
      latest.merge(point.getName() + " " + label(point, "client") + "->" + label(point, "server"), point,
          (a, b) -> b.getTimeUnixNano() >= a.getTimeUnixNano() ? b : a);
    }
    return latest;
  }

  private static String label(MetricPoint point, String key) {
    return point.getAttributes().stream().filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getValue().toString()).findFirst().orElse(null);
  }

  private static long count(Map<String, MetricPoint> latest, String key) {
    MetricPoint point = latest.get(key);
    assertThat(point).as(key).isNotNull();
    return point.getValue() instanceof NumberValue number ? (Long) number.getValue()
        : ((HistogramValue) point.getValue()).getCount();
  }

  @Test
  void shouldCountEveryRequestOfAKnownTopologyExactly() {
    start(CONFIG);
    for (int trace = 1; trace <= 5; trace++) {
      sendShop(trace, trace == 3);
    }
    tick();
    tick();

    List<TestRecord<String, MetricPoint>> records = points.readRecordsToList();
    Map<String, MetricPoint> latest = latest(records.stream().map(TestRecord::value).toList());
    Map<String, Long> requests = latest.entrySet().stream()
        .filter(e -> e.getKey().startsWith(ServiceGraph.REQUEST_METRIC + " "))
        .collect(Collectors.toMap(e -> e.getKey().substring(e.getKey().indexOf(' ') + 1),
            e -> (Long) ((NumberValue) e.getValue().getValue()).getValue()));
    assertThat(requests).containsExactlyInAnyOrderEntriesOf(Map.of(
        "user->frontend", 5L, "frontend->checkout", 5L, "checkout->payments", 5L, "payments->payments-db", 5L,
        "checkout->worker", 5L));
    assertThat(latest.keySet().stream().filter(k -> k.startsWith(ServiceGraph.FAILED_METRIC + " ")))
        .as("failures only where a side failed").containsExactly(ServiceGraph.FAILED_METRIC + " checkout->payments");
    assertThat(count(latest, ServiceGraph.FAILED_METRIC + " checkout->payments")).isEqualTo(1);

    assertThat(label(latest.get(ServiceGraph.REQUEST_METRIC + " payments->payments-db"), "connection_type"))
        .isEqualTo("database");
    assertThat(label(latest.get(ServiceGraph.REQUEST_METRIC + " checkout->worker"), "connection_type"))
        .isEqualTo("messaging_system");
    assertThat(label(latest.get(ServiceGraph.REQUEST_METRIC + " frontend->checkout"), "connection_type"))
        .as("a direct call has no connection type").isNull();

    // Each side's histogram where it had a span: a virtual node has no histogram of its own.
    assertThat(count(latest, ServiceGraph.SERVER_SECONDS_METRIC + " frontend->checkout")).isEqualTo(5);
    assertThat(count(latest, ServiceGraph.CLIENT_SECONDS_METRIC + " frontend->checkout")).isEqualTo(5);
    assertThat(count(latest, ServiceGraph.SERVER_SECONDS_METRIC + " user->frontend")).isEqualTo(5);
    assertThat(latest).doesNotContainKeys(ServiceGraph.CLIENT_SECONDS_METRIC + " user->frontend",
        ServiceGraph.SERVER_SECONDS_METRIC + " payments->payments-db");
    HistogramValue client = (HistogramValue) latest.get(ServiceGraph.CLIENT_SECONDS_METRIC + " frontend->checkout")
        .getValue();
    assertThat(client.getExplicitBounds()).containsExactly(0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8);
    assertThat(client.getBucketCounts()).as("160 ms each: (0.1, 0.2]").containsExactly(0L, 5L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    assertThat(client.getSum()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
    HistogramValue worker = (HistogramValue) latest.get(ServiceGraph.SERVER_SECONDS_METRIC + " checkout->worker")
        .getValue();
    assertThat(worker.getBucketCounts()).as("40 ms each").containsExactly(5L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);

    MetricPoint request = latest.get(ServiceGraph.REQUEST_METRIC + " frontend->checkout");
    assertThat(request.getType()).isEqualTo(MetricType.SUM);
    assertThat(request.getIsMonotonic()).isTrue();
    assertThat(request.getAggregationTemporality()).isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(request.getScope().getName()).isEqualTo(ServiceGraph.SCOPE_NAME);
    assertThat(request.getTenant()).isEqualTo("acme");
    assertThat(request.getResource().getAttributes()).isEmpty();
    assertThat(request.getAttributes()).extracting(KeyValue::getKey).containsExactly("client", "server");
    assertThat(records).allSatisfy(r -> {
      assertThat(TestDrivers.header(r.headers(), TelemetryHeaders.TENANT)).isEqualTo("acme");
      assertThat(r.key()).isEqualTo(r.value().getSeriesId());
    });

    assertThat(stats.pairedEdges()).isEqualTo(15);
    assertThat(stats.virtualEdges()).isEqualTo(10);
    assertThat(stats.unpairedClientSpans() + stats.unpairedServerSpans()).isZero();
  }

  @Test
  void shouldStayCumulativeAcrossFlushesWithOneStartPerEdge() {
    start(CONFIG);
    sendShop(1, false);
    tick();
    tick();
    Map<String, MetricPoint> first = latest(points.readValuesToList());
    sendShop(2, false);
    sendShop(3, true);
    tick();
    tick();
    Map<String, MetricPoint> second = latest(points.readValuesToList());

    String key = ServiceGraph.REQUEST_METRIC + " checkout->payments";
    assertThat(count(first, key)).isEqualTo(1);
    assertThat(count(second, key)).isEqualTo(3);
    assertThat(second.get(key).getStartTimeUnixNano()).isEqualTo(first.get(key).getStartTimeUnixNano());
    assertThat(second.get(key).getTimeUnixNano()).isGreaterThan(first.get(key).getTimeUnixNano());
    assertThat(count(second, ServiceGraph.FAILED_METRIC + " checkout->payments")).isEqualTo(1);
  }

  @Test
  void shouldWriteNothingWhenDisabled() {
    start(ServiceGraphConfig.builder().topic(OUTPUT).enabled(false).build());
    sendShop(1, false);
    tick();
    tick();
    assertThat(points.isEmpty()).isTrue();
    assertThat(stats.pairedEdges()).isZero();
  }
}
