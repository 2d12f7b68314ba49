package io.tributary.processors.sampling.internal;

import static io.tributary.processors.sampling.TestSpans.span;
import static io.tributary.processors.sampling.TestSpans.unsampledTraceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.sampling.KeptSpan;
import io.tributary.processors.sampling.SamplingCondition;
import io.tributary.processors.sampling.SamplingCondition.Attribute;
import io.tributary.processors.sampling.SamplingCondition.AttributeMatch;
import io.tributary.processors.sampling.SamplingCondition.AttributeScope;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.SamplingPolicy;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processor on stores that outlive it, as after a restart with a changed configuration: the
 * per-trace aggregates built for the old policies are rebuilt from the buffered spans.
 */
class TailSamplingProcessorTest {

  private static final long T0 = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();

  private final MockProcessorContext<String, List<KeptSpan>> context = new MockProcessorContext<>();
  private final SamplingCounters counters = new SamplingCounters();

  @BeforeEach
  void stores() {
    for (String name : List.of(TailSampling.SPAN_BUFFER_STORE, TailSampling.TRACE_SUMMARY_STORE,
        TailSampling.DEADLINE_INDEX_STORE, TailSampling.DECISION_STORE, TailSampling.DECISION_EXPIRY_STORE)) {
      KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
          Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    context.setCurrentSystemTimeMs(T0);
  }

  private static Span decode(byte[] encoded) {
    return AvroSerde.forType(Span.class, SerdeConfig.getDefault()).deserializer().deserialize("spans", encoded);
  }

  /** Every span forwarded, in order, whatever records they went in. */
  private List<Span> forwardedSpans() {
    return context.forwarded().stream().flatMap(forward -> forward.record().value().stream())
        .map(kept -> decode(kept.span())).toList();
  }

  private TailSamplingProcessor processor(SamplingConfig config) {
    TailSamplingProcessor processor = new TailSamplingProcessor(config, new CompiledPolicies(config), counters);
    processor.init(context);
    return processor;
  }

  @Test
  void shouldRebuildTheAggregatesOfWaitingTracesWhenThePoliciesChanged() {
    String checkout = unsampledTraceId(1);
    String costly = unsampledTraceId(2);
    TailSamplingProcessor before = processor(SamplingConfig.getDefault());
    before.process(new Record<>(checkout, List.of(span(checkout, 0).attribute("http.route", "/checkout").build()), T0));
    before.process(new Record<>(costly, List.of(span(costly, 0).attribute("gen_ai.usage.cost", 2.0).build()), T0));
    before.close();
    assertThat(counters.tracesInFlight()).isZero();

    SamplingConfig changed = SamplingConfig.builder().costAttribute("gen_ai.usage.cost")
        .policies(SamplingPolicy.of("checkout", new Attribute("http.route", AttributeScope.SPAN,
                new AttributeMatch.Values(Set.of("/checkout")))),
            SamplingPolicy.of("llm-cost", SamplingCondition.costAtLeast(1.0)))
        .build();
    TailSamplingProcessor after = processor(changed);
    assertThat(counters.tracesInFlight()).as("counted from the stores").isEqualTo(2);
    long due = T0 + SamplingConfig.DEFAULT_DECISION_WAIT.toMillis();
    context.setCurrentSystemTimeMs(due);
    after.decideDue(due);

    assertThat(forwardedSpans())
        .extracting(Span::getTraceId, Span::getSamplingPolicy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(checkout, "checkout"),
            org.assertj.core.groups.Tuple.tuple(costly, "llm-cost"));
    assertThat(counters.tracesInFlight()).isZero();
  }

  @Test
  void shouldBufferTheSpansOfEachTraceOfARequestAsOneChunkAndEmitThemInArrivalOrder() {
    String kept = unsampledTraceId(3);
    String dropped = unsampledTraceId(4);
    TailSamplingProcessor processor = processor(SamplingConfig.getDefault());
    processor.process(new Record<>("request", List.of(span(kept, 0).build(), span(dropped, 0).build(),
        span(kept, 1).error().build(), span(dropped, 1).build(), span(kept, 2).build()), T0));

    assertThat(bufferKeys()).as("one chunk per trace of the request")
        .containsExactlyInAnyOrder(StoreKeys.span(StoreKeys.traceId(kept), 0), StoreKeys.span(StoreKeys.traceId(dropped), 0));
    long due = T0 + SamplingConfig.DEFAULT_DECISION_WAIT.toMillis();
    context.setCurrentSystemTimeMs(due);
    processor.decideDue(due);

    assertThat(context.forwarded()).as("the kept trace's spans in one record, keyed by its id")
        .singleElement().satisfies(forward -> assertThat(forward.record().key()).isEqualTo(kept));
    assertThat(forwardedSpans())
        .extracting(Span::getTraceId, Span::getSpanId, Span::getSamplingPolicy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(kept, "0000000000000001", "errors"),
            org.assertj.core.groups.Tuple.tuple(kept, "0000000000000002", "errors"),
            org.assertj.core.groups.Tuple.tuple(kept, "0000000000000003", "errors"));
    assertThat(bufferKeys()).isEmpty();
    assertThat(counters.tracesInFlight()).isZero();
  }

  @Test
  void shouldDecideAtTheCapWithinARequestAndLetTheRestOfItsSpansFollow() {
    String trace = unsampledTraceId(5);
    TailSamplingProcessor processor = processor(SamplingConfig.builder().maxSpansPerTrace(3).build());
    List<Span> request = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      request.add(span(trace, i).error().build());
    }
    processor.process(new Record<>(trace, request, T0));

    assertThat(context.forwarded()).as("three buffered spans decided at the cap, then the two past it")
        .extracting(forward -> forward.record().value().size()).containsExactly(3, 2);
    assertThat(forwardedSpans()).extracting(Span::getSpanId)
        .containsExactly("0000000000000001", "0000000000000002", "0000000000000003", "0000000000000004",
            "0000000000000005");
    assertThat(counters.overflowSpans.sum()).isEqualTo(2);
    assertThat(counters.tracesCapped.sum()).isEqualTo(1);
    assertThat(counters.tracesInFlight()).isZero();
    assertThat(bufferKeys()).isEmpty();
  }

