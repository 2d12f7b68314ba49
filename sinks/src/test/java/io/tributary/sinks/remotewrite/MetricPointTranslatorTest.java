package io.tributary.sinks.remotewrite;

import static io.tributary.sinks.MetricPoints.T0;
import static io.tributary.sinks.MetricPoints.counter;
import static io.tributary.sinks.MetricPoints.gauge;
import static io.tributary.sinks.MetricPoints.histogram;
import static io.tributary.sinks.MetricPoints.resource;
import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.ExponentialBuckets;
import io.tributary.schemas.avro.ExponentialHistogramValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.QuantileValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.SummaryValue;
import io.tributary.sinks.MetricPoints;
import io.tributary.sinks.internal.PoisonRecordException;
import io.tributary.testsupport.AvroValues;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The samples of each point type; labels are {@link SeriesNamingTest}'s, the cache
 * {@link SeriesCacheTest}'s and target_info {@link TargetInfoEmitterTest}'s, here only as the
 * translator puts them together.
 */
class MetricPointTranslatorTest {

  private static final Resource CHECKOUT = resource("shop", "checkout", "c-1", "host.name", "node-7");
  private static final long T0_MS = T0.toEpochMilli();

  private final MetricPointTranslator translator = new MetricPointTranslator(MetricPointTranslator.Options.defaults());

  @Test
  void shouldWriteAGaugeWithJobInstanceScopeAndAttributeLabels() {
    List<RemoteWriteSample> samples = translator.samples(gauge(CHECKOUT, "queue.depth", "{message}", T0, 7,
        kv("queue.name", "orders"), kv("partition", 3L), kv("retry", true)));

    assertThat(samples).singleElement().satisfies(s -> {
      assertThat(s.timestampMs()).isEqualTo(T0_MS);
      assertThat(s.value()).isEqualTo(7);
      assertThat(s.series().labels()).containsExactly("__name__", "queue_depth", "instance", "c-1",
          "job", "shop/checkout", "otel_scope_name", "io.tributary.test", "otel_scope_version", "1.0",
          "partition", "3", "queue_name", "orders", "retry", "true");
    });
  }

  @Test
  void shouldWriteCumulativeBucketsSumAndCountOfAHistogram() {
    List<RemoteWriteSample> samples = translator.samples(histogram(CHECKOUT, "rpc.duration", "ms", T0,
        List.of(10.0, 100.0), List.of(4L, 3L, 2L), 456.5, kv("rpc.method", "Get")));

    assertThat(samples).extracting(s -> s.series().metricName() + le(s) + "=" + s.value()).containsExactly(
        "rpc_duration_milliseconds_bucket{le=10}=4.0",
        "rpc_duration_milliseconds_bucket{le=100}=7.0",
        "rpc_duration_milliseconds_bucket{le=+Inf}=9.0",
        "rpc_duration_milliseconds_sum=456.5",
        "rpc_duration_milliseconds_count=9.0");
    assertThat(samples).allSatisfy(s -> assertThat(s.series().label("rpc_method")).isEqualTo("Get"));
  }

  @Test
  void shouldConvertAnExponentialHistogramToClassicBuckets() {
    // scale 0: base 2; positive buckets at offset 1 hold (2,4], (4,8]; one negative bucket (-2,-1]; 1 zero.
    MetricPoint point = MetricPoints.base("default", CHECKOUT, "payload.size", "By", MetricType.EXPONENTIAL_HISTOGRAM, T0)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setValue(new ExponentialHistogramValue(7L, 30.0, 0, 1L, 0.0,
            new ExponentialBuckets(1, new ArrayList<>(List.of(2L, 3L))),
            new ExponentialBuckets(0, new ArrayList<>(List.of(1L))), null, null))
        .build();

    assertThat(translator.samples(point)).extracting(s -> s.series().metricName() + le(s) + "=" + s.value())
        .containsExactly(
            "payload_size_bytes_bucket{le=-1}=1.0",
            "payload_size_bytes_bucket{le=0}=2.0",
            "payload_size_bytes_bucket{le=4}=4.0",
            "payload_size_bytes_bucket{le=8}=7.0",
            "payload_size_bytes_bucket{le=+Inf}=7.0",
            "payload_size_bytes_sum=30.0",
            "payload_size_bytes_count=7.0");
  }

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_ID = "b7ad6b7169203331";

  private static Exemplar exemplar(Object value, java.time.Instant time, KeyValue... filtered) {
    return new Exemplar(AvroValues.nanos(time), value, TRACE_ID, SPAN_ID, List.of(filtered));
  }

  /** {@code le} of the sample, then each exemplar as value@ms{labels}. */
  private static List<String> exemplarsByBucket(List<RemoteWriteSample> samples) {
    return samples.stream().filter(s -> !s.exemplars().isEmpty()).map(s -> s.series().metricName() + le(s) + " "
        + s.exemplars().stream().map(e -> e.value() + "@" + e.timestampMs() + e.labels()).toList()).toList();
  }

