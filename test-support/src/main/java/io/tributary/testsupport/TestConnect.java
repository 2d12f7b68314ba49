package io.tributary.testsupport;

import io.tributary.embedded.connect.EmbeddedConnectWorker;
import java.time.Duration;

/** A Kafka Connect worker as the sink tests run it: on a free port of 127.0.0.1, beside the shared broker. */
public final class TestConnect {

  private TestConnect() {}

  /**
   * A started worker of group {@code groupId} that commits the connectors' offsets every
   * {@code offsetFlushInterval} (short, so a test sees them soon); the caller closes it.
   */
  public static EmbeddedConnectWorker startWorker(String bootstrapServers, String groupId,
      Duration offsetFlushInterval) {
    return EmbeddedConnectWorker.builder()
        .bootstrapServers(bootstrapServers)
        .groupId(groupId)
        .listener("http://127.0.0.1:0")
        .workerConfig("offset.flush.interval.ms", Long.toString(offsetFlushInterval.toMillis()))
        .build()
        .start();
  }
}
