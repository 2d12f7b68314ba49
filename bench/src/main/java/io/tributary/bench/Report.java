package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;

/** Renders a benchmark's figures as Markdown and keeps one section per benchmark in RESULTS.md. */
final class Report {

  static String gateway(GatewayBenchmark.GatewayRun gw, ProducerPerformanceRun.Result raw, long spans,
      int concurrency, int partitions) {
    double mib = 1024 * 1024;
    double ratio = gw.bytesPerSec() / raw.bytesPerSec();
    return String.format(Locale.ROOT, """
        ## Gateway ingest (OTLP/HTTP protobuf -> Kafka, acks=all)

        Run on %s, %d cores, Java %s. Command: `bench/run gateway --spans %d --concurrency %d`

        | figure | value |
        |---|---|
        | gateway spans/s | %,.0f |
        | gateway record bytes/s | %,.1f MiB/s (%,d records, avg %,d bytes) |
        | Kafka ProducerPerformance, same bytes and record size (best of lz4 and no compression) | %,.1f MiB/s (%,.0f records/s) |
        | **ratio gateway / raw producer (bytes/s)** | **%.2f** |

        Requests of 512 spans with 20 attributes each, traces of 5-50 spans, %d concurrent HTTP/1.1
        clients on the same machine, %d partitions, embedded single-node broker, both producers with
        acks=all, idempotence, linger 5 ms and 512 KiB batches. The gateway compresses with lz4 and OTLP
        protobuf compresses better than ProducerPerformance's random payload, so the raw producer runs
        twice (lz4 and none) and the faster run is the divisor. Targets: >= 100,000 spans/s and >= 0.6
        of the raw producer.
        """,
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(),
        spans, concurrency,
        gw.spansPerSec(), gw.bytesPerSec() / mib, gw.records(), gw.avgRecordBytes(),
        raw.bytesPerSec() / mib, raw.recordsPerSec(), ratio, concurrency, partitions);
  }

  /** One line with the three applications' rates and CPU per span, for runs without the heap probe. */
  static String pipelineFigures(TraceLoader.Loaded loaded, StreamsRun.Consumed pass, StreamsRun.Consumed floor,
      StreamsRun.Consumed pipeline) {
    long spans = loaded.spans();
    return String.format(Locale.ROOT, "spans/s: pipeline %,.0f, floor %,.0f, pass-through %,.0f; ratio pipeline/pass-through "
            + "%.2f, floor/pass-through %.2f; CPU per span, own threads / whole JVM: pipeline %.2f / %.2f us, floor %.2f / "
            + "%.2f us, pass-through %.2f / %.2f us",
        spans / pipeline.seconds(), spans / floor.seconds(), spans / pass.seconds(), pass.seconds() / pipeline.seconds(),
        pass.seconds() / floor.seconds(), micros(pipeline.cpuSeconds(), spans), micros(pipeline.processCpuSeconds(), spans),
        micros(floor.cpuSeconds(), spans), micros(floor.processCpuSeconds(), spans), micros(pass.cpuSeconds(), spans),
        micros(pass.processCpuSeconds(), spans));
  }

  private static double micros(double cpuSeconds, long spans) {
    return cpuSeconds * 1e6 / spans;
  }

