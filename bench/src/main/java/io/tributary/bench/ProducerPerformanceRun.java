package io.tributary.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own {@code ProducerPerformance}, run in a JVM of its own with the given producer settings:
 * the raw limit of the broker and client on this machine.
 */
final class ProducerPerformanceRun {

  /** The tool's summary line, e.g. "100000 records sent, 9900.1 records/sec (9.67 MB/sec), ...". */
  private static final Pattern SUMMARY =
      Pattern.compile("(\\d+)( steady state)? records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

  record Result(long records, double recordsPerSec, double bytesPerSec) {}

  static Result run(String bootstrap, String topic, long records, int recordSize, Map<String, String> producerProps)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.apache.kafka.tools.ProducerPerformance");
    cmd.addAll(List.of("--topic", topic, "--num-records", Long.toString(records + records / 4),
        "--record-size", Integer.toString(recordSize), "--throughput", "-1",
        // Warm-up records first (the gateway is warmed up too); only the steady state counts.
        "--warmup-records", Long.toString(records / 4), "--producer-props",
        "bootstrap.servers=" + bootstrap));
    producerProps.forEach((k, v) -> cmd.add(k + "=" + v));
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Result result = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        Matcher m = SUMMARY.matcher(line);
        if (m.find() && m.group(2) != null) {
          System.err.println("  producer-perf: " + line.trim());
          result = new Result(Long.parseLong(m.group(1)), Double.parseDouble(m.group(3)),
              Double.parseDouble(m.group(4)) * 1024 * 1024);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || result == null) {
      throw new IllegalStateException("ProducerPerformance failed (exit " + exit + ", summary " + result + ")");
    }
    return result;
  }

  private ProducerPerformanceRun() {}
}
