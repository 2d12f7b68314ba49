package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KafkaTopicsTest {

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldDeclareEveryCatalogTopicWithItsPartitionsAndConfigs(Overlay overlay) {
    Map<String, KafkaTopic> topics = topics(overlay);
    for (TopicSpec spec : TopicCatalog.ALL) {
      KafkaTopic topic = topics.get(spec.name());
      assertThat(topic).as("KafkaTopic of catalog topic %s", spec.name()).isNotNull();
      assertThat(topic.getSpec().getPartitions()).as("partitions of %s", spec.name()).isEqualTo(spec.partitions());
      Map<String, String> configs = new TreeMap<>();
      topic.getSpec().getConfig().forEach((key, value) -> configs.put(key, String.valueOf(value)));
      assertThat(configs).as("configs of %s", spec.name()).isEqualTo(new TreeMap<>(spec.configs()));
      assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "tributary");
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldDeclareOnlyCatalogTopicsAndTheConnectorsDeadLetterTopics(Overlay overlay) {
    var deadLetterTopics = overlay.objects(KafkaConnector.class).stream()
        .map(c -> String.valueOf(c.getSpec().getConfig().get("errors.deadletterqueue.topic.name")))
        .collect(Collectors.toSet());
    assertThat(topics(overlay).keySet())
        .allSatisfy(name -> assertThat(TopicCatalog.byName(name).isPresent() || deadLetterTopics.contains(name))
            .as("%s is a catalog topic or a connector's dead-letter topic", name).isTrue())
        .containsAll(deadLetterTopics);
  }

  private static Map<String, KafkaTopic> topics(Overlay overlay) {
    return overlay.objects(KafkaTopic.class).stream().collect(Collectors.toMap(
        t -> t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName(),
        Function.identity()));
  }
}
