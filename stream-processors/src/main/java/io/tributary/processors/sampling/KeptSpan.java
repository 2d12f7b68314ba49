package io.tributary.processors.sampling;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.common.header.Headers;

/**
 * One span tail sampling lets through, as {@code telemetry.spans} gets it. Tail sampling writes the
 * spans it lets go together (the buffered spans of a trace once it is kept, the spans of one input
 * record that follow a decision or pass unsampled) as one list, all of one trace, so later steps
 * can keep them together ({@link TailSampling#spans} writes one record per span; the OTLP output
 * one request per list).
 *
 * @param span Avro single-object encoding of {@code Span}, {@code samplingPolicy} set when a policy kept it
 * @param timestamp the timestamp of its record: when its input record was written
 * @param headers the headers of its record (the tenant's among them)
 */
public record KeptSpan(byte[] span, long timestamp, Headers headers) {

  public KeptSpan {
    requireNonNull(span, "span");
    requireNonNull(headers, "headers");
  }
}
