package io.tributary.testsupport;

import java.time.Duration;
import java.util.Locale;

/**
 * The one figure line a reliability drill ({@code *DrillIT}) prints: drill, load, fault, acknowledged,
 * lost, duplicated and recovery time, as a row of the table in {@code docs/reliability.md}, so a run's
 * output can be compared with (or pasted into) the documented figures.
 *
 * <pre>{@code
 * DrillFigures.print("3: Connect worker SIGKILL", "15,000 spans at 1,500/s", "SIGKILL of the worker running task 0",
 *     acknowledged, lost, duplicated, recovery);
 * }</pre>
 */
public final class DrillFigures {

  private DrillFigures() {}

  /** Prints the figure line (prefixed {@code DRILL}, greppable in the failsafe output) and returns it. */
  public static String print(String drill, String load, String fault, long acknowledged, long lost, long duplicated,
      Duration recovery) {
    String line = String.format(Locale.ROOT, "DRILL | %s | %s | %s | %,d | %,d | %,d | %.1f s |", drill, load, fault,
        acknowledged, lost, duplicated, recovery.toMillis() / 1000.0);
    System.out.println(line);
    return line;
  }
}