  static String pipeline(long requestedSpans, long warmupSpans, TraceLoader.Loaded loaded, int threads, StreamsRun.Consumed pass,
      StreamsRun.Consumed floor, StreamsRun.Consumed pipeline, Map<String, Long> decisions, long heapTraces,
      Map<String, String> heap) {
    long spans = loaded.spans();
    double passRate = spans / pass.seconds();
    double floorRate = spans / floor.seconds();
    double pipelineRate = spans / pipeline.seconds();
    long kept = decisions.entrySet().stream().filter(e -> e.getKey().startsWith("keep")).mapToLong(Map.Entry::getValue).sum();
    long all = decisions.values().stream().mapToLong(Long::longValue).sum();
    double mib = 1024 * 1024;
    return String.format(Locale.ROOT, """
        ## Traces pipeline (otlp_spans -> telemetry.spans, Kafka Streams, exactly_once_v2)

        Run on %s, %d cores, Java %s. Command: `bench/run pipeline --spans %d --warmup-spans %d --threads %d --heap-traces %d`

        | figure | value |
        |---|---|
        | traces pipeline spans/s (normalize, redact, enrich, span metrics, tail sampling) | %,.0f |
        | pass-through Kafka Streams topology over the same records, spans/s | %,.0f |
        | **ratio pipeline / pass-through** | **%.2f** |
        | parse-and-buffer floor over the same records, spans/s (ratio to pass-through) | %,.0f (%.2f) |
        | CPU per span of each application's own threads: pipeline / floor / pass-through | %.2f / %.2f / %.2f µs |
        | CPU per span of the whole JVM (application, broker, RocksDB, GC, JIT): pipeline / floor / pass-through | %.2f / %.2f / %.2f µs |
        | traces decided during the timed run / kept | %,d / %,d (%.1f%%) |
        | traces waiting for a decision in a 512 MiB heap | %s of %,d (decided early: %s) |
        | heap used after GC with them waiting | %,.0f MiB of %,.0f MiB |

        %,d traces (%,d spans, %,.0f MiB of OTLP protobuf, 20 attributes per span) preloaded into
        otlp_spans (%d partitions); each application consumes them all from the start; the figure is the
        time from RUNNING until it committed the end of the topic. Each ran once before over %,d other
        spans in the same JVM (JIT warm-up, as in a long-running processor). The floor is the least a Kafka
        Streams tail sampler does: it parses each request with protobuf-java, keeps it whole in a
        changelogged RocksDB store for the decision wait, then forwards one in ten and deletes all (no Avro,
        redaction, enrichment, span metrics or per-trace state). The broker runs in the benchmark's JVM, so
        the whole-JVM CPU is the machine's cost per span; when the machine is CPU-bound the ratio of
        throughputs follows its inverse. Sampling: probabilistic 10%% only,
        decision-wait 2 s (traces still waiting when the input is consumed are decided after the run).
        Heap: traces of 2 spans, decision-wait 1 h, a child JVM with -Xmx512m. Targets: >= 50,000
        spans/s, >= 0.5 of pass-through, 500,000 waiting traces in 512 MiB with none decided early.
        """,
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(),
        requestedSpans, warmupSpans, threads, heapTraces,
        pipelineRate, passRate, pipelineRate / passRate, floorRate, floorRate / passRate,
        micros(pipeline.cpuSeconds(), spans), micros(floor.cpuSeconds(), spans), micros(pass.cpuSeconds(), spans),
        micros(pipeline.processCpuSeconds(), spans), micros(floor.processCpuSeconds(), spans),
        micros(pass.processCpuSeconds(), spans),
        all, kept, all == 0 ? 0.0 : 100.0 * kept / all,
        heap.getOrDefault("tracesInFlight", "?"), heapTraces, heap.getOrDefault("decided", "?"),
        Long.parseLong(heap.getOrDefault("heapUsedBytes", "0")) / mib,
        Long.parseLong(heap.getOrDefault("heapMaxBytes", "0")) / mib,
        loaded.traces(), loaded.spans(), loaded.bytes() / mib, io.tributary.schemas.topics.TopicCatalog.OTLP_SPANS.partitions(),
        warmupSpans);
  }

  /** Replaces (or appends) the section of {@code name} between its markers in {@code file}. */
  static void write(Path file, String name, String section) throws IOException {
    String start = "<!-- " + name + ":start -->";
    String end = "<!-- " + name + ":end -->";
    String block = start + "\n" + section.strip() + "\n" + end;
    String text = Files.exists(file)
        ? Files.readString(file)
        : "# Benchmark results\n\nEach figure next to the raw limit measured in the same run; see bench/README.md.\n";
    int i = text.indexOf(start);
    int j = text.indexOf(end);
    text = i >= 0 && j > i
        ? text.substring(0, i) + block + text.substring(j + end.length())
        : text.stripTrailing() + "\n\n" + block + "\n";
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text);
  }

  private Report() {}
}
