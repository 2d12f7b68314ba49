package io.tributary.sinks.remotewrite;

import static io.tributary.sinks.MetricPoints.T0;
import static io.tributary.sinks.MetricPoints.counter;
import static io.tributary.sinks.MetricPoints.gauge;
import static io.tributary.sinks.MetricPoints.resource;
import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.sinks.MetricPoints;
import io.tributary.testsupport.AvroValues;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesNamingTest {

  private static final Resource CHECKOUT = resource("shop", "checkout", "c-1", "host.name", "node-7");
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_ID = "b7ad6b7169203331";

  private final SeriesNaming naming = new SeriesNaming(MetricPointTranslator.Options.defaults());

  /** The series of the point's one plain sample (a gauge's or a sum's). */
  private static Series series(SeriesNaming naming, MetricPoint point) {
    return SeriesNaming.series(naming.baseLabels(point), naming.metricName(point), null, null);
  }

  @Test
  void shouldLabelAGaugeWithJobInstanceScopeAndAttributes() {
    MetricPoint point = gauge(CHECKOUT, "queue.depth", "{message}", T0, 7,
        kv("queue.name", "orders"), kv("partition", 3L), kv("retry", true));

    assertThat(series(naming, point).labels()).containsExactly("__name__", "queue_depth", "instance", "c-1",
        "job", "shop/checkout", "otel_scope_name", "io.tributary.test", "otel_scope_version", "1.0",
        "partition", "3", "queue_name", "orders", "retry", "true");
  }

  @Test
  void shouldNameAMonotonicSumAsACounterAndANonMonotonicOneAsAGauge() {
    assertThat(naming.metricName(counter(CHECKOUT, "http.requests", "{request}", T0, 12)))
        .isEqualTo("http_requests_total");
    MetricPoint upDown = MetricPoints.base("default", CHECKOUT, "pool.connections", "{connection}", MetricType.SUM, T0)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .setIsMonotonic(false).setValue(new NumberValue(4L)).build();
    assertThat(naming.metricName(upDown)).isEqualTo("pool_connections");
  }

  @Test
  void shouldJoinAttributesWhoseNamesCollideInTheOrderOfTheirKeys() {
    Series series = series(naming, gauge(resource(null, "svc", null), "g", null, T0, 1,
        kv("a_b", "second"), kv("a.b", "first"), kv("empty", "")));
    assertThat(series.label("a_b")).isEqualTo("first;second");
    assertThat(series.label("empty")).isNull();
    assertThat(series.label("job")).isEqualTo("svc");
    assertThat(series.label("instance")).isNull();
  }

  @Test
  void shouldHonourTheNamingOptions() {
    SeriesNaming plain = new SeriesNaming(new MetricPointTranslator.Options(false, false, false, 60_000,
        Set.of("host.name"), "tenant"));
    assertThat(series(plain, counter(CHECKOUT, "http.requests", "{request}", T0, 1)).labels())
        .containsExactly("__name__", "http_requests", "host_name", "node-7", "instance", "c-1", "job",
            "shop/checkout", "tenant", "default");
  }

  @Test
  void shouldPutTheBoundLabelAndSuffixOnTheBaseLabels() {
    MetricPoint point = gauge(CHECKOUT, "g", null, T0, 1, kv("le", "from-an-attribute"));
    Series bucket = SeriesNaming.series(naming.baseLabels(point), "h_bucket", "le", PrometheusNaming.formatFloat(2.5));
    assertThat(bucket.metricName()).isEqualTo("h_bucket");
    assertThat(bucket.label("le")).as("the bound wins over an attribute of that name").isEqualTo("2.5");
  }

  @Test
  void shouldLabelTargetInfoWithTheOtherResourceAttributes() {
    assertThat(naming.targetInfoSeries(gauge(CHECKOUT, "g", null, T0, 1)).labels()).containsExactly(
        "__name__", "target_info", "host_name", "node-7", "instance", "c-1", "job", "shop/checkout");
    assertThat(naming.targetInfoSeries(gauge(resource(null, "bare", "b-1"), "g", null, T0, 1)))
        .as("no attributes beyond job and instance").isNull();
  }

  @Test
  void shouldLabelExemplarsWithTheirIdsAndKeepLabelsWithinOpenMetricsLimit() {
    assertThat(SeriesNaming.exemplarLabels(exemplar())).isEqualTo(
        new Series(new String[] {"span_id", SPAN_ID, "trace_id", TRACE_ID}));

    // trace_id + span_id take 63 of the 128 characters; "a" fits (1 + 30), "b" (1 + 40) no longer does, "c" does.
    Series crowded = SeriesNaming.exemplarLabels(exemplar(kv("c", "z".repeat(30)), kv("b", "y".repeat(40)),
        kv("a", "x".repeat(30))));
    assertThat(crowded.labels()).containsExactly("a", "x".repeat(30), "c", "z".repeat(30), "span_id", SPAN_ID,
        "trace_id", TRACE_ID);
  }

  @Test
  void shouldWriteNonStringAttributeValuesInTheirJsonForm() {
    assertThat(SeriesNaming.valueString(kv("k", 3L).getValue())).isEqualTo("3");
    assertThat(SeriesNaming.valueString(kv("k", true).getValue())).isEqualTo("true");
    assertThat(SeriesNaming.valueString(kv("k", "plain").getValue())).isEqualTo("plain");
    assertThat(SeriesNaming.valueString(null)).isEmpty();
  }

  private static Exemplar exemplar(KeyValue... filtered) {
    return new Exemplar(AvroValues.nanos(T0), 1L, TRACE_ID, SPAN_ID, List.of(filtered));
  }
}
