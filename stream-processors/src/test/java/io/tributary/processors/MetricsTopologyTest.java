package io.tributary.processors;

import static io.tributary.processors.OtlpFixtures.TENANT;
import static io.tributary.processors.TestDrivers.header;
import static io.tributary.processors.TestDrivers.tenantHeaders;
import static io.tributary.testsupport.AvroValues.kv;
import static io.tributary.testsupport.OtlpSamples.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.metrics.CardinalityConfig;
import io.tributary.processors.otlp.OtlpOutputConfig;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.otlp.OtlpRecordKeys;
import io.tributary.schemas.otlp.OtlpRequests;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole metrics pipeline: otlp_metrics -> normalize -> redact labels -> telemetry.metrics by series id. */
class MetricsTopologyTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path stateDir;
  private final Topics topics = Topics.metrics();
  private final PipelineStats stats = new PipelineStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, MetricPoint> points;
  private TestOutputTopic<String, byte[]> deadLetters;

  @BeforeEach
  void start() {
    start(PipelineConfig.getDefault());
  }

  private void start(PipelineConfig config) {
    if (driver != null) {
      driver.close();
    }
    driver = TestDrivers.driver(MetricsTopology.build(config, topics, SerdeConfig.getDefault(), stats), stateDir);
    raw = TestDrivers.rawInput(driver, topics);
    points = TestDrivers.output(driver, topics, MetricPoint.class);
    deadLetters = TestDrivers.deadLetters(driver, topics);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldWriteEveryPointOfEveryTypeKeyedBySeriesId() {
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.metricsRequest().toByteArray(), tenantHeaders(TENANT), T));

    List<KeyValue<String, MetricPoint>> written = points.readKeyValuesToList();
    List<MetricPoint> expected = OtlpFixtures.expectedPoints(TENANT);
    assertThat(written).hasSize(expected.size());
    for (int i = 0; i < written.size(); i++) {
      MetricPoint point = written.get(i).value;
      assertThat(written.get(i).key).isEqualTo(point.getSeriesId()).isEqualTo(StableIds.seriesId(point));
      point.setSeriesId(null);
      assertThat(point).isEqualTo(expected.get(i));
    }
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(points.isEmpty()).isTrue();
  }

  @Test
  void shouldRedactLabelsResourceAndExemplarsAndKeyByTheRedactedSeries() {
    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "api"))
                .addAttributes(attribute("host.ip", "10.0.0.5")))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("logins")
                .setGauge(Gauge.newBuilder()
                    .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1).addAttributes(attribute("user", "alice@example.com"))
                        .addExemplars(Exemplar.newBuilder().setAsInt(1).addFilteredAttributes(attribute("ip", "10.0.0.9"))))
                    .addDataPoints(NumberDataPoint.newBuilder().setAsInt(2).addAttributes(attribute("user", "bob@example.com")))))))
        .build();

    raw.pipeInput("k", request.toByteArray(), T);

    List<KeyValue<String, MetricPoint>> written = points.readKeyValuesToList();
    assertThat(written).extracting(kv -> kv.value.getAttributes())
        .containsOnly(List.of(kv("user", "[REDACTED:email]")));
    assertThat(written.get(0).value.getResource().getAttributes())
        .containsExactly(kv("service.name", "api"), kv("host.ip", "[REDACTED:ipv4]"));
    assertThat(written.get(0).value.getExemplars().get(0).getFilteredAttributes())
        .containsExactly(kv("ip", "[REDACTED:ipv4]"));
    assertThat(written.get(0).key).as("the series id never derives from a redacted value")
        .isEqualTo(written.get(1).key).isEqualTo(StableIds.seriesId(written.get(0).value));
    assertThat(points.isEmpty()).isTrue();
  }

  @Test
  void shouldEnrichThenCapTheSeriesOfEachMetric() {
    start(PipelineConfig.getDefault()
        .withEnrichment(EnrichmentConfig.builder().staticAttribute("k8s.cluster.name", "eu-1").build())
        .withCardinality(CardinalityConfig.builder().maxSeriesPerMetric(1).build()));
    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "api")))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("logins")
                .setGauge(Gauge.newBuilder()
                    .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1).addAttributes(attribute("user", "a")))
                    .addDataPoints(NumberDataPoint.newBuilder().setAsInt(2).addAttributes(attribute("user", "b")))))))
        .build();

    raw.pipeInput("k", request.toByteArray(), T);

    KeyValue<String, MetricPoint> written = points.readKeyValue();
    assertThat(written.value.getResource().getAttributes())
        .containsExactly(kv("service.name", "api"), kv("k8s.cluster.name", "eu-1"));
    assertThat(written.key).as("keyed by the enriched series").isEqualTo(StableIds.seriesId(written.value));
    assertThat(stats.cardinality().droppedPoints()).isEqualTo(1);
    assertThat(points.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterPoisonRecordsAndGoOnWithProtobufAndOtlpJsonAlike() {
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.garbage(), tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.metricsRequest().toByteArray(), tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.collectorJson("metrics"), tenantHeaders(TENANT), T));

    assertThat(header(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON)).startsWith(
        "neither OTLP protobuf nor OTLP/JSON opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest (protobuf: ")
        .endsWith("; JSON: does not start with '{')");
    int perRequest = OtlpFixtures.expectedPoints(TENANT).size();
    List<TestRecord<String, MetricPoint>> written = points.readRecordsToList();
    assertThat(written).hasSize(2 * perRequest);
    assertThat(written.subList(perRequest, 2 * perRequest)).as("from OTLP/JSON, as from protobuf")
        .isEqualTo(written.subList(0, perRequest));
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(points.isEmpty()).isTrue();
  }

  @Test
  void shouldAlsoWriteEachPointAsTheOtlpItCameAsKeyedByResourceAndName() throws Exception {
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.metricsRequest().toByteArray(), tenantHeaders(TENANT), T));
    assertThat(points.readValuesToList()).hasSize(6);
    assertThat(driver.producedTopicNames()).as("off by default").doesNotContain(topics.otlpOutput());

    start(PipelineConfig.getDefault().withOtlpOutput(OtlpOutputConfig.builder().metrics(true).build()));
    TestOutputTopic<String, byte[]> otlp = TestDrivers.otlpOutput(driver, topics);
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.metricsRequest().toByteArray(), tenantHeaders(TENANT), T));

    List<MetricPoint> avro = points.readValuesToList();
    List<TestRecord<String, byte[]>> records = otlp.readRecordsToList();
    List<Metric> asSent = OtlpFixtures.metricsRequest().getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
    // One point each: gauge, the sum's two points, histogram, exponential histogram, summary.
    List<Metric> expected = List.of(onePoint(asSent.get(0), 0), onePoint(asSent.get(1), 0), onePoint(asSent.get(1), 1),
        onePoint(asSent.get(2), 0), onePoint(asSent.get(3), 0), onePoint(asSent.get(4), 0));
    long resourceHash = OtlpRecordKeys.resourceHash(OtlpFixtures.resourceAsWritten());
    assertThat(records).hasSize(expected.size());
    for (int i = 0; i < records.size(); i++) {
      ExportMetricsServiceRequest.Builder request = OtlpFixtures.metricsRequest().toBuilder();
      request.getResourceMetricsBuilder(0).setResource(OtlpFixtures.resourceAsWritten())
          .getScopeMetricsBuilder(0).clearMetrics().addMetrics(expected.get(i));
      assertThat(ExportMetricsServiceRequest.parseFrom(records.get(i).value())).as("point %s", i)
          .isEqualTo(request.build()).isEqualTo(OtlpRequests.ofMetricPoints(List.of(avro.get(i))));
      assertThat(records.get(i).key()).isEqualTo(OtlpRecordKeys.metricKey(resourceHash, expected.get(i).getName()));
      assertThat(header(records.get(i).headers(), TelemetryHeaders.TENANT)).isEqualTo(TENANT);
    }
    assertThat(otlp.isEmpty()).isTrue();
  }

  /** {@code metric} holding only its data point {@code index}. */
  private static Metric onePoint(Metric metric, int index) {
    Metric.Builder b = metric.toBuilder();
    switch (metric.getDataCase()) {
      case GAUGE -> b.getGaugeBuilder().clearDataPoints().addDataPoints(metric.getGauge().getDataPoints(index));
      case SUM -> b.getSumBuilder().clearDataPoints().addDataPoints(metric.getSum().getDataPoints(index));
      case HISTOGRAM -> b.getHistogramBuilder().clearDataPoints().addDataPoints(metric.getHistogram().getDataPoints(index));
      case EXPONENTIAL_HISTOGRAM -> b.getExponentialHistogramBuilder().clearDataPoints()
          .addDataPoints(metric.getExponentialHistogram().getDataPoints(index));
      case SUMMARY -> b.getSummaryBuilder().clearDataPoints().addDataPoints(metric.getSummary().getDataPoints(index));
      case DATA_NOT_SET -> { }
    }
    return b.build();
  }
}