  @Test
  void shouldPutEachHistogramExemplarOnTheBucketItFallsInOldestFirst() {
    MetricPoint point = MetricPoint.newBuilder(histogram(CHECKOUT, "rpc.duration", "ms", T0,
            List.of(10.0, 100.0), List.of(4L, 3L, 2L), 456.5))
        .setExemplars(List.of(exemplar(150.0, T0.minusSeconds(3)), exemplar(10.0, T0.minusSeconds(2),
            kv("user.tier", "gold")), exemplar(3L, T0.minusSeconds(1)), exemplar(12.5, T0.minusSeconds(4))))
        .build();

    List<RemoteWriteSample> samples = translator.samples(point);

    long t0 = T0_MS;
    assertThat(exemplarsByBucket(samples)).containsExactly(
        "rpc_duration_milliseconds_bucket{le=10} [10.0@" + (t0 - 2000) + "{span_id=\"" + SPAN_ID + "\", trace_id=\""
            + TRACE_ID + "\", user_tier=\"gold\"}, 3.0@" + (t0 - 1000) + "{span_id=\"" + SPAN_ID + "\", trace_id=\""
            + TRACE_ID + "\"}]",
        "rpc_duration_milliseconds_bucket{le=100} [12.5@" + (t0 - 4000) + "{span_id=\"" + SPAN_ID + "\", trace_id=\""
            + TRACE_ID + "\"}]",
        "rpc_duration_milliseconds_bucket{le=+Inf} [150.0@" + (t0 - 3000) + "{span_id=\"" + SPAN_ID
            + "\", trace_id=\"" + TRACE_ID + "\"}]");
  }

  @Test
  void shouldPutExponentialHistogramExemplarsOnTheirBucketsAndACountersOnItsSample() {
    MetricPoint exponential = MetricPoints.base("default", CHECKOUT, "payload.size", "By",
            MetricType.EXPONENTIAL_HISTOGRAM, T0)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setValue(new ExponentialHistogramValue(7L, 30.0, 0, 1L, 0.0,
            new ExponentialBuckets(1, new ArrayList<>(List.of(2L, 3L))),
            new ExponentialBuckets(0, new ArrayList<>(List.of(1L))), null, null))
        .setExemplars(List.of(exemplar(5.0, T0), exemplar(-1.5, T0), exemplar(0L, T0)))
        .build();
    MetricPoint counter = MetricPoint.newBuilder(counter(CHECKOUT, "http.requests", "{request}", T0, 12))
        .setExemplars(List.of(exemplar(1L, T0))).build();

    assertThat(exemplarsByBucket(translator.samples(exponential))).extracting(s -> s.substring(0, s.indexOf('@')))
        .containsExactly("payload_size_bytes_bucket{le=-1} [-1.5", "payload_size_bytes_bucket{le=0} [0.0",
            "payload_size_bytes_bucket{le=8} [5.0");
    assertThat(translator.samples(counter)).singleElement().satisfies(s -> assertThat(s.exemplars())
        .containsExactly(new RemoteWriteExemplar(new Series(new String[] {"span_id", SPAN_ID, "trace_id", TRACE_ID}),
            1, T0_MS)));
  }

  @Test
  void shouldDropTheExemplarsOfGaugesAndStalePoints() {
    MetricPoint gauge = MetricPoint.newBuilder(gauge(CHECKOUT, "queue.depth", null, T0, 7))
        .setExemplars(List.of(exemplar(7.0, T0))).build();
    assertThat(translator.samples(gauge)).singleElement().satisfies(s -> assertThat(s.exemplars()).isEmpty());
    MetricPoint stale = MetricPoint.newBuilder(counter(CHECKOUT, "jobs", null, T0, 1)).setFlags(1)
        .setExemplars(List.of(exemplar(1L, T0))).build();
    assertThat(translator.samples(stale)).singleElement().satisfies(s -> assertThat(s.exemplars()).isEmpty());
  }

  @Test
  void shouldWriteSummaryQuantilesSumAndCount() {
    MetricPoint point = MetricPoints.base("default", CHECKOUT, "gc.pause", "s", MetricType.SUMMARY, T0)
        .setValue(new SummaryValue(10L, 1.5, new ArrayList<>(List.of(new QuantileValue(0.5, 0.1),
            new QuantileValue(0.99, 0.4)))))
        .build();
    assertThat(translator.samples(point)).extracting(s -> s.series().metricName()
            + (s.series().label("quantile") == null ? "" : "{quantile=" + s.series().label("quantile") + "}") + "=" + s.value())
        .containsExactly("gc_pause_seconds{quantile=0.5}=0.1", "gc_pause_seconds{quantile=0.99}=0.4",
            "gc_pause_seconds_sum=1.5", "gc_pause_seconds_count=10.0");
  }

