package io.tributary.platform.topics;

import io.tributary.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;

/** The catalog as text: one row per topic, its key and value on the lines below. */
final class CatalogTable {

  private static final String ROW = "%-20s %10s  %-9s  %s%n";

  private CatalogTable() {}

  static String render(List<TopicSpec> topics) {
    StringBuilder text = new StringBuilder(String.format(ROW, "TOPIC", "PARTITIONS", "RETENTION", "CLEANUP"));
    for (TopicSpec topic : topics) {
      text.append(String.format(ROW, topic.name(), topic.partitions(), retention(topic.retention()),
          topic.compacted() ? "compact" : "delete"));
      text.append("    key:   ").append(topic.key()).append(System.lineSeparator());
      text.append("    value: ").append(topic.value()).append(System.lineSeparator());
    }
    return text.toString();
  }

  /** {@code 3d}, {@code 36h}, {@code 90m}, {@code 45s}, {@code 1500ms}, or {@code forever}. */
  static String retention(Duration retention) {
    if (retention == null) {
      return "forever";
    }
    long millis = retention.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis >= units[i] && millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return millis + "ms";
  }
}
