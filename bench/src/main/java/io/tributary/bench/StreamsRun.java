package io.tributary.bench;

import io.tributary.processors.BoundedRocksDbMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** Runs one Kafka Streams application over a preloaded topic and times how long it takes to consume it. */
final class StreamsRun {

  /** The application, running, with the moment it became RUNNING; close it when done. */
  record Running(KafkaStreams streams, long runningAtNanos) implements AutoCloseable {
    @Override
    public void close() {
      streams.close(Duration.ofSeconds(30));
    }
  }

  static Properties properties(String bootstrap, String applicationId, int threads) throws Exception {
    return properties(bootstrap, applicationId, threads, null);
  }

  /** @param commitIntervalMs null for Kafka Streams' default (100 ms under exactly-once) */
  static Properties properties(String bootstrap, String applicationId, int threads, Long commitIntervalMs)
      throws Exception {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("tributary-bench-state-").toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    // Both applications under the same guarantee the pipelines run with by default.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), 8 * 1024 * 1024);
    // The roles' RocksDB settings (bounded, shared memory at its default budget), as they ship.
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    if (commitIntervalMs != null) {
      p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    }
    return p;
  }

  static Running start(Topology topology, Properties props) throws InterruptedException {
    KafkaStreams streams = new KafkaStreams(topology, props);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    streams.start();
    if (!running.await(2, TimeUnit.MINUTES)) {
      streams.close(Duration.ofSeconds(10));
      throw new IllegalStateException(props.get(StreamsConfig.APPLICATION_ID_CONFIG) + " did not reach RUNNING");
    }
    return new Running(streams, System.nanoTime());
  }

  /**
   * How long an application took and how much CPU its own threads used meanwhile (stream threads,
   * their producers' network threads, heartbeat threads): a figure other load on the machine does
   * not change, unlike the seconds; and how much CPU the whole JVM used (with the in-process broker,
   * the machine's cost).
   */
  record Consumed(double seconds, double cpuSeconds, double processCpuSeconds) {}

  /** Starts the application, waits until it committed the end of {@code input}, and returns what it took. */
  static Consumed timeToConsume(Admin admin, Topology topology, Properties props, String input) throws Exception {
    String applicationId = (String) props.get(StreamsConfig.APPLICATION_ID_CONFIG);
    try (Running run = start(topology, props)) {
      Map<Long, Long> cpuAtStart = threadCpuNanos(applicationId);
      long processCpuAtStart = processCpuNanos();
      long done = ConsumedOffsets.awaitCaughtUp(admin, applicationId, input, Duration.ofMinutes(20));
      Map<Long, Long> cpuAtEnd = threadCpuNanos(applicationId);
      long cpu = 0;
      for (Map.Entry<Long, Long> thread : cpuAtEnd.entrySet()) {
        cpu += thread.getValue() - cpuAtStart.getOrDefault(thread.getKey(), 0L);
      }
      return new Consumed((done - run.runningAtNanos()) / 1e9, cpu / 1e9, (processCpuNanos() - processCpuAtStart) / 1e9);
    }
  }

  /** CPU time of this whole JVM: the application, the in-process broker, RocksDB, the collector and the JIT. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time of the live threads whose name carries the application id (Kafka names its clients' threads so). */
  private static Map<Long, Long> threadCpuNanos(String applicationId) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().contains(applicationId)) {
        long nanos = threads.getThreadCpuTime(thread.threadId());
        if (nanos >= 0) {
          cpu.put(thread.threadId(), nanos);
        }
      }
    }
    return cpu;
  }

  static Path tempDir() throws Exception {
    return Files.createTempDirectory("tributary-bench-");
  }

  private StreamsRun() {}
}
