package io.tributary.processors.sampling;

import static io.tributary.processors.sampling.TestSpans.HIGHEST_RANDOMNESS;
import static io.tributary.processors.sampling.TestSpans.span;
import static io.tributary.processors.sampling.TestSpans.traceId;
import static io.tributary.processors.sampling.TestSpans.unsampledTraceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.TestDrivers;
import io.tributary.processors.sampling.SamplingCondition.And;
import io.tributary.processors.sampling.SamplingCondition.Attribute;
import io.tributary.processors.sampling.SamplingCondition.AttributeMatch;
import io.tributary.processors.sampling.SamplingCondition.AttributeScope;
import io.tributary.processors.sampling.SamplingCondition.LatencyScope;
import io.tributary.processors.sampling.SamplingCondition.Not;
import io.tributary.processors.sampling.SamplingCondition.Or;
import io.tributary.processors.sampling.SamplingCondition.RateLimit;
import io.tributary.processors.sampling.SamplingCondition.RateUnit;
import io.tributary.processors.sampling.SamplingCondition.SpanCount;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tail-sampling step alone, Avro spans in and out, with the driver's wall clock under the test's
 * control: decisions come at the first check (every {@code check-interval}) at or after a trace's
 * deadline.
 */
class TailSamplingTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration WAIT = SamplingConfig.DEFAULT_DECISION_WAIT;
  private static final Duration CHECK = SamplingConfig.DEFAULT_CHECK_INTERVAL;
  private static final AvroSerde<Span> SERDE = AvroSerde.forType(Span.class, SerdeConfig.getDefault());

  @TempDir Path stateDir;
  @TempDir Path otherStateDir;
  private final SamplingStats stats = new SamplingStats();
  private final List<TopologyTestDriver> drivers = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Span> in;
  private TestOutputTopic<String, Span> out;
  private Instant now = T0;

  @AfterEach
  void close() {
    drivers.forEach(TopologyTestDriver::close);
  }

  private static Topology topology(SamplingConfig config, SamplingStats stats) {
    StreamsBuilder builder = new StreamsBuilder();
    // One span per input record here; TailSamplingProcessorTest covers requests of several spans.
    TailSampling.spans(TailSampling.sample(
            builder.stream("spans-in", Consumed.with(Serdes.String(), SERDE)).mapValues(span -> List.of(span)),
            "test", config, stats), "test")
        .to("spans-out", Produced.with(Serdes.String(), Serdes.ByteArray())); // single-object encoded, as SERDE reads
    return builder.build();
  }

  private void start(SamplingConfig config) {
    start(config, stateDir);
  }

  /** Starts a driver (another instance, when one runs already: give it its own directory). */
  private void start(SamplingConfig config, Path dir) {
    driver = TestDrivers.driver(topology(config, stats), dir, T0);
    now = T0;
    drivers.add(driver);
    in = driver.createInputTopic("spans-in", new StringSerializer(), SERDE.serializer());
    out = driver.createOutputTopic("spans-out", new StringDeserializer(), SERDE.deserializer());
  }

  private static SamplingConfig policies(SamplingPolicy... policies) {
    return SamplingConfig.builder().policies(policies).build();
  }

  private void send(Span... spans) {
    for (Span span : spans) {
      in.pipeInput(span.getTraceId(), span, now);
    }
  }

  /** Moves the wall clock to {@code sinceT0} after T0 (running the checks that come due). */
  private void advanceTo(Duration sinceT0) {
    Instant target = T0.plus(sinceT0);
    driver.advanceWallClockTime(Duration.between(now, target));
    now = target;
  }

  /** Past the first check at or after a deadline of {@code deadlineSinceT0}. */
  private void advancePast(Duration deadlineSinceT0) {
    advanceTo(deadlineSinceT0.plus(CHECK));
  }

  private List<Span> read() {
    return out.readValuesToList();
  }

  /** Trace id -> the deciding policy on its spans, over everything written. */
  private static Map<String, Set<String>> policiesByTrace(List<Span> spans) {
    Map<String, Set<String>> byTrace = new TreeMap<>();
    spans.forEach(s -> byTrace.computeIfAbsent(s.getTraceId(), k -> new java.util.TreeSet<>())
        .add(String.valueOf(s.getSamplingPolicy())));
    return byTrace;
  }

  private static Span withPolicy(Span span, String policy) {
    return Span.newBuilder(span).setSamplingPolicy(policy).build();
  }

  private List<Bytes> keys(String store) {
    KeyValueStore<Bytes, byte[]> kv = driver.getKeyValueStore(store);
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
      it.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }

  private static Bytes spanKey(String traceId, int sequence) {
    return Bytes.wrap(ByteBuffer.allocate(20).put(HexFormat.of().parseHex(traceId)).putInt(sequence).array());
  }

  private static Bytes timedKey(Instant at, String traceId) {
    return Bytes.wrap(ByteBuffer.allocate(24).putLong(at.toEpochMilli()).put(HexFormat.of().parseHex(traceId)).array());
  }

  // ---------------------------------------------------------------- decision timing

  @Test
  void shouldWriteNothingBeforeTheDecisionWaitAndTheWholeKeptTraceAfterIt() {
    start(SamplingConfig.getDefault());
    String trace = unsampledTraceId(1);
    Span first = span(trace, 0).error().build();
    Span second = span(trace, 1).build();
    Span root = span(trace, 2).root().build();

    send(first);
    advanceTo(Duration.ofSeconds(1));
    send(second);
    advanceTo(Duration.ofSeconds(2));
    send(root);
    advanceTo(WAIT.minusMillis(1));
    assertThat(out.isEmpty()).as("nothing before decision-wait").isTrue();
    assertThat(stats.tracesInFlight()).isEqualTo(1);

    advancePast(WAIT);

    List<TestRecord<String, Span>> records = out.readRecordsToList();
    assertThat(records).extracting(TestRecord::key).containsOnly(trace);
    assertThat(records).extracting(TestRecord::value).containsExactly(
        withPolicy(first, "errors"), withPolicy(second, "errors"), withPolicy(root, "errors"));
    assertThat(records).extracting(TestRecord::timestamp)
        .containsExactly(T0.toEpochMilli(), T0.plusSeconds(1).toEpochMilli(), T0.plusSeconds(2).toEpochMilli());
    assertThat(records).allSatisfy(r -> assertThat(TestDrivers.header(r.headers(), TelemetryHeaders.TENANT))
        .isEqualTo(TestSpans.TENANT));
    assertThat(stats.decisions()).containsExactly(Map.entry("keep:errors", 1L));
    assertThat(stats.tracesInFlight()).isZero();
    assertThat(stats.decisionLatency().count()).isEqualTo(1);
    assertThat(stats.decisionLatency().max()).isEqualTo(WAIT.plus(CHECK));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldDropTracesNoPolicyKeepsAndForgetTheirSpans() {
    start(SamplingConfig.getDefault());
    String trace = unsampledTraceId(2);

    send(span(trace, 0).build(), span(trace, 1).build());
    advancePast(WAIT);

    assertThat(read()).isEmpty();
    assertThat(stats.decisions()).containsExactly(Map.entry("drop:no-policy-matched", 1L));
    assertThat(keys(TailSampling.SPAN_BUFFER_STORE)).isEmpty();
    assertThat(keys(TailSampling.TRACE_SUMMARY_STORE)).isEmpty();
    assertThat(keys(TailSampling.DEADLINE_INDEX_STORE)).isEmpty();
    assertThat(keys(TailSampling.DECISION_STORE)).containsExactly(Bytes.wrap(HexFormat.of().parseHex(trace)));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldWaitFromTheLastSpanWhenConfigured() {
    start(SamplingConfig.builder().decisionWaitFrom(DecisionWaitFrom.LAST).build());
    String trace = unsampledTraceId(3);

    send(span(trace, 0).error().build());
    advanceTo(Duration.ofSeconds(8));
    send(span(trace, 1).build());
    advanceTo(Duration.ofSeconds(16));
    send(span(trace, 2).build());
    advanceTo(Duration.ofSeconds(25)); // 10 s after the first and second spans, 9 s after the last
    assertThat(out.isEmpty()).as("a span 9 s ago holds the trace").isTrue();

    advancePast(Duration.ofSeconds(26));

    assertThat(read()).extracting(Span::getSpanId).containsExactly("0000000000000001", "0000000000000002",
        "0000000000000003");
    assertThat(stats.lateSpansKept()).isZero();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldTreatSpansAfterTheWaitFromTheFirstSpanAsLate() {
    start(SamplingConfig.getDefault());
    String trace = unsampledTraceId(4);

    send(span(trace, 0).error().build());
    advanceTo(Duration.ofSeconds(8));
    send(span(trace, 1).build());
    advancePast(WAIT);
    assertThat(read()).hasSize(2);

    advanceTo(Duration.ofSeconds(16));
    Span late = span(trace, 2).build();
    send(late);

    List<TestRecord<String, Span>> records = out.readRecordsToList();
    assertThat(records).extracting(TestRecord::value).containsExactly(withPolicy(late, "errors"));
    assertThat(records.get(0).key()).isEqualTo(trace);
    assertThat(stats.lateSpansKept()).isEqualTo(1);
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldDropLateSpansOfADroppedTraceEvenWhenTheyWouldBeKeptAlone() {
    start(SamplingConfig.getDefault());
    String trace = unsampledTraceId(5);

    send(span(trace, 0).build());
    advancePast(WAIT);
    send(span(trace, 1).error().build()); // the decision stands: the trace was dropped

    assertThat(read()).isEmpty();
    assertThat(stats.lateSpansDropped()).isEqualTo(1);
    assertThat(stats.decisions()).containsExactly(Map.entry("drop:no-policy-matched", 1L));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldForgetDecisionsAfterTheirTtlSoALaterSpanStartsItsTraceAnew() {
    Duration ttl = Duration.ofMinutes(1);
    start(SamplingConfig.builder().decisionCacheTtl(ttl).build());
    String trace = unsampledTraceId(6);

    send(span(trace, 0).error().build());
    advancePast(WAIT); // kept at WAIT + CHECK
    assertThat(read()).hasSize(1);
    Instant decidedAt = now;
    assertThat(keys(TailSampling.DECISION_EXPIRY_STORE)).containsExactly(timedKey(decidedAt.plus(ttl), trace));

    advanceTo(Duration.between(T0, decidedAt.plus(ttl)).plus(CHECK));
    assertThat(keys(TailSampling.DECISION_STORE)).as("decision forgotten after its TTL").isEmpty();
    assertThat(keys(TailSampling.DECISION_EXPIRY_STORE)).isEmpty();

    Duration sent = Duration.between(T0, now);
    send(span(trace, 1).build()); // a new trace now: waits, and alone (no error) it is dropped
    assertThat(out.isEmpty()).isTrue();
    assertThat(stats.tracesInFlight()).isEqualTo(1);
    advancePast(sent.plus(WAIT));

    assertThat(read()).isEmpty();
    assertThat(stats.lateSpansKept()).isZero();
    assertThat(stats.decisions()).containsOnly(Map.entry("keep:errors", 1L), Map.entry("drop:no-policy-matched", 1L));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldDecideAtOnceWhenTheRootSpanArrivesWithoutGrace() {
    start(SamplingConfig.builder().decideOnRoot(true).rootGrace(Duration.ZERO).build());
    String trace = unsampledTraceId(7);

    send(span(trace, 0).error().build());
    advanceTo(Duration.ofSeconds(1));
    assertThat(out.isEmpty()).isTrue();
    send(span(trace, 1).root().build());

    assertThat(read()).extracting(Span::getSpanId).containsExactly("0000000000000001", TestSpans.ROOT_SPAN_ID);
    assertThat(stats.rootDecisions()).isEqualTo(1);
    send(span(trace, 2).build()); // a straggler follows the decision
    assertThat(read()).extracting(Span::getSamplingPolicy).containsExactly("errors");
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldDecideAGraceAfterTheRootSpan() {
    start(SamplingConfig.builder().decideOnRoot(true).rootGrace(Duration.ofSeconds(2)).build());
    String trace = unsampledTraceId(8);

    send(span(trace, 0).root().error().build());
    advanceTo(Duration.ofSeconds(1));
    send(span(trace, 1).build()); // within the grace: part of the trace
    advanceTo(Duration.ofMillis(1999));
    assertThat(out.isEmpty()).isTrue();

    advancePast(Duration.ofSeconds(2));

    assertThat(read()).extracting(Span::getSpanId).containsExactly(TestSpans.ROOT_SPAN_ID, "0000000000000002");
    assertThat(stats.rootDecisions()).isEqualTo(1);
    assertThat(stats.decisionLatency().max()).isLessThan(WAIT);
    assertThat(out.isEmpty()).isTrue();
  }

  // ---------------------------------------------------------------- bounds

  @Test
  void shouldDecideATraceAtItsSpanCapAndLetLaterSpansFollow() {
    start(SamplingConfig.builder().maxSpansPerTrace(3).build());
    String huge = unsampledTraceId(9);
    String small = unsampledTraceId(10);

    send(span(small, 0).error().build());
    send(span(huge, 0).error().build(), span(huge, 1).build(), span(huge, 2).build());
    assertThat(out.isEmpty()).isTrue();
    send(span(huge, 3).build()); // past the cap: decided now, on the 3 buffered spans; this one follows

    assertThat(read()).extracting(Span::getSpanId)
        .containsExactly("0000000000000001", "0000000000000002", "0000000000000003", "0000000000000004");
    send(span(huge, 4).build());
    assertThat(read()).extracting(Span::getSpanId).containsExactly("0000000000000005");
    assertThat(stats.overflowSpans()).isEqualTo(1);
    assertThat(stats.tracesCapped()).isEqualTo(1);
    assertThat(stats.lateSpansKept()).isEqualTo(1);
    assertThat(stats.tracesInFlight()).as("the small trace waits as before").isEqualTo(1);

    advancePast(WAIT);
    assertThat(read()).extracting(Span::getTraceId).containsExactly(small);
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldDecideATraceAtItsByteCap() {
    Span probe = span(unsampledTraceId(11), 0).build();
    int spanBytes = SERDE.serializer().serialize("any", probe).length;
    start(SamplingConfig.builder().maxBytesPerTrace(2L * spanBytes + spanBytes / 2).build());
    String trace = unsampledTraceId(11);

    send(span(trace, 0).build(), span(trace, 1).build());
    assertThat(keys(TailSampling.SPAN_BUFFER_STORE)).hasSize(2);
    send(span(trace, 2).build()); // would make 3 spans' bytes: decided (dropped, no error) on two

    assertThat(keys(TailSampling.SPAN_BUFFER_STORE)).isEmpty();
    assertThat(stats.tracesCapped()).isEqualTo(1);
    assertThat(stats.decisions()).containsExactly(Map.entry("drop:no-policy-matched", 1L));
    send(span(trace, 3).error().build());
    assertThat(read()).isEmpty();
    assertThat(stats.lateSpansDropped()).isEqualTo(1);
    assertThat(out.isEmpty()).isTrue();
  }

  // ---------------------------------------------------------------- stores

  @Test
  void shouldStoreEachSpanOnceUnderItsTraceAndSequenceNeverRewritingTheTrace() {
    start(SamplingConfig.getDefault());
    String trace = unsampledTraceId(12);

    send(span(trace, 0).error().build());
    byte[] firstStored = driver.<Bytes, byte[]>getKeyValueStore(TailSampling.SPAN_BUFFER_STORE).get(spanKey(trace, 0));
    advanceTo(Duration.ofSeconds(1));
    send(span(trace, 1).build(), span(trace, 2).build());

    assertThat(keys(TailSampling.SPAN_BUFFER_STORE))
        .containsExactly(spanKey(trace, 0), spanKey(trace, 1), spanKey(trace, 2));
    assertThat(driver.<Bytes, byte[]>getKeyValueStore(TailSampling.SPAN_BUFFER_STORE).get(spanKey(trace, 0)))
        .as("the first span's entry, untouched by later spans").isEqualTo(firstStored);
    assertThat(keys(TailSampling.TRACE_SUMMARY_STORE)).containsExactly(Bytes.wrap(HexFormat.of().parseHex(trace)));
    assertThat(keys(TailSampling.DEADLINE_INDEX_STORE)).containsExactly(timedKey(T0.plus(WAIT), trace));

    advancePast(WAIT);

    assertThat(read()).hasSize(3);
    assertThat(keys(TailSampling.SPAN_BUFFER_STORE)).isEmpty();
    assertThat(keys(TailSampling.TRACE_SUMMARY_STORE)).isEmpty();
    assertThat(keys(TailSampling.DEADLINE_INDEX_STORE)).isEmpty();
    assertThat(out.isEmpty()).isTrue();
  }

  // ---------------------------------------------------------------- policies

  @Test
  void shouldKeepSlowTracesByTraceDurationOrBySpanDuration() {
    start(policies(
        SamplingPolicy.of("slow-span", new SamplingCondition.Latency(Duration.ofSeconds(5), LatencyScope.SPAN)),
        SamplingPolicy.of("slow-trace", SamplingCondition.latencyAtLeast(Duration.ofSeconds(5)))));
    String sequential = unsampledTraceId(13); // two 3 s spans one after the other: a 6 s trace
    String oneLongSpan = unsampledTraceId(14);
    String fast = unsampledTraceId(15);

    send(span(sequential, 0).timing(0, 3000).build(), span(sequential, 1).timing(3000, 3000).build());
    send(span(oneLongSpan, 0).timing(0, 6000).build());
    send(span(fast, 0).timing(0, 1000).build(), span(fast, 1).timing(3000, 1999).build());
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).containsExactly(
        Map.entry(sequential, Set.of("slow-trace")), Map.entry(oneLongSpan, Set.of("slow-span")));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepTracesWhoseSummedLlmCostReachesTheThreshold() {
    start(SamplingConfig.builder().costAttribute("gen_ai.usage.cost")
        .policies(SamplingPolicy.of("llm-cost", SamplingCondition.costAtLeast(1.0)),
            SamplingPolicy.of("any-cost", SamplingCondition.costAtLeast(0)))
        .build());
    String costly = unsampledTraceId(16);
    String cheap = unsampledTraceId(17);
    String noCost = unsampledTraceId(18);

    send(span(costly, 0).attribute("gen_ai.usage.cost", 0.6).build(),
        span(costly, 1).attribute("gen_ai.usage.cost", "0.4").build()); // 0.6 + 0.4 = 1.0
    send(span(cheap, 0).attribute("gen_ai.usage.cost", 0.25).build(),
        span(cheap, 1).attribute(SamplingConfig.DEFAULT_COST_ATTRIBUTE, 5.0).build()); // not the configured key
    send(span(noCost, 0).build());
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).containsExactly(
        Map.entry(costly, Set.of("llm-cost")), Map.entry(cheap, Set.of("any-cost")));
    assertThat(stats.decisions()).containsEntry("drop:no-policy-matched", 1L);
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepTracesByEveryKindOfAttributeMatch() {
    start(policies(
        SamplingPolicy.of("route", new Attribute("http.route", AttributeScope.SPAN,
            new AttributeMatch.Values(Set.of("/checkout", "/cart")))),
        SamplingPolicy.of("select", new Attribute("db.statement", AttributeScope.ANY, new AttributeMatch.Regex("^SELECT "))),
        SamplingPolicy.of("server-error", new Attribute("http.status_code", AttributeScope.SPAN,
            new AttributeMatch.Range(500, 599))),
        SamplingPolicy.of("vip", new Attribute("user.vip", AttributeScope.ANY, new AttributeMatch.Bool(true))),
        SamplingPolicy.of("region", new Attribute("cloud.region", AttributeScope.RESOURCE,
            new AttributeMatch.Values(Set.of("eu-west-1"))))));
    record Case(String key, Object value, boolean onResource, String expectedPolicy) {}
    List<Case> cases = List.of(
        new Case("http.route", "/cart", false, "route"),
        new Case("http.route", "/home", false, null),
        new Case("http.route", "/cart", true, null), // the policy looks at span attributes only
        new Case("db.statement", "SELECT 1", false, "select"),
        new Case("db.statement", "UPDATE t SET x = 'SELECT '", false, null),
        new Case("http.status_code", 503L, false, "server-error"),
        new Case("http.status_code", 599.0, false, "server-error"),
        new Case("http.status_code", 404L, false, null),
        new Case("http.status_code", "503", false, null), // a string is not a number
        new Case("user.vip", true, true, "vip"),
        new Case("user.vip", false, false, null),
        new Case("cloud.region", "eu-west-1", true, "region"),
        new Case("cloud.region", "eu-west-1", false, null)); // resource attributes only
    Map<String, Set<String>> expected = new TreeMap<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      TestSpans.Builder builder = span(unsampledTraceId(100 + i), 0);
      Span span = c.onResource() ? builder.resourceAttribute(c.key(), c.value()).build()
          : builder.attribute(c.key(), c.value()).build();
      send(span);
      if (c.expectedPolicy() != null) {
        expected.put(span.getTraceId(), Set.of(c.expectedPolicy()));
      }
    }
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).isEqualTo(expected);
    assertThat(out.isEmpty()).isTrue();
  }

  /** Policies name any attribute: the GenAI conventions' current names and the older ones side by side. */
  @Test
  void shouldKeepLlmTracesByCurrentAndOlderGenAiAttributeNames() {
    AttributeMatch slow = new AttributeMatch.Range(2.0, Double.POSITIVE_INFINITY);
    start(policies(
        SamplingPolicy.of("slow-first-token", new Or(List.of(
            new Attribute("gen_ai.response.time_to_first_chunk", AttributeScope.SPAN, slow),
            new Attribute("gen_ai.server.time_to_first_token", AttributeScope.SPAN, slow)))),
        SamplingPolicy.of("cache-heavy", new Or(List.of(
            new Attribute("gen_ai.usage.cache_read.input_tokens", AttributeScope.SPAN,
                new AttributeMatch.Range(100_000, Double.POSITIVE_INFINITY)),
            new Attribute("gen_ai.usage.cache_read_input_tokens", AttributeScope.SPAN,
                new AttributeMatch.Range(100_000, Double.POSITIVE_INFINITY))))),
        SamplingPolicy.of("reasoning", new Attribute("gen_ai.usage.reasoning.output_tokens", AttributeScope.SPAN,
            new AttributeMatch.Range(1, Double.POSITIVE_INFINITY)))));
    String newChunk = unsampledTraceId(30);
    String oldToken = unsampledTraceId(31);
    String fastChunk = unsampledTraceId(32);
    String newCache = unsampledTraceId(33);
    String oldCache = unsampledTraceId(34);
    String reasoned = unsampledTraceId(35);

    send(span(newChunk, 0).attribute("gen_ai.response.time_to_first_chunk", 2.5).build());
    send(span(oldToken, 0).attribute("gen_ai.server.time_to_first_token", 3.0).build());
    send(span(fastChunk, 0).attribute("gen_ai.response.time_to_first_chunk", 0.4).build());
    send(span(newCache, 0).attribute("gen_ai.usage.cache_read.input_tokens", 150_000L).build());
    send(span(oldCache, 0).attribute("gen_ai.usage.cache_read_input_tokens", 120_000L).build());
    send(span(reasoned, 0).attribute("gen_ai.usage.reasoning.output_tokens", 800L).build());
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).containsExactlyInAnyOrderEntriesOf(Map.of(
        newChunk, Set.of("slow-first-token"), oldToken, Set.of("slow-first-token"),
        newCache, Set.of("cache-heavy"), oldCache, Set.of("cache-heavy"), reasoned, Set.of("reasoning")));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepTracesBySpanCount() {
    start(policies(SamplingPolicy.of("single", new SpanCount(0, 1)), SamplingPolicy.of("big", new SpanCount(3, 100))));
    String one = unsampledTraceId(20);
    String two = unsampledTraceId(21);
    String three = unsampledTraceId(22);

    send(span(one, 0).build());
    send(span(two, 0).build(), span(two, 1).build());
    send(span(three, 0).build(), span(three, 1).build(), span(three, 2).build());
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).containsExactly(Map.entry(one, Set.of("single")), Map.entry(three, Set.of("big")));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldSampleProbabilisticallyFromTheTraceIdSoEveryInstanceAgrees() {
    SamplingConfig config = policies(SamplingPolicy.of("half", SamplingCondition.probabilistic(50)));
    SplittableRandom random = new SplittableRandom(42);
    List<String> traceIds = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      traceIds.add(traceId(i, random.nextLong(1L << 56)));
    }
    // Two independent instances (own state, own stats) see the same traces.
    start(config);
    TopologyTestDriver other = TestDrivers.driver(topology(config, new SamplingStats()), otherStateDir, T0);
    drivers.add(other);
    TestInputTopic<String, Span> otherIn = other.createInputTopic("spans-in", new StringSerializer(), SERDE.serializer());
    TestOutputTopic<String, Span> otherOut =
        other.createOutputTopic("spans-out", new StringDeserializer(), SERDE.deserializer());
    for (String traceId : traceIds) {
      send(span(traceId, 0).build());
    }
    for (String traceId : traceIds.reversed()) { // another order, as another partitioning would give
      otherIn.pipeInput(traceId, span(traceId, 0).build(), T0);
    }
    advancePast(WAIT);
    other.advanceWallClockTime(WAIT.plus(CHECK));

    List<String> kept = read().stream().map(Span::getTraceId).sorted().toList();
    List<String> keptByOther = otherOut.readValuesToList().stream().map(Span::getTraceId).sorted().toList();
    // Independently of the code: keep when the low 56 bits are >= (1 - 0.5) * 2^56.
    List<String> expected = traceIds.stream()
        .filter(id -> Long.parseLong(id.substring(18), 16) >= (1L << 55)).sorted().toList();
    assertThat(kept).isEqualTo(keptByOther).isEqualTo(expected);
    assertThat(kept.size()).isBetween(160, 240); // 50% of 400, well within 4 standard deviations (10)
    assertThat(otherOut.isEmpty()).isTrue();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepEveryOrNoTraceAtTheProbabilisticExtremes() {
    start(policies(SamplingPolicy.of("none", SamplingCondition.probabilistic(0)),
        SamplingPolicy.of("all", SamplingCondition.probabilistic(100))));
    String highest = traceId(30, HIGHEST_RANDOMNESS);
    String lowest = unsampledTraceId(31);

    send(span(highest, 0).build(), span(lowest, 0).build());
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).containsExactly(Map.entry(highest, Set.of("all")), Map.entry(lowest, Set.of("all")));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldRateLimitTracesPerService() {
    start(policies(SamplingPolicy.of("two-per-second", new RateLimit(2, RateUnit.TRACES))));
    for (int i = 0; i < 5; i++) {
      send(span(unsampledTraceId(40 + i), 0).service("checkout").build());
    }
    send(span(unsampledTraceId(50), 0).service("cart").build());
    advancePast(WAIT); // all six decided in one check: two checkout traces, and cart's own bucket

    assertThat(read()).extracting(Span::getTraceId)
        .containsExactly(unsampledTraceId(40), unsampledTraceId(41), unsampledTraceId(50));

    Duration sent = Duration.between(T0, now);
    for (int i = 0; i < 3; i++) {
      send(span(unsampledTraceId(60 + i), 0).service("checkout").build());
    }
    advancePast(sent.plus(WAIT)); // the bucket has refilled (to its one second's worth: two)

    assertThat(read()).extracting(Span::getTraceId).containsExactly(unsampledTraceId(60), unsampledTraceId(61));
    assertThat(stats.decisions()).containsOnly(Map.entry("keep:two-per-second", 5L),
        Map.entry("drop:no-policy-matched", 4L));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldRateLimitSpansPerService() {
    start(policies(SamplingPolicy.of("five-spans", new RateLimit(5, RateUnit.SPANS))));
    String three = unsampledTraceId(70);
    String threeMore = unsampledTraceId(71);
    String two = unsampledTraceId(72);

    send(span(three, 0).build(), span(three, 1).build(), span(three, 2).build());
    send(span(threeMore, 0).build(), span(threeMore, 1).build(), span(threeMore, 2).build());
    send(span(two, 0).build(), span(two, 1).build());
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).containsOnlyKeys(three, two);
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldComposeConditionsWithAndOrNot() {
    Attribute health = new Attribute("http.route", AttributeScope.SPAN, new AttributeMatch.Values(Set.of("/health")));
    Attribute checkout = new Attribute("service.name", AttributeScope.RESOURCE, new AttributeMatch.Values(Set.of("checkout")));
    start(policies(
        SamplingPolicy.of("checkout-errors", new And(List.of(SamplingCondition.hasError(), checkout))),
        SamplingPolicy.of("busy-non-health", new And(List.of(new Not(health), new SpanCount(3, Integer.MAX_VALUE)))),
        SamplingPolicy.of("slow-or-costly", new Or(List.of(
            new SamplingCondition.Latency(Duration.ofSeconds(2), LatencyScope.SPAN), SamplingCondition.costAtLeast(0.5))))));
    String checkoutError = unsampledTraceId(80);
    String cartError = unsampledTraceId(81);
    String busy = unsampledTraceId(82);
    String busyHealth = unsampledTraceId(83);
    String slow = unsampledTraceId(84);
    String costly = unsampledTraceId(85);

    send(span(checkoutError, 0).error().build());
    send(span(cartError, 0).service("cart").error().build());
    send(span(busy, 0).build(), span(busy, 1).build(), span(busy, 2).build());
    send(span(busyHealth, 0).build(), span(busyHealth, 1).attribute("http.route", "/health").build(),
        span(busyHealth, 2).build());
    send(span(slow, 0).timing(0, 2500).build());
    send(span(costly, 0).attribute(SamplingConfig.DEFAULT_COST_ATTRIBUTE, 0.75).build());
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).containsExactly(
        Map.entry(checkoutError, Set.of("checkout-errors")),
        Map.entry(busy, Set.of("busy-non-health")),
        Map.entry(slow, Set.of("slow-or-costly")),
        Map.entry(costly, Set.of("slow-or-costly")));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldLetDropRulesWinOverEveryPolicy() {
    start(SamplingConfig.builder()
        .addDropRule(SamplingPolicy.of("health-checks",
            new Attribute("http.route", AttributeScope.SPAN, new AttributeMatch.Values(Set.of("/health")))))
        .build());
    String healthError = traceId(90, HIGHEST_RANDOMNESS); // an error, and sampled by the 10%: still dropped
    String error = unsampledTraceId(91);

    send(span(healthError, 0).error().attribute("http.route", "/health").build());
    send(span(error, 0).error().attribute("http.route", "/checkout").build());
    advancePast(WAIT);

    assertThat(policiesByTrace(read())).containsExactly(Map.entry(error, Set.of("errors")));
    assertThat(stats.decisions()).containsOnly(Map.entry("drop:health-checks", 1L), Map.entry("keep:errors", 1L));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldRecordTheFirstKeepingPolicyInConfiguredOrder() {
    SamplingPolicy errors = SamplingConfig.DEFAULT_POLICIES.get(0);
    SamplingPolicy slow = SamplingConfig.DEFAULT_POLICIES.get(1);
    String slowError = traceId(95, HIGHEST_RANDOMNESS);
    String sampled = traceId(96, HIGHEST_RANDOMNESS);

    start(SamplingConfig.getDefault());
    send(span(slowError, 0).error().timing(0, 6000).build(), span(sampled, 0).build());
    advancePast(WAIT);
    assertThat(policiesByTrace(read())).containsExactly(
        Map.entry(slowError, Set.of("errors")), Map.entry(sampled, Set.of("probabilistic")));

    start(policies(slow, errors), otherStateDir); // another instance, the order reversed
    send(span(slowError, 0).error().timing(0, 6000).build());
    advancePast(WAIT);
    assertThat(policiesByTrace(read())).containsExactly(Map.entry(slowError, Set.of("slow")));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void shouldPassEverySpanStraightThroughWhenDisabled() {
    start(SamplingConfig.builder().enabled(false).build());
    Span span = span(unsampledTraceId(97), 0).build();

    send(span);

    assertThat(read()).containsExactly(span);
    assertThat(driver.getAllStateStores()).isEmpty();
    assertThat(out.isEmpty()).isTrue();
  }
}
