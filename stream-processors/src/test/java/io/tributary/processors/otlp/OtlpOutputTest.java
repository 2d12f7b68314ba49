package io.tributary.processors.otlp;

import static io.tributary.processors.sampling.TestSpans.span;
import static io.tributary.processors.sampling.TestSpans.traceId;
import static io.tributary.processors.sampling.TestSpans.unsampledTraceId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tributary.processors.AvroRecords;
import io.tributary.processors.TestDrivers;
import io.tributary.processors.sampling.KeptSpan;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.SamplingStats;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.otlp.AvroToOtlp;
import io.tributary.schemas.otlp.OtlpRecordKeys;
import io.tributary.schemas.otlp.OtlpRequests;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.testsupport.AvroValues;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OTLP output steps alone, each next to the Avro output it mirrors: the spans from tail
 * sampling (one request per trace and release), log records and metric points (one request each),
 * keyed like the raw topics.
 */
class OtlpOutputTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration PAST_DECISION = SamplingConfig.DEFAULT_DECISION_WAIT.plus(SamplingConfig.DEFAULT_CHECK_INTERVAL);

  @TempDir Path stateDir;
  private TopologyTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  // ---------------------------------------------------------------- traces

  private TestInputTopic<String, Span> spansIn;
  private TestOutputTopic<String, Span> avroSpans;
  private TestOutputTopic<String, byte[]> otlpSpans;

  /** Tail sampling with the shipped policies, its Avro output and its OTLP output. */
  private void startTraces() {
    AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, List<KeptSpan>> kept = TailSampling.sample(
        builder.stream("spans-in", Consumed.with(Serdes.String(), serde)).mapValues(s -> List.of(s)),
        "traces", SamplingConfig.getDefault(), new SamplingStats());
    TailSampling.spans(kept, "traces").to("spans-out", Produced.with(Serdes.String(), Serdes.ByteArray()));
    OtlpOutput.spans(kept, "traces", "otlp-spans-out");
    driver = TestDrivers.driver(builder.build(), stateDir, T0);
    spansIn = driver.createInputTopic("spans-in", new StringSerializer(), serde.serializer());
    avroSpans = driver.createOutputTopic("spans-out", new StringDeserializer(), serde.deserializer());
    otlpSpans = driver.createOutputTopic("otlp-spans-out", new StringDeserializer(), new ByteArrayDeserializer());
  }

  private void send(Span span) {
    spansIn.pipeInput(new TestRecord<>(span.getTraceId(), span, TestDrivers.tenantHeaders(span.getTenant()), T0));
  }

  @Test
  void shouldWriteTheSpansOfAKeptTraceAsOneRequestEqualToItsAvroSpansConverted() throws Exception {
    startTraces();
    String kept = unsampledTraceId(1);
    String dropped = unsampledTraceId(2);
    send(span(kept, 0).root().build());
    send(span(dropped, 0).root().build());
    send(span(kept, 1).error().attribute("http.route", "/pay").build());
    send(span(kept, 2).service("billing").build());
    send(span(dropped, 1).build());
    driver.advanceWallClockTime(PAST_DECISION);

    List<Span> avro = avroSpans.readValuesToList();
    assertThat(avro).extracting(Span::getTraceId).containsOnly(kept).hasSize(3);
    TestRecord<String, byte[]> record = otlpSpans.readRecord();
    assertThat(record.key()).isEqualTo(kept);
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(record.value());
    assertThat(request).isEqualTo(OtlpRequests.ofSpans(avro));
    assertThat(request.getResourceSpansList()).as("regrouped by resource: checkout, billing").hasSize(2);
    assertThat(spansOf(request)).allSatisfy(s -> assertThat(s.getAttributesList())
        .contains(KeyValue.newBuilder().setKey(AvroToOtlp.SAMPLING_POLICY_ATTRIBUTE)
            .setValue(AnyValue.newBuilder().setStringValue("errors")).build()));
    assertThat(TestDrivers.header(record.headers(), TelemetryHeaders.TENANT)).isEqualTo("acme");
    assertThat(record.timestamp()).isEqualTo(T0.toEpochMilli());
    assertThat(otlpSpans.isEmpty()).as("the dropped trace is absent").isTrue();
  }

  @Test
  void shouldWriteASpanThatFollowsAKeepDecisionAsARequestOfItsOwn() throws Exception {
    startTraces();
    String kept = unsampledTraceId(3);
    send(span(kept, 0).error().build());
    driver.advanceWallClockTime(PAST_DECISION);
    otlpSpans.readRecord();

    send(span(kept, 1).build());
    send(span(unsampledTraceId(4), 0).build());
    driver.advanceWallClockTime(PAST_DECISION);

    TestRecord<String, byte[]> late = otlpSpans.readRecord();
    assertThat(late.key()).isEqualTo(kept);
    assertThat(spansOf(ExportTraceServiceRequest.parseFrom(late.value()))).singleElement()
        .satisfies(s -> assertThat(s.getAttributesList()).extracting(KeyValue::getKey)
            .contains(AvroToOtlp.SAMPLING_POLICY_ATTRIBUTE));
    assertThat(otlpSpans.isEmpty()).isTrue();
  }

  @Test
  void shouldWriteOneRequestPerTenantWhenTenantsShareATraceId() throws Exception {
    startTraces();
    String shared = traceId(5, 0);
    send(span(shared, 0).error().build());
    send(Span.newBuilder(span(shared, 1).build()).setTenant("globex").build());
    driver.advanceWallClockTime(PAST_DECISION);

    List<TestRecord<String, byte[]>> records = otlpSpans.readRecordsToList();
    assertThat(records).extracting(r -> TestDrivers.header(r.headers(), TelemetryHeaders.TENANT))
        .containsExactly("acme", "globex");
    assertThat(records).extracting(TestRecord::key).containsOnly(shared);
    assertThat(otlpSpans.isEmpty()).isTrue();
  }

  private static List<io.opentelemetry.proto.trace.v1.Span> spansOf(ExportTraceServiceRequest request) {
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
    return spans;
  }

  // ---------------------------------------------------------------- logs and metrics

  private <T extends org.apache.avro.specific.SpecificRecord> TestInputTopic<String, T> start(Class<T> type,
      java.util.function.BiConsumer<KStream<String, T>, String> step) {
    AvroSerde<T> serde = AvroSerde.forType(type, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    step.accept(builder.stream("in", Consumed.with(Serdes.String(), serde)), "otlp-out");
    Topology topology = builder.build();
    driver = TestDrivers.driver(topology, stateDir, T0);
    return driver.createInputTopic("in", new StringSerializer(), serde.serializer());
  }

  private TestOutputTopic<String, byte[]> otlpOut() {
    return driver.createOutputTopic("otlp-out", new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Test
  void shouldWriteEachLogRecordAsARequestKeyedByTraceIdElseByResource() throws InvalidProtocolBufferException {
    TestInputTopic<String, LogRecord> in = start(LogRecord.class, (logs, topic) -> OtlpOutput.logs(logs, "logs", topic));
    LogRecord correlated = LogRecord.newBuilder(AvroRecords.log("checkout", AvroValues.attributes("k", "v")))
        .setTraceId("0102030405060708090a0b0c0d0e0f10").build();
    LogRecord uncorrelated = AvroRecords.log("checkout", List.of());

    in.pipeInput(new TestRecord<>("any", correlated, TestDrivers.tenantHeaders("acme"), T0));
    in.pipeInput(new TestRecord<>("any", uncorrelated, TestDrivers.tenantHeaders("acme"), T0));

    TestOutputTopic<String, byte[]> out = otlpOut();
    TestRecord<String, byte[]> first = out.readRecord();
    assertThat(first.key()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
    assertThat(ExportLogsServiceRequest.parseFrom(first.value())).isEqualTo(OtlpRequests.ofLogRecords(List.of(correlated)));
    assertThat(TestDrivers.header(first.headers(), TelemetryHeaders.TENANT)).isEqualTo("acme");
    TestRecord<String, byte[]> second = out.readRecord();
    assertThat(second.key()).isEqualTo(OtlpRecordKeys.hashKey(
        OtlpRecordKeys.resourceHash(AvroToOtlp.resource(uncorrelated.getResource()))));
    assertThat(ExportLogsServiceRequest.parseFrom(second.value()))
        .isEqualTo(OtlpRequests.ofLogRecords(List.of(uncorrelated)));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldWriteEachMetricPointAsARequestKeyedByResourceAndName() throws InvalidProtocolBufferException {
    TestInputTopic<String, MetricPoint> in =
        start(MetricPoint.class, (points, topic) -> OtlpOutput.metricPoints(points, "metrics", topic));
    MetricPoint gauge = AvroRecords.gauge("acme", "queue.depth", AvroRecords.resource("service.name", "checkout"),
        AvroValues.attributes("queue", "a"), 3.0);
    MetricPoint sameSeriesOtherLabels = AvroRecords.gauge("acme", "queue.depth",
        AvroRecords.resource("service.name", "checkout"), AvroValues.attributes("queue", "b"), 4.0);

    in.pipeInput(new TestRecord<>(gauge.getSeriesId(), gauge, TestDrivers.tenantHeaders("acme"), T0));
    in.pipeInput(new TestRecord<>(sameSeriesOtherLabels.getSeriesId(), sameSeriesOtherLabels,
        TestDrivers.tenantHeaders("acme"), T0));

    String key = OtlpRecordKeys.metricKey(OtlpRecordKeys.resourceHash(AvroToOtlp.resource(gauge.getResource())),
        "queue.depth");
    TestOutputTopic<String, byte[]> out = otlpOut();
    TestRecord<String, byte[]> first = out.readRecord();
    assertThat(first.key()).isEqualTo(key);
    assertThat(ExportMetricsServiceRequest.parseFrom(first.value())).isEqualTo(OtlpRequests.ofMetricPoints(List.of(gauge)));
    assertThat(out.readRecord().key()).as("the point's labels are not in the key").isEqualTo(key);
    assertThat(out.isEmpty()).isTrue();
  }
}
