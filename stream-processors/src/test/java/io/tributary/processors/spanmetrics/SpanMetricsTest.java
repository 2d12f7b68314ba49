package io.tributary.processors.spanmetrics;

import static io.tributary.processors.AvroRecords.TENANT;
import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.AvroRecords;
import io.tributary.processors.TestDrivers;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.StatusCode;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The span metrics step alone, Avro spans in, metric points out, the driver's wall clock moved by the
 * test: stage one flushes its deltas at each interval, stage two adds them up as they arrive and
 * writes the changed series at its next interval, so a span shows at the second tick.
 */
class SpanMetricsTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration FLUSH = Duration.ofSeconds(10);
  private static final long NANOS = 1_000_000L;
  private static final String OUTPUT = "span-metrics";
  private static final SpanMetricsConfig CONFIG = SpanMetricsConfig.builder().topic(OUTPUT).flushInterval(FLUSH).build();
  private static final List<Double> BOUNDS = List.of(2.0, 4.0, 6.0, 8.0, 10.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1000.0,
      1400.0, 2000.0, 5000.0, 10_000.0, 15_000.0);

  @TempDir Path stateDir;
  private final SpanMetricsStats stats = new SpanMetricsStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Span> spans;
  private TestOutputTopic<String, MetricPoint> points;

  private void start(SpanMetricsConfig config) {
    start(config, SamplingConfig.DEFAULT_COST_ATTRIBUTE);
  }

  private void start(SpanMetricsConfig config, String costAttribute) {
    AvroSerde<Span> spanSerde = AvroSerde.forType(Span.class, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    SpanMetrics.count(builder.stream("in", Consumed.with(Serdes.String(), spanSerde)).mapValues(span -> List.of(span)),
        "test", config, costAttribute, SerdeConfig.getDefault(), stats);
    driver = TestDrivers.driver(builder.build(), stateDir, T);
    spans = driver.createInputTopic("in", new StringSerializer(), spanSerde.serializer());
    points = driver.createOutputTopic(config.topic(), new StringDeserializer(),
        AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault()).deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private static Span span(String name, long durationMicros, StatusCode status) {
    Span span = AvroRecords.span("checkout", name, durationMicros);
    span.getStatus().setCode(status);
    return span;
  }

  private void tick() {
    driver.advanceWallClockTime(FLUSH);
  }

  /** Points by "metric status-code span-name". */
  private static Map<String, MetricPoint> byName(List<MetricPoint> written) {
    Map<String, MetricPoint> byName = new HashMap<>();
    for (MetricPoint point : written) {
      String key = point.getName() + " " + value(point.getAttributes(), "status.code") + " "
          + value(point.getAttributes(), "span.name");
      assertThat(byName.put(key, point)).as("one point per series and metric: " + key).isNull();
    }
    return byName;
  }

  private static Object value(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getValue())
        .findFirst().orElse(null);
  }

  private static List<Long> buckets(long... counts) {
    return java.util.Arrays.stream(counts).boxed().toList();
  }

  @Test
  void shouldCountCallsErrorsAndDurationsExactlyPerSeries() {
    start(CONFIG);
    for (long micros : new long[] {1_000, 2_000, 3_000, 4_000, 20_000_000}) { // 2 ms and 4 ms sit on bounds
      spans.pipeInput("trace", span("GET /cart", micros, StatusCode.UNSET));
    }
    spans.pipeInput("trace", span("GET /cart", 7_000, StatusCode.ERROR));

    tick();
    assertThat(points.isEmpty()).as("the first interval moves the deltas to the per-series stage").isTrue();
    tick();

    List<TestRecord<String, MetricPoint>> records = points.readRecordsToList();
    Map<String, MetricPoint> written = byName(records.stream().map(TestRecord::value).toList());
    assertThat(written).containsOnlyKeys(
        "traces.span.metrics.calls STATUS_CODE_UNSET GET /cart", "traces.span.metrics.duration STATUS_CODE_UNSET GET /cart",
        "traces.span.metrics.calls STATUS_CODE_ERROR GET /cart", "traces.span.metrics.errors STATUS_CODE_ERROR GET /cart",
        "traces.span.metrics.duration STATUS_CODE_ERROR GET /cart");

    long start = T.plus(FLUSH).toEpochMilli() * NANOS;
    long time = T.plus(FLUSH.multipliedBy(2)).toEpochMilli() * NANOS;
    MetricPoint calls = written.get("traces.span.metrics.calls STATUS_CODE_UNSET GET /cart");
    MetricPoint expectedCalls = new MetricPoint(TENANT, null, new Resource(List.of(kv("service.name", "checkout")), 0, null),
        new InstrumentationScope(SpanMetrics.SCOPE_NAME, null, List.of(), 0, null), SpanMetrics.CALLS_METRIC,
        "Spans counted, before sampling", "{call}", MetricType.SUM,
        List.of(kv("span.name", "GET /cart"), kv("span.kind", "SPAN_KIND_SERVER"), kv("status.code", "STATUS_CODE_UNSET")),
        start, time, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true, new NumberValue(5L), List.of(), 0);
    expectedCalls.setSeriesId(StableIds.seriesId(expectedCalls));
    assertThat(calls).isEqualTo(expectedCalls);

    MetricPoint duration = written.get("traces.span.metrics.duration STATUS_CODE_UNSET GET /cart");
    assertThat(duration.getType()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(duration.getUnit()).isEqualTo("ms");
    assertThat(duration.getIsMonotonic()).isNull();
    assertThat(duration.getAggregationTemporality()).isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(duration.getStartTimeUnixNano()).isEqualTo(start);
    assertThat(duration.getValue()).isEqualTo(new HistogramValue(5L, 20_010.0, 1.0, 20_000.0,
        buckets(2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), BOUNDS));
    assertThat(duration.getSeriesId()).isNotEqualTo(calls.getSeriesId());

    assertThat(written.get("traces.span.metrics.errors STATUS_CODE_ERROR GET /cart").getValue()).isEqualTo(new NumberValue(1L));
    assertThat(written.get("traces.span.metrics.calls STATUS_CODE_ERROR GET /cart").getValue()).isEqualTo(new NumberValue(1L));
    assertThat(written.get("traces.span.metrics.duration STATUS_CODE_ERROR GET /cart").getValue()).isEqualTo(
        new HistogramValue(1L, 7.0, 7.0, 7.0, buckets(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), BOUNDS));

    assertThat(records).allSatisfy(record -> {
      assertThat(record.key()).isEqualTo(record.value().getSeriesId()).isEqualTo(StableIds.seriesId(record.value()));
      assertThat(record.timestamp()).isEqualTo(T.plus(FLUSH.multipliedBy(2)).toEpochMilli());
      assertThat(new String(record.headers().lastHeader(TelemetryHeaders.TENANT).value(), StandardCharsets.UTF_8))
          .isEqualTo(TENANT);
    });
    assertThat(stats.spans()).isEqualTo(6);
    assertThat(stats.points()).isEqualTo(5);
    assertThat(points.isEmpty()).isTrue();
  }

  @Test
  void shouldStayCumulativeAcrossFlushesAndWriteOnlyChangedSeries() {
    start(CONFIG);
    spans.pipeInput("trace", span("GET /cart", 1_000, StatusCode.UNSET));
    spans.pipeInput("trace", span("GET /cart", 9_000, StatusCode.OK));
    tick();
    tick();
    Map<String, MetricPoint> first = byName(points.readValuesToList());
    assertThat(first).hasSize(4);

    spans.pipeInput("trace", span("GET /cart", 1_000, StatusCode.UNSET));
    spans.pipeInput("trace", span("GET /cart", 3_000, StatusCode.UNSET));
    spans.pipeInput("trace", span("GET /health", 1_000, StatusCode.UNSET));
    tick();
    tick();

    Map<String, MetricPoint> second = byName(points.readValuesToList());
    assertThat(second).as("the OK series did not change: not written again").containsOnlyKeys(
        "traces.span.metrics.calls STATUS_CODE_UNSET GET /cart", "traces.span.metrics.duration STATUS_CODE_UNSET GET /cart",
        "traces.span.metrics.calls STATUS_CODE_UNSET GET /health", "traces.span.metrics.duration STATUS_CODE_UNSET GET /health");
    MetricPoint before = first.get("traces.span.metrics.calls STATUS_CODE_UNSET GET /cart");
    MetricPoint after = second.get("traces.span.metrics.calls STATUS_CODE_UNSET GET /cart");
    assertThat(after.getValue()).isEqualTo(new NumberValue(3L));
    assertThat(after.getSeriesId()).isEqualTo(before.getSeriesId());
    assertThat(after.getStartTimeUnixNano()).as("one cumulative series").isEqualTo(before.getStartTimeUnixNano());
    assertThat(after.getTimeUnixNano()).isEqualTo(T.plus(FLUSH.multipliedBy(4)).toEpochMilli() * NANOS);
    assertThat(((HistogramValue) second.get("traces.span.metrics.duration STATUS_CODE_UNSET GET /cart").getValue())
        .getBucketCounts()).isEqualTo(buckets(2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(second.get("traces.span.metrics.calls STATUS_CODE_UNSET GET /health").getValue()).isEqualTo(new NumberValue(1L));

    tick();
    tick();
    assertThat(points.isEmpty()).as("nothing changed, nothing written").isTrue();
  }

  @Test
  void shouldForgetIdleSeriesAndStartThemAgainFromZero() {
    start(CONFIG.toBuilder().seriesExpiry(Duration.ofMinutes(1)).build());
    spans.pipeInput("trace", span("GET /cart", 1_000, StatusCode.UNSET));
    tick();
    tick();
    MetricPoint first = byName(points.readValuesToList()).get("traces.span.metrics.calls STATUS_CODE_UNSET GET /cart");

    driver.advanceWallClockTime(Duration.ofMinutes(1));
    assertThat(stats.seriesExpired()).isEqualTo(1);
    spans.pipeInput("trace", span("GET /cart", 1_000, StatusCode.UNSET));
    tick();
    tick();

    MetricPoint again = byName(points.readValuesToList()).get("traces.span.metrics.calls STATUS_CODE_UNSET GET /cart");
    assertThat(again.getValue()).isEqualTo(new NumberValue(1L));
    assertThat(again.getSeriesId()).isEqualTo(first.getSeriesId());
    assertThat(again.getStartTimeUnixNano()).as("a reset: a new start").isGreaterThan(first.getTimeUnixNano());
    assertThat(points.isEmpty()).isTrue();
  }

  @Test
  void shouldSplitByTheConfiguredDimensionsAndAttributes() {
    start(CONFIG.toBuilder().dimensions(List.of(SpanDimension.SERVICE_NAME))
        .attributeDimensions(List.of("http.request.method", "deployment.environment.name")).build());
    Span get = span("GET /cart", 1_000, StatusCode.ERROR);
    get.setAttributes(List.of(kv("http.request.method", "GET")));
    get.getResource().getAttributes().add(kv("deployment.environment.name", "prod"));
    Span otherGet = span("GET /items", 1_000, StatusCode.UNSET);
    otherGet.setKind(SpanKind.SPAN_KIND_CLIENT);
    otherGet.setAttributes(List.of(kv("http.request.method", "GET")));
    otherGet.getResource().getAttributes().add(kv("deployment.environment.name", "prod"));
    Span post = span("POST /cart", 1_000, StatusCode.UNSET);
    post.setAttributes(List.of(kv("http.request.method", "POST")));
    spans.pipeInput("trace", get);
    spans.pipeInput("trace", otherGet);
    spans.pipeInput("trace", post);
    tick();
    tick();

    Map<List<KeyValue>, MetricPoint> calls = new HashMap<>();
    points.readValuesToList().stream().filter(p -> p.getName().equals(SpanMetrics.CALLS_METRIC))
        .forEach(p -> calls.put(p.getAttributes(), p));
    assertThat(calls).containsOnlyKeys(
        List.of(kv("http.request.method", "GET"), kv("deployment.environment.name", "prod")),
        List.of(kv("http.request.method", "POST")));
    assertThat(calls.get(List.of(kv("http.request.method", "GET"), kv("deployment.environment.name", "prod"))).getValue())
        .as("span name, kind and status are not dimensions here").isEqualTo(new NumberValue(2L));
    assertThat(calls.values()).allSatisfy(p ->
        assertThat(p.getResource().getAttributes()).containsExactly(kv("service.name", "checkout")));
    assertThat(points.isEmpty()).isTrue();
  }

  @Test
  void shouldWriteNothingWhenDisabled() {
    start(CONFIG.toBuilder().enabled(false).build());
    spans.pipeInput("trace", span("GET /cart", 1_000, StatusCode.UNSET));
    tick();
    tick();

    assertThat(driver.getAllStateStores()).isEmpty();
    assertThat(points.isEmpty()).isTrue();
  }

  private static Span llmCall(Object... attributes) {
    Span span = AvroRecords.span("assistant", "chat", 1_000);
    span.setAttributes(io.tributary.testsupport.AvroValues.attributes(attributes));
    return span;
  }

  /** LLM points by "metric model token-type". */
  private static Map<String, MetricPoint> llmPoints(List<MetricPoint> written) {
    Map<String, MetricPoint> byName = new HashMap<>();
    for (MetricPoint point : written) {
      if (point.getName().equals(SpanMetrics.TOKEN_USAGE_METRIC) || point.getName().equals(SpanMetrics.LLM_COST_METRIC)) {
        String key = point.getName() + " " + value(point.getAttributes(), "gen_ai.request.model") + " "
            + value(point.getAttributes(), "gen_ai.token.type");
        assertThat(byName.put(key, point)).as("one point per series and metric: " + key).isNull();
      }
    }
    return byName;
  }

  @Test
  void shouldCountLlmTokensAndCostPerModelProviderAndServiceWithCurrentAndOlderNames() {
    start(CONFIG);
    spans.pipeInput("trace", llmCall("gen_ai.provider.name", "openai", "gen_ai.operation.name", "chat",
        "gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 1_000L, "gen_ai.usage.output_tokens", 200L,
        "tributary.llm.cost_usd", 0.0045));
    spans.pipeInput("trace", llmCall("gen_ai.system", "openai", "gen_ai.operation.name", "chat",
        "gen_ai.request.model", "gpt-4o", "gen_ai.usage.prompt_tokens", 3_000L, "gen_ai.usage.completion_tokens", "100",
        "tributary.llm.cost_usd", 0.0085));
    spans.pipeInput("trace", llmCall("gen_ai.provider.name", "anthropic", "gen_ai.request.model", "claude-sonnet-4",
        "gen_ai.usage.input_tokens", 10L));
    spans.pipeInput("trace", llmCall("gen_ai.request.model", "gpt-4o")); // no tokens: no LLM call
    tick();
    tick();

    Map<String, MetricPoint> written = llmPoints(points.readValuesToList());
    assertThat(written).containsOnlyKeys("gen_ai.client.token.usage gpt-4o input", "gen_ai.client.token.usage gpt-4o output",
        "tributary.llm.cost_usd gpt-4o null", "gen_ai.client.token.usage claude-sonnet-4 input");
    MetricPoint input = written.get("gen_ai.client.token.usage gpt-4o input");
    assertThat(input.getResource().getAttributes()).containsExactly(kv("service.name", "assistant"));
    assertThat(input.getAttributes()).as("the older gen_ai.system is the same provider").containsExactly(
        kv("gen_ai.provider.name", "openai"), kv("gen_ai.operation.name", "chat"), kv("gen_ai.request.model", "gpt-4o"),
        kv("gen_ai.token.type", "input"));
    assertThat(input.getType()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(input.getUnit()).isEqualTo("{token}");
    HistogramValue tokens = (HistogramValue) input.getValue();
    assertThat(tokens.getCount()).isEqualTo(2);
    assertThat(tokens.getSum()).isEqualTo(4_000.0);
    assertThat(tokens.getBucketCounts()).isEqualTo(buckets(0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(((HistogramValue) written.get("gen_ai.client.token.usage gpt-4o output").getValue()).getSum())
        .as("a numeric string under the older name counts").isEqualTo(300.0);
    MetricPoint cost = written.get("tributary.llm.cost_usd gpt-4o null");
    assertThat(cost.getType()).isEqualTo(MetricType.SUM);
    assertThat(cost.getIsMonotonic()).isTrue();
    assertThat((double) ((NumberValue) cost.getValue()).getValue()).isCloseTo(0.013, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(((HistogramValue) written.get("gen_ai.client.token.usage claude-sonnet-4 input").getValue()).getCount())
        .isEqualTo(1);
    assertThat(stats.spans()).as("the LLM series do not count spans twice").isEqualTo(4);
  }

  @Test
  void shouldSumTheCostFromTheAttributeTailSamplingReads() {
    start(CONFIG, "app.llm.cost");
    spans.pipeInput("trace", llmCall("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 10L,
        "app.llm.cost", 0.25, "tributary.llm.cost_usd", 9.0));
    spans.pipeInput("trace", llmCall("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 10L,
        "app.llm.cost", 0.5));
    tick();
    tick();

    MetricPoint cost = llmPoints(points.readValuesToList()).get("tributary.llm.cost_usd gpt-4o null");
    assertThat(cost).as("the cost series of the configured attribute").isNotNull();
    assertThat((double) ((NumberValue) cost.getValue()).getValue()).as("app.llm.cost only, not the default attribute")
        .isEqualTo(0.75);
  }
}
