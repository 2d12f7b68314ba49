package io.tributary.processors.sampling;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.sampling.internal.KeptSpanRecords;
import io.tributary.processors.sampling.internal.SpanWriter;
import io.tributary.processors.sampling.internal.TailSamplingSupplier;
import io.tributary.schemas.avro.Span;
import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The tail-sampling step: spans in (any key; the trace id is read from the span), the spans of kept
 * traces out once their trace is decided ({@link KeptSpan}, those let go together in one record),
 * keyed by trace id in hex, each with {@code samplingPolicy} set to the policy that kept it.
 *
 * <p>Every span of a trace must reach the same task: the raw topic is keyed by trace id (the
 * gateway does so; a Collector writing there needs {@code partition_traces_by_id}). Decisions use
 * wall-clock time, so spans written in one burst after an outage are decided as they are read.
 *
 * <p>State lives in five persistent, changelogged stores named below; their changelog topics are
 * {@code <application.id>-<store>-changelog}.
 */
public final class TailSampling {

  /**
   * Span buffer: (trace id, sequence) -> the chunk of spans of the trace that arrived in one input
   * record, each as record timestamp + length + the span (Avro single-object encoding).
   */
  public static final String SPAN_BUFFER_STORE = "tail-sampling-spans";
  /** Per-trace summary: trace id -> arrival times, counts, deadline, policy aggregates. */
  public static final String TRACE_SUMMARY_STORE = "tail-sampling-traces";
  /** Deadline index: (deadline millis, trace id) -> empty; scanned up to now by the punctuator. */
  public static final String DEADLINE_INDEX_STORE = "tail-sampling-deadlines";
  /** Decision cache: trace id -> keep or drop, the deciding policy or rule, when. */
  public static final String DECISION_STORE = "tail-sampling-decisions";
  /** Decision expiry index: (expiry millis, trace id) -> empty. */
  public static final String DECISION_EXPIRY_STORE = "tail-sampling-decision-expiry";

  private TailSampling() {}

  /**
   * Adds tail sampling after {@code spans}, the spans of one request per record, as processor
   * {@code <pipeline>-tail-sampling}; with sampling disabled, every span goes on. Out come the
   * spans it lets go together, all of one trace, keyed by that trace id: the buffered spans of a
   * kept trace once it is decided, or the spans of one input record that follow a decision (or pass
   * unsampled). Each is already encoded: Avro single-object encoding of {@link Span} (what
   * {@code AvroSerde} writes without a registry; {@code AvroSerde.reframe} turns it into the
   * registry's format), made from the buffered bytes without decoding them. {@link #spans} makes
   * one record of each.
   */
  public static KStream<String, List<KeptSpan>> sample(KStream<String, List<Span>> spans, String pipeline,
      SamplingConfig config, SamplingStats stats) {
    requireNonNull(spans, "spans");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(config, "config");
    requireNonNull(stats, "stats");
    if (!config.enabled()) {
      return spans.process(SpanWriter.supplier(), Named.as(pipeline + "-tail-sampling"));
    }
    return spans.process(new TailSamplingSupplier(config, stats.counters()), Named.as(pipeline + "-tail-sampling"));
  }

  /**
   * One record per span of what {@link #sample} lets through, keyed by trace id, with the span's own
   * timestamp and headers (the tenant's among them), as processor {@code <pipeline>-kept-spans}.
   */
  public static KStream<String, byte[]> spans(KStream<String, List<KeptSpan>> kept, String pipeline) {
    requireNonNull(kept, "kept");
    requireNonNull(pipeline, "pipeline");
    return kept.process(KeptSpanRecords.supplier(), Named.as(pipeline + "-kept-spans"));
  }
}
