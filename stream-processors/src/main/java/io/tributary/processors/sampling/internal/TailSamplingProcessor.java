package io.tributary.processors.sampling.internal;

import io.tributary.processors.sampling.DecisionWaitFrom;
import io.tributary.processors.sampling.KeptSpan;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tail sampling of one stream task: buffers each span under (trace id, sequence) in a persistent
 * store, keeps a small summary per trace and a deadline index, and decides each trace when its
 * deadline passes (a wall-clock punctuator scans only the due part of the index), early when its
 * root span arrives ({@code decide-on-root}) or when it reaches a cap. Kept traces' spans are
 * written with the deciding policy; every decision is remembered (with its own expiry index) so
 * late spans follow it.
 *
 * <p>Every store is a changelogged RocksDB store, so a restart or a task moving to another instance
 * resumes with every waiting trace; with exactly-once processing, spans written by a decision and
 * the deletion of the trace's state commit together, so no trace is written twice or half.
 *
 * <p>Input records hold the spans of one request (see {@code PipelineSteps.normalizeBatches}).
 * The spans of one trace in one request are buffered as one chunk under (trace id, sequence),
 * written once; a chunk is never written again, so a trace's spans are never rewritten, and a
 * decided trace costs one tombstone per chunk.
 *
 * <p>Per span the cost is the span encoded once and its policy aggregates; per trace and request,
 * one decision-cache lookup, one summary read and (cached) write, one chunk write, and for a new
 * trace one index write.
 */
final class TailSamplingProcessor implements Processor<String, List<Span>, String, List<KeptSpan>> {

  private static final Logger log = LoggerFactory.getLogger(TailSamplingProcessor.class);
  private static final byte[] EMPTY = new byte[0];
  private static final HexFormat HEX = HexFormat.of();
  /** Bounds one punctuation so its transaction stays short whatever the backlog (e.g. after a long outage). */
  static final int MAX_DECISIONS_PER_CHECK = 10_000;
  private static final long MAX_CHECK_NANOS = Duration.ofSeconds(2).toNanos();

  private final SamplingConfig config;
  private final CompiledPolicies policies;
  private final SamplingCounters counters;
  private final SpanEncoder encoder = new SpanEncoder();
  private final Deserializer<Span> deserializer;
  private final long decisionWaitMs;
  private final long rootGraceMs;
  private final long decisionCacheTtlMs;

  private ProcessorContext<String, List<KeptSpan>> context;
  private KeyValueStore<Bytes, byte[]> spans;
  private KeyValueStore<Bytes, byte[]> traces;
  private KeyValueStore<Bytes, byte[]> deadlines;
  private KeyValueStore<Bytes, byte[]> decisions;
  private KeyValueStore<Bytes, byte[]> decisionExpiry;
  /** This task's share of {@code counters.tracesInFlight}, given back on close. */
  private long tracesInFlight;
  private final StoreKeys.ChunkWriter chunk = new StoreKeys.ChunkWriter();

