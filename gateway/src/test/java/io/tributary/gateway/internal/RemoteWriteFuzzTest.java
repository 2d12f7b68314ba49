package io.tributary.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.tributary.schemas.prometheus.RemoteWriteFormatException;
import io.tributary.schemas.prometheus.RemoteWriteRequest;
import io.tributary.testsupport.FuzzedEdits;
import io.tributary.testsupport.RemoteWriteRequests;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of remote_write bodies after snappy: the {@code WriteRequest}
 * decoder and the conversion to OTLP records. Inputs are a valid request (counter, gauge, a complete
 * and an incomplete histogram, target_info, a staleness marker) with fuzzer-chosen mutations, or raw
 * bytes. For every input the body is refused with one of the two exceptions the endpoint answers with
 * 400, or every record is an {@code ExportMetricsServiceRequest} within the record limit, holding one
 * metric of one resource, keyed by 16 hex characters, the same key for the same resource identity and
 * name, and the accepted count is the number of data points written.
 */
class RemoteWriteFuzzTest {

  private static final int MAX_RECORD_BYTES = 4 * 1024;
  private static final RemoteWriteConverter CONVERTER = new RemoteWriteConverter(MAX_RECORD_BYTES);
  private static final byte[] SAMPLE = RemoteWriteRequests.builder()
      .series(new String[] {"__name__", "http_requests_total", "code", "200", "instance", "a:1", "job", "shop/api"},
          new long[] {1_000, 2_000}, new double[] {1, 2})
      .series(new String[] {"__name__", "queue_depth", "job", "api"}, 1_000,
          Double.longBitsToDouble(0x7ff0000000000002L))
      .series(new String[] {"__name__", "rpc_seconds_bucket", "le", "0.5", "job", "api"}, 1_000, 1)
      .series(new String[] {"__name__", "rpc_seconds_bucket", "le", "+Inf", "job", "api"}, 1_000, 2)
      .series(new String[] {"__name__", "rpc_seconds_sum", "job", "api"}, 1_000, 0.7)
      .series(new String[] {"__name__", "rpc_seconds_count", "job", "api"}, 1_000, 2)
      .series(new String[] {"__name__", "db_seconds_bucket", "le", "+Inf", "job", "api"}, 1_000, 2)
      .series(new String[] {"__name__", "target_info", "job", "api", "region", "eu"}, 1_000, 1)
      .metadata(1, "http_requests", "Requests.")
      .build();

  @FuzzTest(maxDuration = "10s")
  void anyWriteRequestIsConvertedIntoWellFormedRecordsOrRefusedAsBadRequest(FuzzedDataProvider data)
      throws Exception {
    byte[] body = data.consumeBoolean() ? data.consumeRemainingAsBytes() : FuzzedEdits.mutate(SAMPLE, data);
    SplitResult split;
    try {
      split = CONVERTER.convert(RemoteWriteRequest.parse(body, 0, body.length));
    } catch (RemoteWriteFormatException | MalformedRequestException e) {
      assertThat(e.getMessage()).isNotBlank();
      return; // 400: nothing written
    }
    long points = 0;
    Map<String, String> keyByMetric = new HashMap<>();
    for (int i = 0; i < split.recordCount; i++) {
      assertThat(split.values[i].length).isLessThanOrEqualTo(MAX_RECORD_BYTES);
      String key = new String(split.keys[i], StandardCharsets.US_ASCII);
      assertThat(key).matches("[0-9a-f]{16}");
      ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(split.values[i]);
      assertThat(request.getResourceMetricsList()).hasSize(1);
      ResourceMetrics resource = request.getResourceMetrics(0);
      List<Metric> metrics = resource.getScopeMetricsList().stream().map(ScopeMetrics::getMetricsList)
          .flatMap(List::stream).toList();
      assertThat(metrics).hasSize(1);
      Metric metric = metrics.get(0);
      String identity = resource.getResource().getAttributesList().stream()
          .filter(kv -> kv.getKey().startsWith("service.")).toList() + " " + metric.getName();
      assertThat(keyByMetric.putIfAbsent(identity, key)).as(identity).isIn(null, key);
      points += metric.getGauge().getDataPointsCount() + metric.getSum().getDataPointsCount()
          + metric.getHistogram().getDataPointsCount();
    }
    assertThat(split.acceptedItems).isEqualTo(points);
  }
}
