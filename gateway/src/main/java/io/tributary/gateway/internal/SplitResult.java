package io.tributary.gateway.internal;

import java.util.EnumMap;
import java.util.Map;

/**
 * One request split into Kafka records: {@code keys[i]}/{@code values[i]} for {@code i < recordCount},
 * each value an {@code Export*ServiceRequest}; plus how many items (data points for metrics) were
 * accepted and rejected, by reason.
 */
final class SplitResult {

  final int recordCount;
  final byte[][] keys;
  final byte[][] values;
  final long acceptedItems;
  final long rejectedItems;
  final Map<RejectReason, Long> rejectedByReason;

  SplitResult(int recordCount, byte[][] keys, byte[][] values, long acceptedItems,
      Map<RejectReason, Long> rejectedByReason) {
    this.recordCount = recordCount;
    this.keys = keys;
    this.values = values;
    this.acceptedItems = acceptedItems;
    this.rejectedByReason = rejectedByReason;
    this.rejectedItems = rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  static SplitResult empty() {
    return new SplitResult(0, new byte[0][], new byte[0][], 0, new EnumMap<>(RejectReason.class));
  }

  /** The partial-success message, e.g. "2 spans rejected: 1 invalid_trace_id (...); 1 ...", or "" when none. */
  String rejectionMessage(String itemName) {
    if (rejectedItems == 0 && rejectedByReason.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder().append(rejectedItems).append(' ').append(itemName).append(" rejected: ");
    String separator = "";
    for (Map.Entry<RejectReason, Long> e : rejectedByReason.entrySet()) {
      sb.append(separator).append(e.getValue()).append(' ').append(e.getKey().tag)
          .append(" (").append(e.getKey().explanation).append(')');
      separator = "; ";
    }
    return sb.toString();
  }

  long valueBytes() {
    long total = 0;
    for (int i = 0; i < recordCount; i++) {
      total += values[i].length;
    }
    return total;
  }
}
