package io.tributary.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicReportTest {

  @Test
  void shouldSayNothingToDoWhenEverythingMatches() {
    TopicReport report = new TopicReport(List.of(), List.of("otlp_spans", "otlp_logs"), List.of());

    assertThat(report.nothingToDo()).isTrue();
    assertThat(report.matchesCatalog()).isTrue();
    assertThat(report).hasToString("2 topics already as the catalog says: otlp_spans, otlp_logs\nNothing to do.");
  }

  @Test
  void shouldListEachDifferenceWithItsFix() {
    TopicReport report = new TopicReport(List.of("telemetry.alerts"), List.of(), List.of(
        new TopicReport.Difference("otlp_spans", "partitions", "6", "2", "add partitions")));

    assertThat(report.nothingToDo()).isFalse();
    assertThat(report.matchesCatalog()).isFalse();
    assertThat(report).hasToString("""
        Created 1 topic: telemetry.alerts
        1 difference from the catalog (existing topics are never changed by Tributary):
          - topic 'otlp_spans': partitions is 2 (catalog: 6). Fix: add partitions""");
  }
}
