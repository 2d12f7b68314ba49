package io.tributary.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time and peak resident memory of one process, read from /proc, so each side of a peer benchmark
 * (Tributary's process, the peer's, the broker, a store) is reported apart and the figures survive a
 * noisy machine: CPU-seconds per million items barely move when other jobs share the cores.
 *
 * <pre>{@code
 * ProcessStats.Sample before = ProcessStats.of(pid);
 * ... timed part ...
 * ProcessStats.Sample after = ProcessStats.of(pid);
 * double cpu = after.cpuSecondsSince(before);
 * }</pre>
 */
final class ProcessStats {

  /** Linux reports CPU time in clock ticks of 1/100 s on every architecture Java runs on here. */
  private static final double TICKS_PER_SECOND = 100.0;

  /**
   * One reading: CPU seconds (user + system, the process's own threads, children excluded) and the
   * peak resident set size so far (VmHWM, which the kernel keeps for the process's whole life).
   */
  record Sample(long pid, double cpuSeconds, long peakRssBytes, long rssBytes) {
    double cpuSecondsSince(Sample earlier) {
      return cpuSeconds - earlier.cpuSeconds;
    }
  }

  /** Reads {@code pid}'s figures now. */
  static Sample of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(fields[11]);
      long stime = Long.parseLong(fields[12]);
      long peak = 0;
      long rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          peak = kib(line);
        } else if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        }
      }
      return new Sample(pid, (utime + stime) / TICKS_PER_SECOND, peak, rss);
    } catch (IOException e) {
      throw new UncheckedIOException("reading /proc/" + pid + " (has the process exited?)", e);
    }
  }

  /** This JVM's own figures. */
  static Sample self() {
    return of(ProcessHandle.current().pid());
  }

  /** CPU-seconds per million items, the figure a peer comparison divides. */
  static double cpuSecondsPerMillion(double cpuSeconds, long items) {
    return items == 0 ? Double.NaN : cpuSeconds * 1e6 / items;
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / (1024.0 * 1024.0));
  }

  private static long kib(String statusLine) {
    String[] parts = statusLine.trim().split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }

  private ProcessStats() {}
}
