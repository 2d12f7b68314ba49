package io.tributary.processors.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@code PipelineStats}; steps fetch their adders once and increment them. */
public final class Counters {

  private final ConcurrentMap<String, LongAdder> redactions = new ConcurrentHashMap<>();
  private final LongAdder deadLettered = new LongAdder();

  /** The counter of one redaction rule (created at zero on first request). */
  public LongAdder redaction(String rule) {
    return redactions.computeIfAbsent(rule, r -> new LongAdder());
  }

  public LongAdder deadLetter() {
    return deadLettered;
  }

  /** A sorted snapshot, rules never hit included at zero. */
  public Map<String, Long> redactions() {
    Map<String, Long> snapshot = new TreeMap<>();
    redactions.forEach((rule, count) -> snapshot.put(rule, count.sum()));
    return snapshot;
  }

  public long deadLettered() {
    return deadLettered.sum();
  }
}
