package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

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
        | Kafka ProducerPerformance, same bytes and record size | %,.1f MiB/s (%,.0f records/s) |
        | **ratio gateway / raw producer (bytes/s)** | **%.2f** |

        Requests of 512 spans with 20 attributes each, traces of 5-50 spans, %d concurrent HTTP/1.1
        clients on the same machine, %d partitions, embedded single-node broker, both producers with
        acks=all and idempotence. Targets: >= 100,000 spans/s and >= 0.6 of the raw producer.
        """,
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(),
        spans, concurrency,
        gw.spansPerSec(), gw.bytesPerSec() / mib, gw.records(), gw.avgRecordBytes(),
        raw.bytesPerSec() / mib, raw.recordsPerSec(), ratio, concurrency, partitions);
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
