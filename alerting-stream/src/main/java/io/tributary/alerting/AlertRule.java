package io.tributary.alerting;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One alert rule as written in a rule file (see {@code docs/alerting.md}); {@link AlertRules}
 * reads and checks it.
 *
 * @param group the name of its rule group
 * @param alert the alert name ({@code alertname} label)
 * @param source the signal it reads
 * @param filter which records count, or null for all
 * @param groupBy the fields whose values split the records into alert instances, as written
 * @param window the length of each evaluated window
 * @param every how often a window is evaluated (the advance of the hopping windows)
 * @param expr the condition over the window's aggregates
 * @param forDuration how long the condition must hold before the alert fires (0: at once)
 * @param keepFiringFor how long a firing alert keeps firing after the condition stopped holding
 * @param labels labels added to each alert
 * @param annotations annotation templates
 * @param file the file it was read from
 * @param line the line of its {@code alert} key
 */
public record AlertRule(String group, String alert, RuleSource source, String filter, List<String> groupBy,
    Duration window, Duration every, String expr, Duration forDuration, Duration keepFiringFor,
    Map<String, String> labels, Map<String, String> annotations, String file, int line) {

  public AlertRule {
    requireNonNull(group, "group");
    requireNonNull(alert, "alert");
    requireNonNull(source, "source");
    groupBy = List.copyOf(groupBy);
    requireNonNull(window, "window");
    requireNonNull(every, "every");
    requireNonNull(expr, "expr");
    requireNonNull(forDuration, "forDuration");
    requireNonNull(keepFiringFor, "keepFiringFor");
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    requireNonNull(file, "file");
  }

  /** {@code file:line}, for messages. */
  public String location() {
    return file + ":" + line;
  }
}
