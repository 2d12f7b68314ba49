package io.tributary.schemas.topics;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link TopicInstaller#ensure} did and found: topics it created, topics already as the catalog
 * says, and differences between existing topics and the catalog, each with how to fix it. The
 * installer never changes an existing topic, so differences stay until an operator acts.
 *
 * @param created topics that did not exist and were created
 * @param upToDate topics that existed with the catalog's partitions and configs
 * @param differences how existing topics differ from the catalog
 */
public record TopicReport(List<String> created, List<String> upToDate, List<Difference> differences) {

  public TopicReport {
    created = List.copyOf(created);
    upToDate = List.copyOf(upToDate);
    differences = List.copyOf(differences);
  }

  /** Whether every topic now exists exactly as the catalog says. */
  public boolean matchesCatalog() {
    return differences.isEmpty();
  }

  /** Whether the run created nothing and found no difference (a second run on the same cluster). */
  public boolean nothingToDo() {
    return created.isEmpty() && differences.isEmpty();
  }

  /** The report for operators, one line per finding, each difference with its fix. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    if (!created.isEmpty()) {
      text.append("Created ").append(created.size()).append(created.size() == 1 ? " topic: " : " topics: ")
          .append(String.join(", ", created)).append('\n');
    }
    if (!upToDate.isEmpty()) {
      text.append(upToDate.size()).append(upToDate.size() == 1 ? " topic" : " topics")
          .append(" already as the catalog says: ").append(String.join(", ", upToDate)).append('\n');
    }
    if (differences.isEmpty()) {
      text.append(created.isEmpty() ? "Nothing to do." : "Every topic now matches the catalog.");
    } else {
      text.append(differences.size()).append(differences.size() == 1 ? " difference" : " differences")
          .append(" from the catalog (existing topics are never changed by Tributary):");
      for (Difference difference : differences) {
        text.append("\n  - ").append(difference);
      }
    }
    return text.toString();
  }

  /**
   * One setting of one existing topic that differs from the catalog.
   *
   * @param topic the topic
   * @param setting {@code partitions} or a topic config key such as {@code retention.ms}
   * @param expected the catalog's value
   * @param actual the cluster's value
   * @param fix what an operator can do about it
   */
  public record Difference(String topic, String setting, String expected, String actual, String fix) {
    public Difference {
      requireNonNull(topic, "topic");
      requireNonNull(setting, "setting");
      requireNonNull(expected, "expected");
      requireNonNull(actual, "actual");
      requireNonNull(fix, "fix");
    }

    @Override
    public String toString() {
      return "topic '" + topic + "': " + setting + " is " + actual + " (catalog: " + expected + "). Fix: " + fix;
    }
  }
}
