package io.tributary.bench;

import java.util.Map;

/**
 * The producer settings that matter for throughput, as the gateway uses them by default, so the raw
 * producer is measured under the same durability (acks=all, idempotence) and batching.
 */
final class GatewayProducerSettings {

  static final Map<String, String> FOR_COMPARISON = Map.of(
      "acks", "all",
      "enable.idempotence", "true",
      "linger.ms", "5",
      "batch.size", Integer.toString(512 * 1024),
      "compression.type", "lz4",
      "max.request.size", Integer.toString(8 * 1024 * 1024));

  private GatewayProducerSettings() {}
}
