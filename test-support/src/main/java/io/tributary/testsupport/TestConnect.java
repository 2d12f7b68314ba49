package io.tributary.testsupport;

import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Kafka Connect worker as the sink tests run it: on a free port of 127.0.0.1, beside the shared broker.
 * Either one per test class, as a JUnit 5 extension started before the class's first test and closed
 * after its last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestConnect CONNECT = TestConnect.worker("otlp-it", Duration.ofSeconds(1));
 * ... CONNECT.client().putConnector("otlp", config) ...
 * }</pre>
 *
 * or one per test, {@link #startWorker} in a try-with-resources.
 */
public final class TestConnect implements BeforeAllCallback, AfterAllCallback {

  private final String groupId;
  private final Duration offsetFlushInterval;
  private EmbeddedConnectWorker worker;
  private ConnectRestClient client;

  private TestConnect(String groupId, Duration offsetFlushInterval) {
    this.groupId = groupId;
    this.offsetFlushInterval = offsetFlushInterval;
  }

  /** A worker of group {@code groupId} on the JVM's shared broker, for {@code @RegisterExtension}. */
  public static TestConnect worker(String groupId, Duration offsetFlushInterval) {
    return new TestConnect(groupId, offsetFlushInterval);
  }

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

  /** The client of the running worker's REST API. */
  public ConnectRestClient client() {
    if (client == null) {
      throw new IllegalStateException("the Connect worker " + groupId + " runs only while its test class does"
          + " (register it with @RegisterExtension on a static field)");
    }
    return client;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    worker = startWorker(SharedKafkaBroker.get(context).bootstrapServers(), groupId, offsetFlushInterval);
    client = worker.client();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client = null;
    if (worker != null) {
      worker.close();
      worker = null;
    }
  }
}
