package io.tributary.platform.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTableTest {

  @Test
  void shouldListEveryTopicWithItsKeyAndValue() {
    String table = CatalogTable.render(TopicCatalog.ALL);

    for (TopicSpec topic : TopicCatalog.ALL) {
      assertThat(table).contains(topic.name(), topic.key(), topic.value());
    }
    assertThat(table.lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
        .contains("TOPIC", "PARTITIONS", "RETENTION", "CLEANUP"));
  }

  @Test
  void shouldShowRetentionInTheLargestWholeUnit() {
    assertThat(CatalogTable.retention(Duration.ofDays(3))).isEqualTo("3d");
    assertThat(CatalogTable.retention(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(CatalogTable.retention(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(CatalogTable.retention(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(CatalogTable.retention(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(CatalogTable.retention(null)).isEqualTo("forever");
  }

  @Test
  void shouldShowCompactedTopics() {
    TopicSpec services = new TopicSpec("reference.services", 1, null, true, "service name", "owner and tier");

    assertThat(CatalogTable.render(List.of(services))).contains("reference.services", "forever", "compact");
  }
}