  TailSamplingProcessor(SamplingConfig config, CompiledPolicies policies, SamplingCounters counters) {
    this.config = config;
    this.policies = policies;
    this.counters = counters;
    // The buffer always uses the embedded format (schema fingerprint, no registry): state must not
    // depend on a registry being reachable, and the fingerprint still lets a newer schema read it.
    AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault());
    this.deserializer = serde.deserializer();
    this.decisionWaitMs = config.decisionWait().toMillis();
    this.rootGraceMs = config.rootGrace().toMillis();
    this.decisionCacheTtlMs = config.decisionCacheTtl().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, List<KeptSpan>> context) {
    this.context = context;
    this.spans = context.getStateStore(TailSampling.SPAN_BUFFER_STORE);
    this.traces = context.getStateStore(TailSampling.TRACE_SUMMARY_STORE);
    this.deadlines = context.getStateStore(TailSampling.DEADLINE_INDEX_STORE);
    this.decisions = context.getStateStore(TailSampling.DECISION_STORE);
    this.decisionExpiry = context.getStateStore(TailSampling.DECISION_EXPIRY_STORE);
    try (KeyValueIterator<Bytes, byte[]> all = traces.all()) { // restored traces still waiting
      while (all.hasNext()) {
        all.next();
        tracesInFlight++;
      }
    }
    counters.tracesInFlight.add(tracesInFlight);
    context.schedule(config.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::decideDue);
  }

  /** The spans of one request: grouped by trace (usually there is one), each group one chunk. */
  @Override
  public void process(Record<String, List<Span>> record) {
    List<Span> request = record.value();
    if (request == null || request.isEmpty()) {
      return; // normalize never writes one
    }
    String traceId = request.get(0).getTraceId();
    boolean oneTrace = true;
    for (int i = 1; i < request.size() && oneTrace; i++) {
      oneTrace = Objects.equals(traceId, request.get(i).getTraceId());
    }
    if (oneTrace) {
      processTrace(record, request);
      return;
    }
    Map<String, List<Span>> byTrace = new LinkedHashMap<>(); // first-seen order: chunks keep arrival order
    for (Span span : request) {
      byTrace.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>()).add(span);
    }
    for (List<Span> spansOfTrace : byTrace.values()) {
      processTrace(record, spansOfTrace);
    }
  }

  /**
   * Buffers the spans of one trace from one input record as one chunk, or lets them follow the
   * trace's decision. Per span: the span encoded once and its policy aggregates; per chunk: one
   * decision-cache lookup, one summary read and write, one chunk write.
   */
  private void processTrace(Record<String, List<Span>> record, List<Span> spansOfTrace) {
    byte[] traceId = StoreKeys.traceId(spansOfTrace.get(0).getTraceId());
    if (traceId == null) { // normalize rejects such ids; should one slip through, do not lose it
      List<KeptSpan> unsampled = new ArrayList<>(spansOfTrace.size());
      for (Span span : spansOfTrace) {
        counters.unsampledSpans.increment();
        unsampled.add(new KeptSpan(encoder.encode(TailSampling.SPAN_BUFFER_STORE, span), record.timestamp(),
            record.headers()));
      }
      context.forward(record.withKey(spansOfTrace.get(0).getTraceId()).withValue(unsampled));
      return;
    }
    long now = context.currentSystemTimeMs();
    Bytes traceKey = StoreKeys.trace(traceId);
    byte[] decided = decisions.get(traceKey);
    if (decided != null) {
      follow(record, spansOfTrace, Decision.decode(decided), true);
      return;
    }
    byte[] summary = traces.get(traceKey);
    TraceSummary trace = summary == null ? null : TraceSummary.decode(summary);
    boolean newTrace = trace == null;
    if (newTrace) {
      trace = TraceSummary.start(now, policies.fingerprint());
      tracesInFlight++;
      counters.tracesInFlight.increment();
    }
    chunk.reset();
    Bytes chunkKey = StoreKeys.span(traceId, trace.chunkCount);
    for (int i = 0; i < spansOfTrace.size(); i++) {
      Span span = spansOfTrace.get(i);
      span.setSamplingPolicy(null); // buffered without one (see KeptSpanBytes); the deciding policy is set on output
      byte[] serialized = encoder.encode(TailSampling.SPAN_BUFFER_STORE, span);
      if (trace.spanCount > 0 && (trace.spanCount >= config.maxSpansPerTrace()
          || trace.bytes + serialized.length > config.maxBytesPerTrace())) {
        // At its cap: decide now on what is buffered; this span and the rest follow the decision.
        counters.tracesCapped.increment();
        Decision decision = decide(traceId, withChunk(chunkKey, trace), now, !newTrace);
        List<Span> rest = spansOfTrace.subList(i, spansOfTrace.size());
        counters.overflowSpans.add(rest.size());
        follow(record, rest, decision, false);
        return;
      }
      chunk.append(record.timestamp(), serialized);
      trace.spanCount++;
      trace.bytes += serialized.length;
      trace.lastArrivalMs = now;
      if (trace.rootArrivalMs < 0 && SpanFacts.isRoot(span)) {
        trace.rootArrivalMs = now;
      }
      policies.aggregate(trace, span);
    }
    withChunk(chunkKey, trace);

    trace.deadlineMs = deadline(trace);
    if (newTrace) {
      deadlines.put(StoreKeys.timed(trace.deadlineMs, traceId), EMPTY);
      trace.indexedDeadlineMs = trace.deadlineMs;
    } else if (trace.deadlineMs < trace.indexedDeadlineMs) { // brought forward (root span): re-index now
      deadlines.put(StoreKeys.timed(trace.indexedDeadlineMs, traceId), null);
      deadlines.put(StoreKeys.timed(trace.deadlineMs, traceId), EMPTY);
      trace.indexedDeadlineMs = trace.deadlineMs;
    } // pushed back (decision-wait-from: last): the punctuator re-indexes when the old entry comes due
    if (trace.deadlineMs <= now) { // only a root span with no grace brings the deadline to now
      counters.rootDecisions.increment();
      decide(traceId, trace, now, true);
    } else {
      traces.put(traceKey, trace.encode());
    }
  }

  /** Writes the chunk being filled, if it holds a span, as the trace's next chunk. */
  private TraceSummary withChunk(Bytes chunkKey, TraceSummary trace) {
    if (!chunk.isEmpty()) {
      spans.put(chunkKey, chunk.toBytes());
      trace.chunkCount++;
      chunk.reset();
    }
    return trace;
  }

  @Override
  public void close() {
    counters.tracesInFlight.add(-tracesInFlight);
    tracesInFlight = 0;
  }

  /** When the trace is due: {@code decision-wait} after its first or last span, or soon after its root. */
  private long deadline(TraceSummary trace) {
    long deadline = baseDeadline(trace);
    if (config.decideOnRoot() && trace.rootArrivalMs >= 0) {
      deadline = Math.min(deadline, trace.rootArrivalMs + rootGraceMs);
    }
    return deadline;
  }

  private long baseDeadline(TraceSummary trace) {
    return (config.decisionWaitFrom() == DecisionWaitFrom.FIRST ? trace.firstArrivalMs : trace.lastArrivalMs)
        + decisionWaitMs;
  }

  /** The punctuator: forgets expired decisions, then decides every trace whose deadline has passed. */
  void decideDue(long now) {
    long startNanos = System.nanoTime();
    for (Bytes expired : due(decisionExpiry, now)) {
      decisionExpiry.put(expired, null);
      decisions.put(StoreKeys.trace(StoreKeys.traceIdOfTimed(expired)), null);
    }
    int decided = 0;
    for (Bytes entry : due(deadlines, now)) {
      if (decided >= MAX_DECISIONS_PER_CHECK || System.nanoTime() - startNanos > MAX_CHECK_NANOS) {
        break; // the rest at the next check
      }
      deadlines.put(entry, null);
      byte[] traceId = StoreKeys.traceIdOfTimed(entry);
      byte[] summary = traces.get(StoreKeys.trace(traceId));
      if (summary == null) {
        continue; // decided early (root span, cap) after this entry was written
      }
      TraceSummary trace = TraceSummary.decode(summary);
      if (trace.indexedDeadlineMs != StoreKeys.time(entry)) {
        continue; // a stale entry: the trace is indexed under another time
      }
      if (trace.deadlineMs > now) { // spans arrived since (decision-wait-from: last): wait on
        deadlines.put(StoreKeys.timed(trace.deadlineMs, traceId), EMPTY);
        trace.indexedDeadlineMs = trace.deadlineMs;
        traces.put(StoreKeys.trace(traceId), trace.encode());
        continue;
      }
      if (trace.deadlineMs < baseDeadline(trace)) {
        counters.rootDecisions.increment();
      }
      decide(traceId, trace, now, false);
      decided++;
    }
  }

  /** Keys of {@code index} due at {@code now}, oldest first, collected so the store can change after. */
  private static List<Bytes> due(KeyValueStore<Bytes, byte[]> index, long now) {
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = index.range(StoreKeys.timedFromStart(), StoreKeys.timedUpTo(now))) {
      while (it.hasNext() && keys.size() < MAX_DECISIONS_PER_CHECK) {
        keys.add(it.next().key);
      }
    }
    return keys;
  }

  /**
   * Decides a buffered trace, writes its spans if kept, deletes its state and remembers the decision.
   *
   * @param indexed whether its deadline index entry still exists (the punctuator deletes it first)
   */
  private Decision decide(byte[] traceId, TraceSummary trace, long now, boolean indexed) {
    if (trace.fingerprint != policies.fingerprint()) {
      rebuildAggregates(traceId, trace);
    }
    CompiledPolicies.Verdict verdict = policies.evaluate(trace, traceId, now);
    counters.decision(verdict.keep(), verdict.name()).increment();
    long waitedMs = Math.max(0, now - trace.firstArrivalMs);
    counters.decisionLatencyCount.increment();
    counters.decisionLatencySumMillis.add(waitedMs);
    counters.decisionLatencyMaxMillis.accumulate(waitedMs);

    if (verdict.keep()) {
      emit(traceId, trace.chunkCount, verdict.name());
    }
    for (int sequence = 0; sequence < trace.chunkCount; sequence++) {
      spans.put(StoreKeys.span(traceId, sequence), null);
    }
    if (indexed) {
      deadlines.put(StoreKeys.timed(trace.indexedDeadlineMs, traceId), null);
    }
    Bytes traceKey = StoreKeys.trace(traceId);
    traces.put(traceKey, null);
    Decision decision = new Decision(verdict.keep(), verdict.name(), now);
    decisions.put(traceKey, decision.encode());
    decisionExpiry.put(StoreKeys.timed(now + decisionCacheTtlMs, traceId), EMPTY);
    tracesInFlight--;
    counters.tracesInFlight.decrement();
    return decision;
  }

  /**
   * Writes the buffered spans of a kept trace, in arrival order, each marked with {@code policy},
   * straight from their buffered bytes (see {@link KeptSpanBytes}); bytes of another layout (an
   * older schema) are decoded and encoded again. They go as one record (timestamped with the
   * latest of theirs), each span with its own timestamp and tenant header.
   */
  private void emit(byte[] traceId, int chunkCount, String policy) {
    byte[] policyField = KeptSpanBytes.policyField(policy);
    List<KeptSpan> release = new ArrayList<>();
    forEachBufferedBytes(traceId, chunkCount, (timestamp, bytes) -> {
      byte[] kept = KeptSpanBytes.withPolicy(bytes, policyField);
      byte[] tenant = kept == null ? null : KeptSpanBytes.tenant(kept);
      if (kept == null || tenant == null) {
        Span span = readBuffered(bytes);
        if (span == null) {
          return;
        }
        span.setSamplingPolicy(policy);
        kept = encoder.encode(TailSampling.SPAN_BUFFER_STORE, span);
        tenant = span.getTenant().getBytes(StandardCharsets.UTF_8);
      }
      release.add(new KeptSpan(kept, timestamp, tenantHeaders(tenant)));
    });
    if (!release.isEmpty()) {
      long latest = release.stream().mapToLong(KeptSpan::timestamp).max().getAsLong();
      context.forward(new Record<>(HEX.formatHex(traceId), release, latest));
    }
  }

  private interface BufferedSpans {
    void accept(long timestamp, Span span);
  }

  /** Every readable span buffered for the trace, in arrival order. */
  private void forEachBuffered(byte[] traceId, int chunkCount, BufferedSpans consumer) {
    forEachBufferedBytes(traceId, chunkCount, (timestamp, bytes) -> {
      Span span = readBuffered(bytes);
      if (span != null) {
        consumer.accept(timestamp, span);
      }
    });
  }

  /** The encoded spans buffered for the trace, in arrival order. */
  private void forEachBufferedBytes(byte[] traceId, int chunkCount, StoreKeys.BufferedSpanConsumer consumer) {
    if (chunkCount == 0) {
      return;
    }
    try (KeyValueIterator<Bytes, byte[]> it =
        spans.range(StoreKeys.span(traceId, 0), StoreKeys.span(traceId, chunkCount - 1))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        try {
          StoreKeys.forEachBuffered(entry.value, consumer);
        } catch (RuntimeException e) { // only a corrupt store could do this: lose the spans, not the task
          log.error("Skipped an unreadable entry in {}", TailSampling.SPAN_BUFFER_STORE, e);
        }
      }
    }
  }

  /** Recomputes the aggregates from the buffered spans: the policies changed since they were made. */
  private void rebuildAggregates(byte[] traceId, TraceSummary trace) {
    trace.resetAggregates(policies.fingerprint());
    forEachBuffered(traceId, trace.chunkCount, (timestamp, span) -> policies.aggregate(trace, span));
  }

  private Span readBuffered(byte[] value) {
    try {
      return deserializer.deserialize(TailSampling.SPAN_BUFFER_STORE, value);
    } catch (RuntimeException e) { // only a corrupt store could do this: lose the span, not the task
      log.error("Skipped an unreadable span in {}", TailSampling.SPAN_BUFFER_STORE, e);
      return null;
    }
  }

  /**
   * Spans of one trace that arrived after it was decided (or past its cap) go the way of the trace:
   * kept, they go on together, with their input record's timestamp and headers.
   */
  private void follow(Record<String, List<Span>> record, List<Span> spansOfTrace, Decision decision, boolean late) {
    if (!decision.keep()) {
      if (late) {
        counters.lateSpansDropped.add(spansOfTrace.size());
      }
      return;
    }
    byte[] policyField = KeptSpanBytes.policyField(decision.name());
    List<KeptSpan> kept = new ArrayList<>(spansOfTrace.size());
    for (Span span : spansOfTrace) {
      span.setSamplingPolicy(null); // a policy only ever comes from here
      byte[] bytes = KeptSpanBytes.withPolicy(encoder.encode(TailSampling.SPAN_BUFFER_STORE, span), policyField);
      if (bytes == null) { // not the known layout (a new schema): set the policy on a copy, the input may be shared
        bytes = encoder.encode(TailSampling.SPAN_BUFFER_STORE,
            Span.newBuilder(span).setSamplingPolicy(decision.name()).build());
      }
      kept.add(new KeptSpan(bytes, record.timestamp(), record.headers()));
    }
    context.forward(record.withKey(spansOfTrace.get(0).getTraceId()).withValue(kept));
    if (late) {
      counters.lateSpansKept.add(kept.size());
    }
  }

  /** Spans written from the buffer carry the tenant header as the gateway set it (from the span's tenant). */
  private static RecordHeaders tenantHeaders(byte[] tenant) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(TelemetryHeaders.TENANT, tenant);
    return headers;
  }
}