  private List<Bytes> bufferKeys() {
    KeyValueStore<Bytes, byte[]> store = context.getStateStore(TailSampling.SPAN_BUFFER_STORE);
    List<Bytes> keys = new java.util.ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }

  @Test
  void shouldScheduleItsCheckOnTheWallClockAtTheConfiguredInterval() {
    processor(SamplingConfig.builder().checkInterval(Duration.ofMillis(250)).build());

    assertThat(context.scheduledPunctuators()).singleElement().satisfies(punctuator -> {
      assertThat(punctuator.getInterval()).isEqualTo(Duration.ofMillis(250));
      assertThat(punctuator.getType()).isEqualTo(org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME);
    });
  }

  @Test
  void shouldReadBufferChunksAndSingleSpanEntriesOfTheEarlierLayout() {
    StoreKeys.ChunkWriter writer = new StoreKeys.ChunkWriter();
    byte[] one = {(byte) 0xC3, 1, 7};
    byte[] two = new byte[5000]; // past the writer's first buffer
    two[0] = (byte) 0xC3;
    writer.append(10, one);
    writer.append(20, two);
    byte[] chunk = writer.toBytes();
    List<Long> timestamps = new java.util.ArrayList<>();
    List<byte[]> read = new java.util.ArrayList<>();
    StoreKeys.forEachBuffered(chunk, (timestamp, span) -> {
      timestamps.add(timestamp);
      read.add(span);
    });
    assertThat(timestamps).containsExactly(10L, 20L);
    assertThat(read).containsExactly(one, two);

    byte[] earlier = java.nio.ByteBuffer.allocate(8 + one.length).putLong(30).put(one).array();
    read.clear();
    timestamps.clear();
    StoreKeys.forEachBuffered(earlier, (timestamp, span) -> {
      timestamps.add(timestamp);
      read.add(span);
    });
    assertThat(timestamps).containsExactly(30L);
    assertThat(read).containsExactly(one);
  }

  @Test
  void shouldReadASummaryOfTheEarlierLayoutAsOneChunkPerSpan() {
    TraceSummary trace = TraceSummary.start(T0, 42);
    trace.spanCount = 7;
    trace.chunkCount = 2;
    byte[] current = trace.encode();
    byte[] earlier = java.util.Arrays.copyOf(current, current.length - Integer.BYTES); // no chunk count
    earlier[0] = 1;

    assertThat(TraceSummary.decode(current).chunkCount).isEqualTo(2);
    assertThat(TraceSummary.decode(earlier).chunkCount).isEqualTo(7);
    assertThat(TraceSummary.decode(earlier).spanCount).isEqualTo(7);
  }

  @Test
  void shouldRoundTripATraceSummary() {
    TraceSummary trace = TraceSummary.start(T0, 42);
    trace.lastArrivalMs = T0 + 5;
    trace.rootArrivalMs = T0 + 3;
    trace.deadlineMs = T0 + 10_000;
    trace.indexedDeadlineMs = T0 + 9_000;
    trace.spanCount = 7;
    trace.chunkCount = 3;
    trace.bytes = 12_345;
    trace.hasError = true;
    trace.hasCost = true;
    trace.minStartNanos = 100;
    trace.maxEndNanos = 900;
    trace.maxSpanDurationNanos = 500;
    trace.costUsd = 1.25;
    trace.service = "checkout ✓";
    trace.matched = BitSet.valueOf(new long[] {0b1010});

    TraceSummary decoded = TraceSummary.decode(trace.encode());

    assertThat(decoded).usingRecursiveComparison().isEqualTo(trace);
    TraceSummary empty = TraceSummary.decode(TraceSummary.start(T0, 1).encode());
    assertThat(empty.service).isNull();
    assertThat(empty.rootArrivalMs).isEqualTo(-1);
    assertThat(empty.durationNanos()).isZero();
  }

  @Test
  void shouldReadTheRandomnessOfATraceIdFromItsLow56Bits() {
    assertThat(CompiledPolicies.randomness(StoreKeys.traceId("ffffffffffffffffff00000000000001"))).isEqualTo(1);
    assertThat(CompiledPolicies.randomness(StoreKeys.traceId("0000000000000000008000000000000f")))
        .isEqualTo(0x8000000000000fL);
    assertThat(CompiledPolicies.rejectionThreshold(100)).isZero();
    assertThat(CompiledPolicies.rejectionThreshold(0)).isEqualTo(1L << 56);
    assertThat(CompiledPolicies.rejectionThreshold(50)).isEqualTo(1L << 55);
    assertThat(StoreKeys.traceId("not hex at all, but 32 chars ok?")).isNull();
    assertThat(StoreKeys.traceId("abc")).isNull();
  }
}
