package io.tributary.processors.internal;

import static io.tributary.processors.OtlpFixtures.TENANT;
import static io.tributary.processors.OtlpFixtures.TRACE_ID;
import static io.tributary.processors.TestDrivers.header;
import static io.tributary.processors.TestDrivers.tenantHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.processors.DeadLetterHeaders;
import io.tributary.processors.OtlpFixtures;
import io.tributary.processors.TestDrivers;
import io.tributary.processors.internal.normalize.LogNormalizer;
import io.tributary.processors.internal.normalize.MetricNormalizer;
import io.tributary.processors.internal.normalize.Normalizer;
import io.tributary.processors.internal.normalize.SpanNormalizer;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.testsupport.OtlpSamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The normalize step alone: raw OTLP in, Avro records out, poison records to the dead-letter topic. */
class NormalizeStepTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path stateDir;
  private final Counters counters = new Counters();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, byte[]> deadLetters;

  private <T extends SpecificRecord> TestOutputTopic<String, T> start(Normalizer<T> normalizer, Class<T> type) {
    StreamsBuilder builder = new StreamsBuilder();
    AvroSerde<T> serde = AvroSerde.forType(type, SerdeConfig.getDefault());
    PipelineSteps.normalize(builder, "test", "raw", "dlq", normalizer, counters)
        .to("out", Produced.with(Serdes.String(), serde));
    driver = TestDrivers.driver(builder.build(), stateDir);
    raw = driver.createInputTopic("raw", new StringSerializer(), new ByteArraySerializer());
    deadLetters = driver.createOutputTopic("dlq", new StringDeserializer(), new ByteArrayDeserializer());
    return driver.createOutputTopic("out", new StringDeserializer(), serde.deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldNormalizeEveryFieldOfATraceRequest() {
    TestOutputTopic<String, io.tributary.schemas.avro.Span> out = start(new SpanNormalizer(), io.tributary.schemas.avro.Span.class);

    raw.pipeInput(new TestRecord<>(TRACE_ID, OtlpFixtures.traceRequest().toByteArray(), tenantHeaders(TENANT), T));

    List<TestRecord<String, io.tributary.schemas.avro.Span>> records = out.readRecordsToList();
    assertThat(records).extracting(TestRecord::key).containsOnly(TRACE_ID);
    assertThat(records).extracting(TestRecord::value).containsExactlyElementsOf(OtlpFixtures.expectedSpans(TENANT));
    assertThat(header(records.get(0).headers(), TelemetryHeaders.TENANT)).as("headers travel").isEqualTo(TENANT);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldNormalizeEveryFieldOfALogsRequest() {
    TestOutputTopic<String, LogRecord> out = start(new LogNormalizer(), LogRecord.class);

    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.logsRequest().toByteArray(), tenantHeaders(TENANT), T));

    assertThat(out.readValuesToList()).containsExactlyElementsOf(OtlpFixtures.expectedLogs(TENANT));
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldNormalizeEveryMetricTypeWithASeriesIdPerSeries() {
    TestOutputTopic<String, MetricPoint> out = start(new MetricNormalizer(), MetricPoint.class);

    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.metricsRequest().toByteArray(), tenantHeaders(TENANT), T));

    List<MetricPoint> points = out.readValuesToList();
    assertThat(points).extracting(MetricPoint::getSeriesId)
        .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{32}"))
        .doesNotHaveDuplicates();
    points.forEach(p -> p.setSeriesId(null));
    assertThat(points).containsExactlyElementsOf(OtlpFixtures.expectedPoints(TENANT));
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldUseTheDefaultTenantWhenTheRecordHasNone() {
    TestOutputTopic<String, io.tributary.schemas.avro.Span> out = start(new SpanNormalizer(), io.tributary.schemas.avro.Span.class);

    raw.pipeInput(new TestRecord<>(TRACE_ID, OtlpFixtures.traceRequest().toByteArray(), new RecordHeaders(), T));

    assertThat(out.readValuesToList()).containsExactlyElementsOf(OtlpFixtures.expectedSpans(TelemetryHeaders.DEFAULT_TENANT));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldSendUnparseableRecordsToTheDeadLetterTopicAndGoOn() {
    TestOutputTopic<String, io.tributary.schemas.avro.Span> out = start(new SpanNormalizer(), io.tributary.schemas.avro.Span.class);
    byte[] garbage = OtlpFixtures.garbage();

    raw.pipeInput(new TestRecord<>("bad", garbage, tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>(TRACE_ID, OtlpFixtures.traceRequest().toByteArray(), tenantHeaders(TENANT), T));

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertThat(dead.key()).isEqualTo("bad");
    assertThat(dead.value()).as("the raw bytes, unchanged").isEqualTo(garbage);
    assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).startsWith(
        "neither OTLP protobuf nor OTLP/JSON opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest (protobuf: ");
    assertThat(header(dead.headers(), DeadLetterHeaders.STEP)).isEqualTo("normalize");
    assertThat(header(dead.headers(), DeadLetterHeaders.EXCEPTION))
        .isEqualTo("com.google.protobuf.InvalidProtocolBufferException");
    assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("raw");
    assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(header(dead.headers(), TelemetryHeaders.TENANT)).as("original headers kept").isEqualTo(TENANT);
    assertThat(out.readValuesToList()).as("the next record is processed").hasSize(2);
    assertThat(counters.deadLettered()).isEqualTo(1);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterInvalidIdsWithThePlaceAndTheExpectation() {
    TestOutputTopic<String, io.tributary.schemas.avro.Span> out = start(new SpanNormalizer(), io.tributary.schemas.avro.Span.class);
    ExportTraceServiceRequest shortTraceId = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(OtlpFixtures.traceRequest().getResourceSpans(0).getScopeSpans(0).getSpans(0))
            .addSpans(Span.newBuilder().setTraceId(OtlpSamples.id("0102030405060708090a0b0c0d0e0f"))
                .setSpanId(OtlpSamples.id(OtlpFixtures.SPAN_ID)))))
        .build();
    ExportTraceServiceRequest zeroLinkSpanId = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setTraceId(OtlpSamples.id(TRACE_ID)).setSpanId(OtlpSamples.id(OtlpFixtures.SPAN_ID))
                .addLinks(Span.Link.newBuilder().setTraceId(OtlpSamples.id(TRACE_ID))
                    .setSpanId(OtlpSamples.id("0000000000000000"))))))
        .build();

    raw.pipeInput(TRACE_ID, shortTraceId.toByteArray(), T);
    raw.pipeInput(TRACE_ID, zeroLinkSpanId.toByteArray(), T);
    raw.pipeInput(TRACE_ID, null, T);

    assertThat(deadLetters.readRecordsToList()).extracting(r -> header(r.headers(), DeadLetterHeaders.REASON))
        .containsExactly(
            "resourceSpans[0].scopeSpans[0].spans[1].traceId: 15 bytes (expected: 16 bytes, not all zero)",
            "resourceSpans[0].scopeSpans[0].spans[0].links[0].spanId: 8 bytes, all zero (expected: 8 bytes, not all zero)",
            "no value (expected: opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest bytes)");
    assertThat(counters.deadLettered()).isEqualTo(3);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).as("a request with one bad span is kept whole for a replay").isTrue();
  }

  @Test
  void shouldDeadLetterANumberPointWithoutValue() {
    TestOutputTopic<String, MetricPoint> out = start(new MetricNormalizer(), MetricPoint.class);
    var request = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
            .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("m")
                    .setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                        .addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder().setTimeUnixNano(1))))))
        .build();

    raw.pipeInput("k", request.toByteArray(), T);

    assertThat(header(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON))
        .isEqualTo("resourceMetrics[0].scopeMetrics[0].metrics[0].dataPoints[0].value: not set (expected: asDouble or asInt)");
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldEmitNothingForAnEmptyRequest() {
    TestOutputTopic<String, LogRecord> out = start(new LogNormalizer(), LogRecord.class);

    raw.pipeInput("k", new byte[0], T); // an empty request is valid and holds nothing

    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }

  // ---- OTLP/JSON, as a Collector's kafka exporter writes it with encoding: otlp_json ----

  @Test
  void shouldNormalizeAnOtlpJsonTraceRecordExactlyAsTheSameRequestInProtobuf() {
    List<io.tributary.schemas.avro.Span> spans = normalizeProtobufThenJson(new SpanNormalizer(),
        io.tributary.schemas.avro.Span.class, OtlpFixtures.traceRequest(), "traces");

    assertThat(spans).containsExactlyElementsOf(OtlpFixtures.expectedSpans(TENANT));
  }

  @Test
  void shouldNormalizeAnOtlpJsonLogsRecordExactlyAsTheSameRequestInProtobuf() {
    List<LogRecord> logs = normalizeProtobufThenJson(new LogNormalizer(), LogRecord.class, OtlpFixtures.logsRequest(),
        "logs");

    assertThat(logs).containsExactlyElementsOf(OtlpFixtures.expectedLogs(TENANT));
  }

  @Test
  void shouldNormalizeAnOtlpJsonMetricsRecordExactlyAsTheSameRequestInProtobuf() {
    List<MetricPoint> points = normalizeProtobufThenJson(new MetricNormalizer(), MetricPoint.class,
        OtlpFixtures.metricsRequest(), "metrics");

    points.forEach(p -> p.setSeriesId(null));
    assertThat(points).containsExactlyElementsOf(OtlpFixtures.expectedPoints(TENANT));
  }

  /**
   * Pipes {@code request} as protobuf, then the Collector's OTLP/JSON of it ({@code signal}); the
   * two give the same records (keys, values with their series ids, headers, timestamps), nothing
   * is dead-lettered. Returns the values of the JSON record.
   */
  private <T extends SpecificRecord> List<T> normalizeProtobufThenJson(Normalizer<T> normalizer, Class<T> type,
      com.google.protobuf.Message request, String signal) {
    TestOutputTopic<String, T> out = start(normalizer, type);

    raw.pipeInput(new TestRecord<>("k", request.toByteArray(), tenantHeaders(TENANT), T));
    List<TestRecord<String, T>> fromProtobuf = out.readRecordsToList();
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.collectorJson(signal), tenantHeaders(TENANT), T));
    List<TestRecord<String, T>> fromJson = out.readRecordsToList();

    assertThat(fromJson).as("keys, values, headers, timestamps").isNotEmpty().isEqualTo(fromProtobuf);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
    return fromJson.stream().map(TestRecord::value).toList();
  }

  @Test
  void shouldDeadLetterTraceRecordsInNeitherEncodingAndGoOn() {
    assertNeitherEncodingIsDeadLetteredAndTheNextRecordFlows(new SpanNormalizer(), io.tributary.schemas.avro.Span.class,
        "traces", "resourceSpans", 2);
  }

  @Test
  void shouldDeadLetterLogsRecordsInNeitherEncodingAndGoOn() {
    assertNeitherEncodingIsDeadLetteredAndTheNextRecordFlows(new LogNormalizer(), LogRecord.class,
        "logs", "resourceLogs", 2);
  }

  @Test
  void shouldDeadLetterMetricsRecordsInNeitherEncodingAndGoOn() {
    assertNeitherEncodingIsDeadLetteredAndTheNextRecordFlows(new MetricNormalizer(), MetricPoint.class,
        "metrics", "resourceMetrics", 6);
  }

  /**
   * Binary garbage, JSON cut short and JSON of the wrong shape after a newline (so protobuf is tried
   * too) each reach the dead-letter topic saying what failed in each encoding; the good OTLP/JSON
   * record after them is normalized.
   */
  private <T extends SpecificRecord> void assertNeitherEncodingIsDeadLetteredAndTheNextRecordFlows(
      Normalizer<T> normalizer, Class<T> type, String signal, String topField, int recordsOfTheGoodOne) {
    TestOutputTopic<String, T> out = start(normalizer, type);
    byte[] json = OtlpFixtures.collectorJson(signal);
    byte[] cutShort = Arrays.copyOf(json, 40);
    byte[] wrongShape = ("\n{\"" + topField + "\":7}").getBytes(StandardCharsets.UTF_8);

    raw.pipeInput(new TestRecord<>("garbage", OtlpFixtures.garbage(), tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>("cut-short", cutShort, tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>("wrong-shape", wrongShape, tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>("good", json, tenantHeaders(TENANT), T));

    String neither = "neither OTLP protobuf nor OTLP/JSON " + normalizer.messageName();
    List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).extracting(TestRecord::key).containsExactly("garbage", "cut-short", "wrong-shape");
    assertThat(dead).extracting(TestRecord::value).as("the raw bytes, unchanged")
        .containsExactly(OtlpFixtures.garbage(), cutShort, wrongShape);
    assertThat(header(dead.get(0).headers(), DeadLetterHeaders.REASON))
        .startsWith(neither + " (protobuf: While parsing a protocol message, the input ended unexpectedly")
        .endsWith("; JSON: does not start with '{')");
    assertThat(header(dead.get(1).headers(), DeadLetterHeaders.REASON))
        .startsWith(neither + " (protobuf: starts with '{'; JSON: invalid JSON: Unexpected end-of-input");
    assertThat(header(dead.get(2).headers(), DeadLetterHeaders.REASON))
        .startsWith(neither + " (protobuf: While parsing a protocol message, the input ended unexpectedly")
        .contains("; JSON: invalid OTLP/JSON: ");
    assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.EXCEPTION))
        .containsOnly("com.google.protobuf.InvalidProtocolBufferException");
    assertThat(out.readKeyValuesToList()).as("the next record is processed").hasSize(recordsOfTheGoodOne)
        .extracting(kv -> kv.key).doesNotContain("garbage", "cut-short", "wrong-shape");
    assertThat(counters.deadLettered()).isEqualTo(3);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepTelemetryValuesOutOfTheReasonsOfOtlpJsonDeadLetters() {
    TestOutputTopic<String, LogRecord> out = start(new LogNormalizer(), LogRecord.class);
    String wrongType = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"attributes\":["
        + "{\"key\":\"user\",\"value\":{\"intValue\":\"jane@example.com\"}}]}]}]}]}";
    String bareWord = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityText\":hunter2}]}]}]}";

    raw.pipeInput("k", wrongType.getBytes(StandardCharsets.UTF_8), T);
    raw.pipeInput("k", bareWord.getBytes(StandardCharsets.UTF_8), T);

    assertThat(deadLetters.readRecordsToList()).extracting(r -> header(r.headers(), DeadLetterHeaders.REASON))
        .containsExactly(
            "neither OTLP protobuf nor OTLP/JSON opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest"
                + " (protobuf: starts with '{'; JSON: invalid OTLP/JSON: Not an int64 value: \"...\")",
            "neither OTLP protobuf nor OTLP/JSON opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest"
                + " (protobuf: starts with '{'; JSON: invalid JSON: Unrecognized token '...': was expecting"
                + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))");
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldTellTheEncodingsApartWhereTheirFirstBytesLookAlike() {
    TestOutputTopic<String, io.tributary.schemas.avro.Span> out = start(new SpanNormalizer(), io.tributary.schemas.avro.Span.class);
    // A protobuf request whose first ResourceSpans is 123 bytes long starts "\n{", as JSON may.
    ExportTraceServiceRequest startsWithNewlineBrace = null;
    for (int length = 0; startsWithNewlineBrace == null; length++) {
      ResourceSpans resourceSpans = ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
          .addSpans(Span.newBuilder().setTraceId(OtlpSamples.id(TRACE_ID)).setSpanId(OtlpSamples.id(OtlpFixtures.SPAN_ID))
              .setName("x".repeat(length)))).build();
      if (resourceSpans.getSerializedSize() == 123) {
        startsWithNewlineBrace = ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans).build();
      }
    }
    byte[] protobuf = startsWithNewlineBrace.toByteArray();
    assertThat(new String(protobuf, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("\n{");
    byte[] indentedJson = ("\n \t\r" + new String(OtlpFixtures.collectorJson("traces"), StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);

    raw.pipeInput(TRACE_ID, protobuf, T);
    raw.pipeInput(TRACE_ID, indentedJson, T);

    List<io.tributary.schemas.avro.Span> spans = out.readValuesToList();
    assertThat(spans).extracting(io.tributary.schemas.avro.Span::getName).hasSize(3)
        .startsWith(startsWithNewlineBrace.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .endsWith("GET /orders", "checkout");
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }
}
