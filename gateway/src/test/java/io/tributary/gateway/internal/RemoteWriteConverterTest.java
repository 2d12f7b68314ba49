package io.tributary.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.tributary.schemas.prometheus.RemoteWriteProto;
import io.tributary.schemas.prometheus.RemoteWriteRequest;
import io.tributary.testsupport.RemoteWriteRequests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteWriteConverterTest {

  private static final long T0 = 1_765_000_000_000L;
  private static final double STALE = Double.longBitsToDouble(RemoteWriteProto.STALE_NAN_BITS);
  private final RemoteWriteConverter converter = new RemoteWriteConverter(GatewayServices.MAX_RECORD_VALUE_BYTES);

  @Test
  void shouldTurnTotalIntoACumulativeMonotonicSumAndTheRestIntoGauges() throws Exception {
    SplitResult split = convert(RemoteWriteRequests.builder()
        .series(labels("http_requests_total", "code", "200"), new long[] {T0, T0 + 15_000}, new double[] {10, 12})
        .series(labels("queue_depth"), T0, 7));

    Metric counter = metric(split, "http_requests_total");
    assertThat(counter.hasSum()).isTrue();
    assertThat(counter.getSum().getIsMonotonic()).isTrue();
    assertThat(counter.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(counter.getSum().getDataPointsList()).extracting(NumberDataPoint::getAsDouble).containsExactly(10.0, 12.0);
    assertThat(counter.getSum().getDataPoints(1).getTimeUnixNano()).isEqualTo((T0 + 15_000) * 1_000_000);
    assertThat(attributes(counter.getSum().getDataPoints(0).getAttributesList())).containsExactly(Map.entry("code", "200"));
    assertThat(metric(split, "queue_depth").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(7);
    assertThat(split.acceptedItems).isEqualTo(3);
  }

  @Test
  void shouldMapJobAndInstanceToTheServiceAttributesOfTheResource() throws Exception {
    SplitResult split = convert(RemoteWriteRequests.builder()
        .series(new String[] {"__name__", "up", "instance", "10.0.0.7:9100", "job", "shop/checkout"}, T0, 1));

    ResourceMetrics resource = ExportMetricsServiceRequest.parseFrom(split.values[0]).getResourceMetrics(0);
    assertThat(attributes(resource.getResource().getAttributesList())).containsExactly(
        Map.entry("service.name", "checkout"), Map.entry("service.namespace", "shop"),
        Map.entry("service.instance.id", "10.0.0.7:9100"));
    assertThat(attributes(resource.getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(0).getAttributesList()))
        .isEmpty();
  }

  @Test
  void shouldReassembleACompleteClassicHistogramIntoOnePoint() throws Exception {
    SplitResult split = convert(histogram(RemoteWriteRequests.builder(), "rpc_seconds", T0, true));

    assertThat(split.recordCount).isEqualTo(1);
    Metric metric = metric(split, "rpc_seconds");
    assertThat(metric.hasHistogram()).isTrue();
    HistogramDataPoint point = metric.getHistogram().getDataPoints(0);
    assertThat(point.getExplicitBoundsList()).containsExactly(0.1, 1.0);
    assertThat(point.getBucketCountsList()).containsExactly(3L, 2L, 1L);
    assertThat(point.getCount()).isEqualTo(6);
    assertThat(point.getSum()).isEqualTo(4.5);
    assertThat(point.getTimeUnixNano()).isEqualTo(T0 * 1_000_000);
    assertThat(attributes(point.getAttributesList())).containsExactly(Map.entry("method", "get"));
    assertThat(split.acceptedItems).isEqualTo(1);
  }

  @Test
  void shouldKeepTheSeriesOfAnIncompleteHistogramAsGauges() throws Exception {
    SplitResult split = convert(histogram(RemoteWriteRequests.builder(), "rpc_seconds", T0, false));

    assertThat(names(split)).containsExactlyInAnyOrder("rpc_seconds_bucket", "rpc_seconds_sum");
    Metric buckets = metric(split, "rpc_seconds_bucket");
    assertThat(buckets.getGauge().getDataPointsList()).hasSize(3);
    assertThat(attributes(buckets.getGauge().getDataPoints(2).getAttributesList()))
        .containsOnly(Map.entry("method", "get"), Map.entry("le", "+Inf"));
    assertThat(split.acceptedItems).isEqualTo(4);
  }

  @Test
  void shouldLetMetadataDecideTheType() throws Exception {
    SplitResult split = convert(RemoteWriteRequests.builder()
        .series(labels("processed"), T0, 5)
        .series(labels("temperature_total"), T0, 21)
        .metadata(1, "processed", "Items processed.")
        .metadata(2, "temperature_total", "Not a counter, whatever its name."));

    assertThat(metric(split, "processed").hasSum()).isTrue();
    assertThat(metric(split, "processed").getDescription()).isEqualTo("Items processed.");
    assertThat(metric(split, "temperature_total").hasGauge()).isTrue();
  }

  @Test
  void shouldMoveTargetInfoIntoTheResourceWithoutMovingTheSeriesToAnotherKey() throws Exception {
    String[] up = {"__name__", "up", "instance", "a:1", "job", "api"};
    SplitResult with = convert(RemoteWriteRequests.builder()
        .series(up, T0, 1)
        .series(new String[] {"__name__", "target_info", "instance", "a:1", "job", "api", "region", "eu",
            "k8s_pod_name", "api-0"}, T0, 1));
    SplitResult without = convert(RemoteWriteRequests.builder().series(up, T0, 1));

    assertThat(names(with)).containsExactly("up");
    ResourceMetrics resource = ExportMetricsServiceRequest.parseFrom(with.values[0]).getResourceMetrics(0);
    assertThat(attributes(resource.getResource().getAttributesList())).containsExactly(
        Map.entry("service.name", "api"), Map.entry("service.instance.id", "a:1"),
        Map.entry("k8s_pod_name", "api-0"), Map.entry("region", "eu"));
    assertThat(with.keys[0]).as("the same key with and without target_info").isEqualTo(without.keys[0]);
  }

  @Test
  void shouldKeepATargetInfoWithoutOtherSeriesAsAGauge() throws Exception {
    SplitResult split = convert(RemoteWriteRequests.builder()
        .series(new String[] {"__name__", "target_info", "job", "api", "region", "eu"}, T0, 1));

    assertThat(attributes(metric(split, "target_info").getGauge().getDataPoints(0).getAttributesList()))
        .containsExactly(Map.entry("region", "eu"));
  }

  @Test
  void shouldKeyEachSeriesByResourceAndMetricName() throws Exception {
    SplitResult split = convert(RemoteWriteRequests.builder()
        .series(new String[] {"__name__", "up", "job", "api"}, T0, 1)
        .series(new String[] {"__name__", "up", "job", "web"}, T0, 1)
        .series(new String[] {"__name__", "load", "job", "api"}, T0, 1)
        .series(new String[] {"__name__", "up", "job", "api"}, T0 + 1, 0));

    List<String> keys = new ArrayList<>();
    for (int i = 0; i < split.recordCount; i++) {
      keys.add(new String(split.keys[i], StandardCharsets.US_ASCII));
    }
    assertThat(keys).hasSize(3).doesNotHaveDuplicates().allMatch(k -> k.matches("[0-9a-f]{16}"));
    assertThat(metric(split, "up").getGauge().getDataPointsCount()).as("both api series in one record").isEqualTo(2);
  }

  @Test
  void shouldFlagStalenessMarkers() throws Exception {
    SplitResult split = convert(RemoteWriteRequests.builder().series(labels("queue_depth"), T0, STALE));

    NumberDataPoint point = metric(split, "queue_depth").getGauge().getDataPoints(0);
    assertThat(point.getFlags()).isEqualTo(1);
  }

  @Test
  void shouldCountNativeHistogramsAsRejected() throws Exception {
    SplitResult split = convert(RemoteWriteRequests.builder()
        .series(labels("rpc_seconds"), new long[0], new double[0], 2));

    assertThat(split.recordCount).isZero();
    assertThat(split.rejectedByReason).containsEntry(RejectReason.NATIVE_HISTOGRAM, 2L);
  }

  @Test
  void shouldRefuseSeriesWithoutANameOrWithARepeatedLabel() {
    assertThatThrownBy(() -> convert(RemoteWriteRequests.builder()
        .series(labels("up"), T0, 1).series(new String[] {"job", "api"}, T0, 1)))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessage("timeseries[1] {job=\"api\"}: no __name__ label (every series needs a metric name)");
    assertThatThrownBy(() -> convert(RemoteWriteRequests.builder()
        .series(new String[] {"__name__", "up", "job", "a", "job", "b"}, T0, 1)))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("label 'job' appears twice");
  }

  @Test
  void shouldCutAMetricTooLargeForOneRecordIntoRecordsWithTheSameKey() throws Exception {
    RemoteWriteConverter small = new RemoteWriteConverter(2_000);
    RemoteWriteRequests request = RemoteWriteRequests.builder();
    for (int i = 0; i < 100; i++) {
      request.series(new String[] {"__name__", "up", "job", "api", "pod", "pod-" + i}, T0, i);
    }
    byte[] body = request.build();
    SplitResult split = small.convert(RemoteWriteRequest.parse(body, 0, body.length));

    assertThat(split.recordCount).isGreaterThan(1);
    long points = 0;
    for (int i = 0; i < split.recordCount; i++) {
      assertThat(split.values[i].length).isLessThanOrEqualTo(2_000);
      assertThat(split.keys[i]).isEqualTo(split.keys[0]);
      points += ExportMetricsServiceRequest.parseFrom(split.values[i]).getResourceMetrics(0).getScopeMetrics(0)
          .getMetrics(0).getGauge().getDataPointsCount();
    }
    assertThat(points).isEqualTo(100).isEqualTo(split.acceptedItems);
  }

  /** A histogram of {@code family} with method="get": buckets 0.1, 1, +Inf (3, 5, 6), sum 4.5 and, when complete, count 6. */
  private static RemoteWriteRequests histogram(RemoteWriteRequests request, String family, long t, boolean complete) {
    String bucket = family + "_bucket";
    request.series(new String[] {"__name__", bucket, "le", "0.1", "method", "get"}, t, 3)
        .series(new String[] {"__name__", bucket, "le", "1", "method", "get"}, t, 5)
        .series(new String[] {"__name__", bucket, "le", "+Inf", "method", "get"}, t, 6)
        .series(new String[] {"__name__", family + "_sum", "method", "get"}, t, 4.5);
    if (complete) {
      request.series(new String[] {"__name__", family + "_count", "method", "get"}, t, 6);
    }
    return request;
  }

  private SplitResult convert(RemoteWriteRequests request) throws Exception {
    byte[] body = request.build();
    return converter.convert(RemoteWriteRequest.parse(body, 0, body.length));
  }

  private static String[] labels(String name, String... more) {
    String[] labels = new String[2 + more.length];
    labels[0] = "__name__";
    labels[1] = name;
    System.arraycopy(more, 0, labels, 2, more.length);
    return labels;
  }

  private static List<String> names(SplitResult split) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < split.recordCount; i++) {
      ExportMetricsServiceRequest.parseFrom(split.values[i]).getResourceMetrics(0).getScopeMetrics(0).getMetricsList()
          .forEach(m -> names.add(m.getName()));
    }
    return names;
  }

  private static Metric metric(SplitResult split, String name) throws Exception {
    for (int i = 0; i < split.recordCount; i++) {
      for (Metric m : ExportMetricsServiceRequest.parseFrom(split.values[i]).getResourceMetrics(0).getScopeMetrics(0)
          .getMetricsList()) {
        if (m.getName().equals(name)) {
          return m;
        }
      }
    }
    throw new AssertionError("no metric " + name + " in " + names(split));
  }

  private static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> map = new LinkedHashMap<>();
    attributes.forEach(kv -> map.put(kv.getKey(), kv.getValue().getStringValue()));
    return map;
  }
}
