package io.tributary.processors;

import static io.tributary.processors.OtlpFixtures.TENANT;
import static io.tributary.processors.OtlpFixtures.TRACE_ID;
import static io.tributary.processors.TestDrivers.header;
import static io.tributary.processors.TestDrivers.tenantHeaders;
import static io.tributary.testsupport.AvroValues.kv;
import static io.tributary.testsupport.OtlpSamples.attribute;
import static io.tributary.testsupport.OtlpSamples.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.processors.otlp.OtlpOutputConfig;
import io.tributary.processors.sampling.SamplingCondition;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.SamplingPolicy;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.otlp.AvroToOtlp;
import io.tributary.schemas.otlp.OtlpRequests;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole traces pipeline: otlp_spans -> normalize -> redact -> tail sampling -> telemetry.spans.
 * Spans come out once their trace is decided, so the tests move the driver's wall clock past the
 * decision wait.
 */
class TracesTopologyTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration PAST_DECISION =
      SamplingConfig.DEFAULT_DECISION_WAIT.plus(SamplingConfig.DEFAULT_CHECK_INTERVAL);
  /** Keeps every trace, so a test sees each span it sends. */
  private static final PipelineConfig KEEP_ALL = PipelineConfig.getDefault().withSampling(
      SamplingConfig.builder().policies(SamplingPolicy.of("all", SamplingCondition.always())).build());

  @TempDir Path stateDir;
  private final Topics topics = Topics.traces();
  private final PipelineStats stats = new PipelineStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, io.tributary.schemas.avro.Span> spans;
  private TestOutputTopic<String, byte[]> deadLetters;

  @BeforeEach
  void start() {
    start(PipelineConfig.getDefault());
  }

  private void start(PipelineConfig config) {
    if (driver != null) {
      driver.close();
    }
    driver = TestDrivers.driver(TracesTopology.build(config, topics, SerdeConfig.getDefault(), stats), stateDir, T);
    raw = TestDrivers.rawInput(driver, topics);
    spans = TestDrivers.output(driver, topics, io.tributary.schemas.avro.Span.class);
    deadLetters = TestDrivers.deadLetters(driver, topics);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldWriteEveryFieldOfEverySpanKeyedByTraceId() {
    raw.pipeInput(new TestRecord<>(TRACE_ID, OtlpFixtures.traceRequest().toByteArray(), tenantHeaders(TENANT), T));
    assertThat(spans.isEmpty()).as("nothing before the trace is decided").isTrue();
    driver.advanceWallClockTime(PAST_DECISION);

    List<TestRecord<String, io.tributary.schemas.avro.Span>> records = spans.readRecordsToList();
    List<io.tributary.schemas.avro.Span> expected = OtlpFixtures.expectedSpans(TENANT);
    expected.forEach(span -> span.setSamplingPolicy("errors")); // the fixture has an error span
    assertThat(records).extracting(r -> KeyValue.pair(r.key(), r.value())).containsExactly(
        KeyValue.pair(TRACE_ID, expected.get(0)), KeyValue.pair(TRACE_ID, expected.get(1)));
    assertThat(records).extracting(TestRecord::timestamp).containsOnly(T.toEpochMilli());
    assertThat(header(records.get(0).headers(), TelemetryHeaders.TENANT)).isEqualTo(TENANT);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(spans.isEmpty()).isTrue();
  }

  @Test
  void shouldKeyEachSpanByItsOwnTraceIdWhateverTheRawKey() {
    start(KEEP_ALL);
    String otherTrace = "ffeeddccbbaa99887766554433221100";
    ExportTraceServiceRequest twoTraces = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000001")).setName("a"))
            .addSpans(Span.newBuilder().setTraceId(id(otherTrace)).setSpanId(id("0000000000000002")).setName("b"))))
        .build();

    raw.pipeInput("written-by-a-collector", twoTraces.toByteArray(), T);
    driver.advanceWallClockTime(PAST_DECISION);

    assertThat(spans.readKeyValuesToList()).extracting(kv -> kv.key).containsExactlyInAnyOrder(TRACE_ID, otherTrace);
    assertThat(spans.isEmpty()).isTrue();
  }

  @Test
  void shouldBufferTheSpansOfATraceInOneRequestAsOneEntryWrittenOnce() {
    start(KEEP_ALL);
    String otherTrace = "ffeeddccbbaa99887766554433221100";
    ExportTraceServiceRequest first = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000001")).setName("a1"))
            .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000002")).setName("a2"))
            .addSpans(Span.newBuilder().setTraceId(id(otherTrace)).setSpanId(id("0000000000000003")).setName("b1"))
            .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000004")).setName("a3"))))
        .build();
    ExportTraceServiceRequest second = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000005")).setName("a4"))))
        .build();

    raw.pipeInput(TRACE_ID, first.toByteArray(), T);
    KeyValueStore<Bytes, byte[]> buffer = driver.getKeyValueStore(TailSampling.SPAN_BUFFER_STORE);
    byte[] firstChunk = buffer.get(bufferKey(TRACE_ID, 0));
    raw.pipeInput(TRACE_ID, second.toByteArray(), T);

    // a1 + a2 + a3 together (b1 of another trace in between does not split them), b1, a4 (another request)
    assertThat(keys(buffer)).containsExactly(
        bufferKey(TRACE_ID, 0), bufferKey(TRACE_ID, 1), bufferKey(otherTrace, 0));
    assertThat(buffer.get(bufferKey(TRACE_ID, 0))).as("a chunk is not rewritten by later records")
        .isEqualTo(firstChunk);
    driver.advanceWallClockTime(PAST_DECISION);

    assertThat(spans.readValuesToList()).extracting(io.tributary.schemas.avro.Span::getName)
        .containsExactlyInAnyOrder("a1", "a2", "a3", "a4", "b1")
        .filteredOn(name -> name.startsWith("a")).containsExactly("a1", "a2", "a3", "a4");
    assertThat(keys(buffer)).isEmpty();
  }

  private static List<Bytes> keys(KeyValueStore<Bytes, byte[]> store) {
    List<Bytes> keys = new java.util.ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      it.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }

  private static Bytes bufferKey(String traceId, int sequence) {
    return Bytes.wrap(ByteBuffer.allocate(20).put(HexFormat.of().parseHex(traceId)).putInt(sequence).array());
  }

  @Test
  void shouldDropTracesTheShippedPoliciesDoNotKeep() {
    // No error, fast, no cost, and trace ids whose low 56 bits are below the 10% threshold.
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000001")).setName("a")
                .setStartTimeUnixNano(1_000_000_000L).setEndTimeUnixNano(2_000_000_000L))))
        .build();

    raw.pipeInput(TRACE_ID, request.toByteArray(), T);
    driver.advanceWallClockTime(PAST_DECISION);

    assertThat(stats.sampling().decisions()).containsExactly(Map.entry("drop:no-policy-matched", 1L));
    assertThat(spans.isEmpty()).isTrue();
  }

  /** LLM metrics come from the step before sampling: a dropped trace's tokens and cost are counted all the same. */
  @Test
  void shouldCountTheTokensAndCostOfADroppedLlmTrace() {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "assistant")))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setTraceId(id(TRACE_ID))
                .setSpanId(id("0000000000000001")).setName("chat gpt-4o").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(1_000_000_000L).setEndTimeUnixNano(2_000_000_000L)
                .addAttributes(attribute("gen_ai.request.model", "gpt-4o"))
                .addAttributes(attribute("gen_ai.usage.input_tokens", AnyValue.newBuilder()
                    .setIntValue(100_000).build()))
                .addAttributes(attribute("gen_ai.usage.cache_read.input_tokens",
                    AnyValue.newBuilder().setIntValue(60_000).build())))))
        .build();
    TestOutputTopic<String, MetricPoint> metrics = driver.createOutputTopic(
        PipelineConfig.getDefault().spanMetrics().topic(), new StringDeserializer(),
        AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault())
            .deserializer());

    raw.pipeInput(TRACE_ID, request.toByteArray(), T);
    driver.advanceWallClockTime(PAST_DECISION);
    driver.advanceWallClockTime(PipelineConfig.getDefault().spanMetrics().flushInterval());
    driver.advanceWallClockTime(PipelineConfig.getDefault().spanMetrics().flushInterval());

    assertThat(stats.sampling().decisions()).as("cheap, fast, no error: dropped")
        .containsExactly(Map.entry("drop:no-policy-matched", 1L));
    assertThat(spans.isEmpty()).isTrue();
    Map<String, MetricPoint> llm = new HashMap<>();
    metrics.readValuesToList().stream().filter(p -> p.getName().equals("tributary.llm.cost_usd")
        || p.getName().equals("gen_ai.client.token.usage")).forEach(p -> llm.put(p.getName(), p));
    assertThat(((NumberValue) llm.get("tributary.llm.cost_usd").getValue()).getValue())
        .as("40k uncached at 2.50 + 60k cached at 1.25 per million").isEqualTo(0.175);
    assertThat(((HistogramValue) llm.get("gen_ai.client.token.usage").getValue()).getSum())
        .isEqualTo(100_000.0);
  }

  @Test
  void shouldRedactEveryPlaceBeforeWriting() {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "checkout"))
                .addAttributes(attribute("owner", "team-lead@example.com")))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("lib").addAttributes(attribute("host", "10.20.30.40")))
                .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000001"))
                    .setName("chat")
                    .addAttributes(attribute("gen_ai.prompt", "my card is 4111 1111 1111 1111"))
                    .addAttributes(attribute("gen_ai.request.model", "gpt-4o"))
                    .addAttributes(attribute("payment", "4111 1111 1111 1111"))
                    .addEvents(Span.Event.newBuilder().setName("gen_ai.content.prompt")
                        .addAttributes(attribute("gen_ai.prompt", "hello"))
                        .addAttributes(attribute("auth", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")))
                    .addLinks(Span.Link.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000002"))
                        .addAttributes(attribute("peer", "fe80::1ff:fe23:4567:890a")))
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
                        .setMessage("no user alice@example.com")))))
        .build();

    raw.pipeInput(TRACE_ID, request.toByteArray(), T);
    driver.advanceWallClockTime(PAST_DECISION);

    io.tributary.schemas.avro.Span span = spans.readValue();
    assertThat(span.getResource().getAttributes())
        .containsExactly(kv("service.name", "checkout"), kv("owner", "[REDACTED:email]"));
    assertThat(span.getScope().getAttributes()).containsExactly(kv("host", "[REDACTED:ipv4]"));
    assertThat(span.getAttributes())
        .containsExactly(kv("gen_ai.request.model", "gpt-4o"), kv("payment", "[REDACTED:card]"));
    assertThat(span.getEvents().get(0).getAttributes()).containsExactly(kv("auth", "[REDACTED:jwt]"));
    assertThat(span.getLinks().get(0).getAttributes()).containsExactly(kv("peer", "[REDACTED:ipv6]"));
    assertThat(span.getStatus().getMessage()).isEqualTo("no user [REDACTED:email]");
    assertThat(stats.redactions())
        .containsEntry("drop:gen_ai.prompt", 2L).containsEntry("mask:email", 2L).containsEntry("mask:card", 1L)
        .containsEntry("mask:jwt", 1L).containsEntry("mask:ipv4", 1L).containsEntry("mask:ipv6", 1L);
    assertThat(spans.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterPoisonRecordsAndGoOnWithACollectorsOtlpJsonRecord() {
    raw.pipeInput(new TestRecord<>(TRACE_ID, OtlpFixtures.garbage(), tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>(TRACE_ID, OtlpFixtures.collectorJson("traces"), tenantHeaders(TENANT), T));
    driver.advanceWallClockTime(PAST_DECISION);

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertThat(dead.value()).isEqualTo(OtlpFixtures.garbage());
    assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).startsWith(
        "neither OTLP protobuf nor OTLP/JSON opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest (protobuf: ")
        .endsWith("; JSON: does not start with '{')");
    assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("otlp_spans");
    assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
    List<io.tributary.schemas.avro.Span> expected = OtlpFixtures.expectedSpans(TENANT);
    expected.forEach(span -> span.setSamplingPolicy("errors"));
    assertThat(spans.readKeyValuesToList()).as("the OTLP/JSON record, as its protobuf twin would be").containsExactly(
        KeyValue.pair(TRACE_ID, expected.get(0)), KeyValue.pair(TRACE_ID, expected.get(1)));
    assertThat(stats.deadLettered()).isEqualTo(1);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(spans.isEmpty()).isTrue();
  }

  @Test
  void shouldAlsoWriteEachKeptTraceAsTheOtlpItCameAsWithTheDecidingPolicy() throws Exception {
    start(PipelineConfig.getDefault().withOtlpOutput(OtlpOutputConfig.builder().traces(true).build()));
    TestOutputTopic<String, byte[]> otlp = TestDrivers.otlpOutput(driver, topics);
    String droppedTrace = "ffeeddccbbaa99887700000000000001"; // no error, fast, below the probabilistic threshold
    ExportTraceServiceRequest dropped = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setTraceId(id(droppedTrace)).setSpanId(id("0000000000000001")).setName("a"))))
        .build();

    raw.pipeInput(new TestRecord<>(TRACE_ID, OtlpFixtures.traceRequest().toByteArray(), tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>(droppedTrace, dropped.toByteArray(), tenantHeaders(TENANT), T));
    driver.advanceWallClockTime(PAST_DECISION);

    ExportTraceServiceRequest.Builder expected = OtlpFixtures.traceRequest().toBuilder();
    expected.getResourceSpansBuilder(0).setResource(OtlpFixtures.resourceAsWritten());
    expected.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilderList()
        .forEach(span -> span.addAttributes(attribute(AvroToOtlp.SAMPLING_POLICY_ATTRIBUTE, "errors")));
    TestRecord<String, byte[]> record = otlp.readRecord();
    assertThat(record.key()).isEqualTo(TRACE_ID);
    assertThat(ExportTraceServiceRequest.parseFrom(record.value())).as("the request as sent, the policy added")
        .isEqualTo(expected.build())
        .as("the Avro output converted").isEqualTo(OtlpRequests.ofSpans(spans.readValuesToList()));
    assertThat(header(record.headers(), TelemetryHeaders.TENANT)).isEqualTo(TENANT);
    assertThat(otlp.isEmpty()).as("nothing of the dropped trace").isTrue();
    assertThat(spans.isEmpty()).isTrue();
  }

  @Test
  void shouldWriteRedactedValuesToTheOtlpOutput() throws Exception {
    start(PipelineConfig.getDefault().withOtlpOutput(OtlpOutputConfig.builder().traces(true).build()));
    TestOutputTopic<String, byte[]> otlp = TestDrivers.otlpOutput(driver, topics);
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("owner", "team-lead@example.com")))
            .addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id("0000000000000001")).setName("chat")
                    .addAttributes(attribute("gen_ai.prompt", "my card is 4111 1111 1111 1111"))
                    .addAttributes(attribute("payment", "4111 1111 1111 1111"))
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)))))
        .build();

    raw.pipeInput(TRACE_ID, request.toByteArray(), T);
    driver.advanceWallClockTime(PAST_DECISION);

    ExportTraceServiceRequest written = ExportTraceServiceRequest.parseFrom(otlp.readValue());
    assertThat(written).isEqualTo(OtlpRequests.ofSpans(spans.readValuesToList()));
    assertThat(written.getResourceSpans(0).getResource().getAttributesList())
        .containsExactly(attribute("owner", "[REDACTED:email]"));
    assertThat(written.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributesList()).containsExactly(
        attribute("payment", "[REDACTED:card]"), attribute(AvroToOtlp.SAMPLING_POLICY_ATTRIBUTE, "errors"));
    assertThat(otlp.isEmpty()).isTrue();
  }

  @Test
  void shouldWriteNoOtlpOutputWhenItIsOff() {
    assertThat(PipelineConfig.getDefault().otlpOutput().traces()).isFalse();
    raw.pipeInput(new TestRecord<>(TRACE_ID, OtlpFixtures.traceRequest().toByteArray(), tenantHeaders(TENANT), T));
    driver.advanceWallClockTime(PAST_DECISION);

    assertThat(spans.readValuesToList()).hasSize(2);
    assertThat(driver.producedTopicNames()).contains(topics.output()).doesNotContain(topics.otlpOutput());
    assertThat(TracesTopology.build(PipelineConfig.getDefault(), topics).describe().toString())
        .doesNotContain("traces-otlp", topics.otlpOutput());
  }

  @Test
  void shouldRefuseTheOtlpOutputWithoutATopicForIt() {
    PipelineConfig on = PipelineConfig.getDefault().withOtlpOutput(OtlpOutputConfig.builder().traces(true).build());
    Topics noOtlpTopic = new Topics(topics.input(), topics.output(), topics.deadLetter());

    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> TracesTopology.build(on, noOtlpTopic)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("otlp-output.traces is on, but the topics name no OTLP output topic");
  }

  @Test
  void shouldDescribeTheStepsByName() {
    String description = TracesTopology.build(PipelineConfig.getDefault(), topics).describe().toString();

    assertThat(description).contains("traces-source", "traces-normalize", "traces-dead-letters", "traces-redact",
        "traces-tail-sampling", "traces-sink", "otlp_spans", "telemetry.spans", "tributary.dlq.traces",
        TailSampling.SPAN_BUFFER_STORE, TailSampling.TRACE_SUMMARY_STORE, TailSampling.DEADLINE_INDEX_STORE,
        TailSampling.DECISION_STORE, TailSampling.DECISION_EXPIRY_STORE);
  }
}
