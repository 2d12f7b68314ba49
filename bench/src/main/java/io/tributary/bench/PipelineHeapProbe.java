package io.tributary.bench;

import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/**
 * Child JVM of {@link PipelineBenchmark}: runs the traces pipeline with a decision wait longer than
 * the run over a topic of N traces, and once all are consumed reports how many wait for a decision,
 * how many were decided (should be none) and the heap in use after a full GC.
 */
public final class PipelineHeapProbe {

  static final String RESULT = "HEAP-PROBE-RESULT";

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String input = args[1];
    long expected = Long.parseLong(args[2]);
    PipelineStats stats = new PipelineStats();
    PipelineConfig config = PipelineConfig.parse(PipelineBenchmark.SAMPLING_10_PERCENT.formatted("1h"), "bench-heap",
        System::getenv);
    Topics topics = new Topics(input, TopicCatalog.SPANS.name(), Topics.traces().deadLetter());
    Properties props = StreamsRun.properties(bootstrap, "bench-heap", 1);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        StreamsRun.Running run = StreamsRun.start(
            TracesTopology.build(config, topics, SerdeConfig.getDefault(), stats), props)) {
      ConsumedOffsets.awaitCaughtUp(admin, "bench-heap", input, Duration.ofMinutes(20));
      // The in-flight gauge is refreshed by the sampler's punctuator: give it a few checks.
      long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (stats.sampling().tracesInFlight() < expected && System.nanoTime() < until) {
        Thread.sleep(200);
      }
      System.gc();
      System.gc();
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      long decided = stats.sampling().decisions().values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("%s tracesInFlight=%d expected=%d decided=%d overflow=%d heapUsedBytes=%d heapMaxBytes=%d%n",
          RESULT, stats.sampling().tracesInFlight(), expected, decided, stats.sampling().overflowSpans(),
          heap.getUsed(), heap.getMax());
      System.out.flush();
    }
  }

  private PipelineHeapProbe() {}
}
