package io.tributary.testsupport;

import java.time.Duration;
import java.util.Locale;

/**
 * The one figure line a failure drill ({@code *DrillIT}) prints, in the columns of
 * {@code docs/reliability.md}, so its table is filled from the lines the drills printed:
 *
 * <pre>{@code
 * DRILL traces-failover | load: ... | fault: ... | acknowledged: 1200 | lost: 0 | duplicated: 0 | recovery: 4.2 s
 * }</pre>
 *
 * Maven's test plugins write it to {@code target/failsafe-reports/<test class>-output.txt}.
 */
public record DrillFigures(String drill, String load, String fault, long acknowledged, long lost, long duplicated,
    Duration recovery) {

  public static final String PREFIX = "DRILL ";

  public String line() {
    return String.format(Locale.ROOT, "%s%s | load: %s | fault: %s | acknowledged: %d | lost: %d | duplicated: %d"
        + " | recovery: %.1f s", PREFIX, drill, load, fault, acknowledged, lost, duplicated, recovery.toMillis() / 1000.0);
  }

  /** Prints {@link #line()} to standard output and returns it. */
  public String print() {
    String line = line();
    System.out.println(line);
    System.out.flush();
    return line;
  }
}
