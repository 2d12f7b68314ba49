package io.tributary.bench;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * A sink that drops every record Connect hands it: what Kafka's consumer and the Connect worker cost
 * per record on their own, measured in the same run as the remote_write sink so that its ratio can be
 * read against what any Connect sink must pay before it does any work.
 */
public final class DiscardingSinkConnector extends SinkConnector {

  /** Records handed to this process's tasks so far (the benchmark runs the worker in its own JVM). */
  private static final Object RECEIVED_LOCK = new Object();
  private static long received;

  static void resetReceived() {
    synchronized (RECEIVED_LOCK) {
      received = 0;
    }
  }

  static long received() {
    synchronized (RECEIVED_LOCK) {
      return received;
    }
  }

  /** Waits until the tasks have received at least {@code count} records; woken by each put, no polling. */
  static void awaitReceived(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (RECEIVED_LOCK) {
      while (received < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("the discarding sink received " + received + " of " + count
              + " records in " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(RECEIVED_LOCK, left);
      }
    }
  }

  @Override
  public void start(Map<String, String> props) {}

  @Override
  public Class<? extends Task> taskClass() {
    return DiscardingTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, Map.of());
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return new ConfigDef();
  }

  @Override
  public String version() {
    return "bench";
  }

  /** Counts the records and keeps nothing; Connect commits what it delivered. */
  public static final class DiscardingTask extends SinkTask {
    @Override
    public String version() {
      return "bench";
    }

    @Override
    public void start(Map<String, String> props) {}

    @Override
    public void put(Collection<SinkRecord> records) {
      synchronized (RECEIVED_LOCK) {
        received += records.size();
        RECEIVED_LOCK.notifyAll();
      }
    }

    @Override
    public void stop() {}
  }
}