  @Test
  void shouldWriteAStalenessMarkerForAPointWithoutRecordedValue() {
    MetricPoint noValue = MetricPoints.base("default", CHECKOUT, "up", null, MetricType.GAUGE, T0)
        .setValue(new NumberValue(0.0)).setFlags(1).build();
    assertThat(translator.samples(noValue)).singleElement()
        .satisfies(s -> assertThat(Double.doubleToRawLongBits(s.value())).isEqualTo(0x7ff0000000000002L));
  }

  @Test
  void shouldRefuseDeltaTemporalityWithTheReason() {
    MetricPoint delta = MetricPoints.base("default", CHECKOUT, "jobs", null, MetricType.SUM, T0)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .setIsMonotonic(true).setValue(new NumberValue(1L)).build();
    assertThatThrownBy(() -> translator.samples(delta)).isInstanceOf(PoisonRecordException.class)
        .hasMessageContaining("delta temporality");
  }

  @Test
  void shouldRefuseAHistogramWhoseBucketsDoNotMatchItsBounds() {
    assertThatThrownBy(() -> translator.samples(histogram(CHECKOUT, "h", null, T0, List.of(1.0, 2.0), List.of(1L, 2L), 1)))
        .isInstanceOf(PoisonRecordException.class).hasMessageContaining("2 bucket counts for 2 bounds");
  }

  @Test
  void shouldWriteTheTargetInfoOfTheResourceOfAPointOncePerInterval() {
    assertThat(translator.targetInfo(gauge(CHECKOUT, "g", null, T0, 1))).isPresent();
    assertThat(translator.targetInfo(gauge(CHECKOUT, "g", null, T0.plusSeconds(59), 1))).isEmpty();
  }

  @Test
  void shouldReuseAKnownSeriesLabelsAndStillTakeEachPointsTimeAndValue() {
    RemoteWriteSample first = translator.samples(gauge(CHECKOUT, "g", null, T0, 1, kv("k", "v"))).get(0);
    RemoteWriteSample second = translator.samples(gauge(CHECKOUT, "g", null, T0.plusSeconds(10), 2, kv("k", "v"))).get(0);

    assertThat(second.series()).isSameAs(first.series());
    assertThat(second.timestampMs()).isEqualTo(T0_MS + 10_000);
    assertThat(second.value()).isEqualTo(2);
  }

  @Test
  void shouldWorkOutTheLabelsAgainWhenASeriesIdComesWithOtherLabels() {
    MetricPoint first = gauge(CHECKOUT, "g", null, T0, 1, kv("k", "v"));
    MetricPoint sameIdOtherInstance = MetricPoint.newBuilder(gauge(resource("shop", "checkout", "c-2", "host.name", "node-8"), "g", null,
        T0.plusSeconds(10), 2, kv("k", "v"))).setSeriesId(first.getSeriesId()).build();
    MetricPoint sameIdOtherValue = MetricPoint.newBuilder(gauge(CHECKOUT, "g", null, T0.plusSeconds(20), 3,
        kv("k", "w"))).setSeriesId(first.getSeriesId()).build();

    assertThat(translator.samples(first).get(0).series().label("instance")).isEqualTo("c-1");
    assertThat(translator.samples(sameIdOtherInstance).get(0).series().label("instance")).isEqualTo("c-2");
    assertThat(translator.samples(sameIdOtherValue).get(0).series().label("k")).isEqualTo("w");
    assertThat(translator.targetInfo(sameIdOtherInstance).orElseThrow().series().label("instance")).isEqualTo("c-2");
  }

  @Test
  void shouldFollowAKnownHistogramWhoseBoundsOrSumChange() {
    translator.samples(histogram(CHECKOUT, "h", null, T0, List.of(1.0, 2.0), List.of(1L, 2L, 3L), 4));
    MetricPoint otherBounds = histogram(CHECKOUT, "h", null, T0.plusSeconds(10), List.of(1.0, 5.0), List.of(1L, 2L, 3L), 4);
    assertThat(translator.samples(otherBounds)).extracting(s -> s.series().metricName() + le(s) + "=" + s.value())
        .containsExactly("h_bucket{le=1}=1.0", "h_bucket{le=5}=3.0", "h_bucket{le=+Inf}=6.0", "h_sum=4.0", "h_count=6.0");
    MetricPoint noSum = MetricPoint.newBuilder(otherBounds).setTimeUnixNano(otherBounds.getTimeUnixNano() + 1)
        .setValue(new HistogramValue(6L, null, null, null, new ArrayList<>(List.of(1L, 2L, 3L)),
            new ArrayList<>(List.of(1.0, 5.0)))).build();
    assertThat(translator.samples(noSum)).extracting(s -> s.series().metricName() + le(s))
        .containsExactly("h_bucket{le=1}", "h_bucket{le=5}", "h_bucket{le=+Inf}", "h_count");
  }

  private static String le(RemoteWriteSample s) {
    String le = s.series().label("le");
    return le == null ? "" : "{le=" + le + "}";
  }
}
