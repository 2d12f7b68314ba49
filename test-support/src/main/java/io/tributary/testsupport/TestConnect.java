package io.tributary.testsupport;

import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.embedded.process.ExternalServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
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
 * or one per test, {@link #startWorker} in a try-with-resources; or in a JVM of its own
 * ({@link #workerProcess}), for drills that SIGKILL a worker.
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

  /**
   * A worker of group {@code groupId} in a JVM of its own (this JVM's class path, so the sinks under test
   * are on it, {@code -Xmx} {@code heap}), its REST API on the server's port; {@code workerConfig} are
   * more worker settings. Not started; {@link ExternalServer#kill()} is a real SIGKILL, {@link
   * ExternalServer#stop()} a graceful stop (SIGTERM).
   */
  public static ExternalServer workerProcess(String bootstrapServers, String groupId, Duration offsetFlushInterval,
      String heap, Map<String, String> workerConfig) {
    List<String> args = new ArrayList<>(List.of(bootstrapServers, groupId, Long.toString(offsetFlushInterval.toMillis()),
        "http://{host}:{port}"));
    workerConfig.forEach((k, v) -> args.add(k + "=" + v));
    return ExternalServer.javaMain("connect-" + groupId, TestConnect.class, List.of("-Xmx" + heap),
            args.toArray(String[]::new))
        .readyUrl("http://{host}:{port}/connectors")
        .readyTimeout(Duration.ofSeconds(90))
        .build();
  }

  /**
   * The JVM of {@link #workerProcess}: {@code TestConnect <bootstrap servers> <group id> <offset flush ms>
   * <listener> [key=value ...]}; runs until SIGTERM (graceful stop) or SIGKILL.
   */
  public static void main(String[] args) throws InterruptedException {
    EmbeddedConnectWorker.Builder builder = EmbeddedConnectWorker.builder()
        .bootstrapServers(args[0])
        .groupId(args[1])
        .listener(args[3])
        .workerConfig("offset.flush.interval.ms", args[2]);
    for (int i = 4; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      builder.workerConfig(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    EmbeddedConnectWorker worker = builder.build().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.stop();
      stopped.countDown();
    }, "connect-worker-stop"));
    stopped.await();
  }

  /**
   * A metric of task {@code task} of {@code connector} (e.g. a sink task metric such as
   * {@code items-delivered-total}), read from this JVM's JMX, where a worker running in it registers
   * {@code kafka.connect:type=plugins,connector=...,task=...}; fails naming what is registered if there is none.
   */
  public static long taskMetric(String connector, int task, String metric) {
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    try {
      for (ObjectName name : jmx.queryNames(new ObjectName("kafka.connect:*"), null)) {
        if (connector.equals(name.getKeyProperty("connector"))
            && Integer.toString(task).equals(name.getKeyProperty("task"))
            && Arrays.stream(jmx.getMBeanInfo(name).getAttributes()).anyMatch(a -> a.getName().equals(metric))) {
          return ((Number) jmx.getAttribute(name, metric)).longValue();
        }
      }
      throw new AssertionError("no JMX metric " + metric + " for task " + task + " of " + connector + " among "
          + jmx.queryNames(new ObjectName("kafka.connect:connector=" + connector + ",*"), null));
    } catch (JMException e) {
      throw new IllegalStateException("reading " + metric + " of " + connector + " task " + task + " from JMX", e);
    }
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
