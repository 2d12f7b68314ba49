package io.tributary.processors.sampling.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * The small per-trace record next to the span buffer: arrival bookkeeping, the deadline, and the
 * aggregates the policies read, updated span by span so a decision never needs the spans themselves.
 * {@code fingerprint} names the policy set the aggregates were built for; after a configuration
 * change they are rebuilt from the buffered spans.
 */
final class TraceSummary {

  /** Version 2 added {@link #chunkCount}; version 1 stored one span per buffer entry. */
  private static final byte VERSION = 2;
  private static final byte VERSION_ONE_SPAN_PER_ENTRY = 1;
  private static final byte ROOT_SEEN = 1;
  private static final byte HAS_ERROR = 2;
  private static final byte HAS_COST = 4;

  long firstArrivalMs;
  long lastArrivalMs;
  /** When the root span arrived, or -1. */
  long rootArrivalMs = -1;
  /** When the trace is due. */
  long deadlineMs;
  /** The time under which the deadline index holds this trace (at most {@link #deadlineMs}'s old values). */
  long indexedDeadlineMs;
  int spanCount;
  /** Buffer entries of the trace: (trace id, 0 .. chunkCount - 1), each holding one or more spans. */
  int chunkCount;
  long bytes;

  int fingerprint;
  boolean hasError;
  boolean hasCost;
  long minStartNanos = Long.MAX_VALUE;
  long maxEndNanos = Long.MIN_VALUE;
  long maxSpanDurationNanos;
  double costUsd;
  /** The root span's service.name, else the first span's; null when none had one. */
  String service;
  /** Which span-level conditions (attribute matches) some span satisfied, by their index. */
  BitSet matched = new BitSet();

  static TraceSummary start(long nowMs, int fingerprint) {
    TraceSummary trace = new TraceSummary();
    trace.firstArrivalMs = nowMs;
    trace.lastArrivalMs = nowMs;
    trace.fingerprint = fingerprint;
    return trace;
  }

  /** Trace duration: latest span end minus earliest span start (0 before any span). */
  long durationNanos() {
    return spanCount == 0 || maxEndNanos < minStartNanos ? 0 : maxEndNanos - minStartNanos;
  }

  /** Forgets the aggregates (not the arrival bookkeeping) before they are rebuilt for {@code newFingerprint}. */
  void resetAggregates(int newFingerprint) {
    fingerprint = newFingerprint;
    hasError = false;
    hasCost = false;
    minStartNanos = Long.MAX_VALUE;
    maxEndNanos = Long.MIN_VALUE;
    maxSpanDurationNanos = 0;
    costUsd = 0;
    service = null;
    matched = new BitSet();
  }

  byte[] encode() {
    byte[] serviceBytes = service == null ? new byte[0] : service.getBytes(StandardCharsets.UTF_8);
    byte[] matchedBytes = matched.toByteArray();
    ByteBuffer out = ByteBuffer.allocate(1 + 1 + 5 * Long.BYTES + Integer.BYTES + Long.BYTES + Integer.BYTES
        + 3 * Long.BYTES + Double.BYTES + Integer.BYTES + serviceBytes.length + Integer.BYTES + matchedBytes.length
        + Integer.BYTES);
    byte flags = (byte) ((rootArrivalMs >= 0 ? ROOT_SEEN : 0) | (hasError ? HAS_ERROR : 0) | (hasCost ? HAS_COST : 0));
    out.put(VERSION).put(flags)
        .putLong(firstArrivalMs).putLong(lastArrivalMs).putLong(rootArrivalMs).putLong(deadlineMs).putLong(indexedDeadlineMs)
        .putInt(spanCount).putLong(bytes)
        .putInt(fingerprint)
        .putLong(minStartNanos).putLong(maxEndNanos).putLong(maxSpanDurationNanos).putDouble(costUsd)
        .putInt(service == null ? -1 : serviceBytes.length).put(serviceBytes)
        .putInt(matchedBytes.length).put(matchedBytes)
        .putInt(chunkCount);
    return out.array();
  }

  static TraceSummary decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version != VERSION && version != VERSION_ONE_SPAN_PER_ENTRY) {
      throw new IllegalStateException("trace summary version " + version + " (expected: " + VERSION + ")");
    }
    byte flags = in.get();
    TraceSummary trace = new TraceSummary();
    trace.firstArrivalMs = in.getLong();
    trace.lastArrivalMs = in.getLong();
    trace.rootArrivalMs = in.getLong();
    trace.deadlineMs = in.getLong();
    trace.indexedDeadlineMs = in.getLong();
    trace.spanCount = in.getInt();
    trace.bytes = in.getLong();
    trace.fingerprint = in.getInt();
    trace.hasError = (flags & HAS_ERROR) != 0;
    trace.hasCost = (flags & HAS_COST) != 0;
    trace.minStartNanos = in.getLong();
    trace.maxEndNanos = in.getLong();
    trace.maxSpanDurationNanos = in.getLong();
    trace.costUsd = in.getDouble();
    int serviceLength = in.getInt();
    if (serviceLength >= 0) {
      byte[] service = new byte[serviceLength];
      in.get(service);
      trace.service = new String(service, StandardCharsets.UTF_8);
    }
    byte[] matched = new byte[in.getInt()];
    in.get(matched);
    trace.matched = BitSet.valueOf(matched);
    trace.chunkCount = version == VERSION_ONE_SPAN_PER_ENTRY ? trace.spanCount : in.getInt();
    return trace;
  }
}
