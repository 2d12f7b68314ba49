package io.tributary.processors.metrics;

import static io.tributary.processors.AvroRecords.TENANT;
import static io.tributary.processors.AvroRecords.resource;
import static io.tributary.testsupport.AvroValues.attributes;
import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.AvroRecords;
import io.tributary.processors.TestDrivers;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cardinality guard alone: metric points in, the points under the cap and drop reports out. */
class CardinalityGuardTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration CHECK = Duration.ofSeconds(30);
  private static final CardinalityConfig CAP_2 = CardinalityConfig.builder().maxSeriesPerMetric(2)
      .seriesExpiry(Duration.ofMinutes(5)).checkInterval(CHECK).build();

  @TempDir Path stateDir;
  private final CardinalityStats stats = new CardinalityStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, MetricPoint> in;
  private TestOutputTopic<String, MetricPoint> out;

  @BeforeEach
  void start() {
    AvroSerde<MetricPoint> serde = AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    CardinalityGuard.limit(builder.stream("in", Consumed.with(Serdes.String(), serde)), "metrics", CAP_2, stats)
        .to("out", Produced.with(Serdes.String(), serde));
    driver = TestDrivers.driver(builder.build(), stateDir, T);
    in = driver.createInputTopic("in", new StringSerializer(), serde.serializer());
    out = driver.createOutputTopic("out", new StringDeserializer(), serde.deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private static MetricPoint point(String tenant, String metric, String user) {
    return AvroRecords.gauge(tenant, metric, resource("service.name", "api"), attributes("user", user), 1);
  }

  /** Pipes {@code point} and says whether it came through. */
  private boolean passes(MetricPoint point) {
    in.pipeInput("k", point);
    if (out.isEmpty()) {
      return false;
    }
    assertThat(out.readValue()).isEqualTo(point);
    return true;
  }

  @Test
  void shouldDropPointsOfNewSeriesBeyondTheCapAndCountThem() {
    assertThat(passes(point(TENANT, "logins", "a"))).isTrue();
    assertThat(passes(point(TENANT, "logins", "b"))).isTrue();
    assertThat(passes(point(TENANT, "logins", "c"))).as("a third series").isFalse();
    assertThat(passes(point(TENANT, "logins", "d"))).isFalse();
    assertThat(passes(point(TENANT, "logins", "a"))).as("known series keep flowing").isTrue();
    assertThat(passes(point(TENANT, "logouts", "c"))).as("another metric has its own cap").isTrue();
    assertThat(passes(point("globex", "logins", "c"))).as("so has another tenant").isTrue();
    assertThat(passes(point(TENANT, "logins", "c"))).isFalse();

    assertThat(stats.droppedPoints()).isEqualTo(3);
    assertThat(stats.droppedPointsByMetric()).containsExactly(java.util.Map.entry("logins", 3L));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldReportDropsAsACumulativeMetricEveryCheck() {
    passes(point(TENANT, "logins", "a"));
    passes(point(TENANT, "logins", "b"));
    passes(point(TENANT, "logins", "c"));
    passes(point(TENANT, "logins", "d"));

    driver.advanceWallClockTime(CHECK);

    TestRecord<String, MetricPoint> report = out.readRecord();
    MetricPoint expected = new MetricPoint(TENANT, null,
        resource("service.name", "tributary-metrics"),
        new io.tributary.schemas.avro.InstrumentationScope(CardinalityGuard.SCOPE_NAME, null, List.of(), 0, null),
        CardinalityGuard.DROPPED_METRIC,
        "Points dropped because their metric reached its series cap (cardinality.max-series-per-metric)", "{point}",
        MetricType.SUM, List.of(kv("metric.name", "logins"), kv("tributary.partition", 0L)),
        T.toEpochMilli() * 1_000_000, T.plus(CHECK).toEpochMilli() * 1_000_000,
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true, new NumberValue(2L), List.of(), 0);
    expected.setSeriesId(StableIds.seriesId(expected));
    assertThat(report.value()).isEqualTo(expected);
    assertThat(report.key()).isEqualTo(expected.getSeriesId());

    driver.advanceWallClockTime(CHECK);
    assertThat(out.isEmpty()).as("no new drops, no report").isTrue();

    passes(point(TENANT, "logins", "e"));
    driver.advanceWallClockTime(CHECK);
    MetricPoint next = out.readValue();
    assertThat(next.getValue()).as("cumulative").isEqualTo(new NumberValue(3L));
    assertThat(next.getSeriesId()).isEqualTo(expected.getSeriesId());
    assertThat(next.getStartTimeUnixNano()).isEqualTo(expected.getStartTimeUnixNano());
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldFreeTheSlotsOfExpiredSeries() {
    passes(point(TENANT, "logins", "a"));
    driver.advanceWallClockTime(Duration.ofMinutes(3));
    passes(point(TENANT, "logins", "b"));
    assertThat(passes(point(TENANT, "logins", "c"))).isFalse();

    driver.advanceWallClockTime(Duration.ofMinutes(2)); // a is 5 minutes old, b 2
    assertThat(out.readValue().getName()).isEqualTo(CardinalityGuard.DROPPED_METRIC);

    assertThat(passes(point(TENANT, "logins", "c"))).as("a freed its slot").isTrue();
    assertThat(passes(point(TENANT, "logins", "d"))).isFalse();
    assertThat(passes(point(TENANT, "logins", "b"))).isTrue();
    assertThat(stats.seriesExpired()).isEqualTo(1);
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepTheSlotOfASeriesSeenRecently() {
    passes(point(TENANT, "logins", "a"));
    passes(point(TENANT, "logins", "b"));
    driver.advanceWallClockTime(Duration.ofMinutes(4));
    passes(point(TENANT, "logins", "a")); // refreshed: seen again after a quarter of the expiry
    driver.advanceWallClockTime(Duration.ofMinutes(2));

    assertThat(stats.seriesExpired()).as("b expired, a did not").isEqualTo(1);
    assertThat(passes(point(TENANT, "logins", "c"))).isTrue();
    assertThat(passes(point(TENANT, "logins", "d"))).isFalse();
    assertThat(out.isEmpty()).isTrue();
  }
}
