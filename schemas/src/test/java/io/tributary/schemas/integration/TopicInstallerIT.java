package io.tributary.schemas.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import io.tributary.schemas.topics.TopicReport;
import io.tributary.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafkaBroker.class)
class TopicInstallerIT {

  private Admin admin;

  @BeforeEach
  void connect(EmbeddedKafkaBroker kafka) {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  @AfterEach
  void disconnect() {
    admin.close(Duration.ofSeconds(5));
  }

  @Test
  void shouldCreateTheCatalogThenHaveNothingToDo(EmbeddedKafkaBroker kafka) throws Exception {
    List<String> names = TopicCatalog.ALL.stream().map(TopicSpec::name).toList();
    try (TopicInstaller installer = TopicInstaller.builder().bootstrapServers(kafka.bootstrapServers()).build()) {
      TopicReport first = installer.ensure(TopicCatalog.ALL);

      assertThat(first.created()).containsExactlyElementsOf(names);
      assertThat(first.matchesCatalog()).isTrue();
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      for (TopicSpec spec : TopicCatalog.ALL) {
        assertThat(described.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
        assertThat(described.get(spec.name()).partitions().get(0).replicas()).as("one broker, one replica").hasSize(1);
        Config config = topicConfig(spec.name());
        spec.configs().forEach((key, value) -> assertThat(config.get(key).value()).as(spec.name() + " " + key)
            .isEqualTo(value));
      }

      TopicReport second = installer.ensure(TopicCatalog.ALL);

      assertThat(second.nothingToDo()).isTrue();
      assertThat(second.upToDate()).containsExactlyElementsOf(names);
      assertThat(second.toString()).endsWith("Nothing to do.");
    }
  }

  @Test
  void shouldReportButNotChangeTopicsThatDifferFromTheCatalog(EmbeddedKafkaBroker kafka) throws Exception {
    TopicSpec tooFew = new TopicSpec("it.drift.too-few", 4, Duration.ofDays(1), false, "k", "v");
    TopicSpec tooMany = new TopicSpec("it.drift.too-many", 2, Duration.ofDays(1), false, "k", "v");
    admin.createTopics(List.of(
        new NewTopic(tooFew.name(), 2, (short) 1).configs(Map.of("retention.ms", "1000")),
        new NewTopic(tooMany.name(), 3, (short) 1).configs(tooMany.configs()))).all().get();
    TopicInstaller installer = TopicInstaller.builder().admin(admin).bootstrapServers(kafka.bootstrapServers()).build();

    TopicReport report = installer.ensure(List.of(tooFew, tooMany));

    assertThat(report.created()).isEmpty();
    assertThat(report.upToDate()).isEmpty();
    assertThat(report.differences()).extracting(d -> d.topic() + " " + d.setting() + " " + d.actual() + "->" + d.expected())
        .containsExactly(
            "it.drift.too-few partitions 2->4",
            "it.drift.too-few retention.ms 1000->86400000",
            "it.drift.too-few max.message.bytes 16777216->" + TopicCatalog.MAX_MESSAGE_BYTES,
            "it.drift.too-many partitions 3->2");
    assertThat(report.toString())
        .contains("topic 'it.drift.too-few': partitions is 2 (catalog: 4). Fix: kafka-topics.sh --bootstrap-server "
            + kafka.bootstrapServers() + " --alter --topic it.drift.too-few --partitions 4")
        .contains("Fix: kafka-configs.sh --bootstrap-server " + kafka.bootstrapServers()
            + " --alter --entity-type topics --entity-name it.drift.too-few --add-config retention.ms=86400000")
        .contains("topic 'it.drift.too-many': partitions is 3 (catalog: 2). Fix: Kafka cannot remove partitions");
    assertThat(admin.describeTopics(List.of(tooFew.name())).allTopicNames().get().get(tooFew.name()).partitions())
        .as("never changed").hasSize(2);
    assertThat(topicConfig(tooFew.name()).get("retention.ms").value()).as("never changed").isEqualTo("1000");
    assertThat(installer.ensure(List.of(tooFew, tooMany)).differences()).as("reported again, still unchanged")
        .hasSize(4);
    installer.close();
    assertThat(admin.listTopics().names().get()).as("the caller's admin stays open").contains(tooFew.name());
  }

  @Test
  void shouldRefuseAReplicationFactorAboveTheBrokerCount() throws Exception {
    TopicInstaller installer = TopicInstaller.builder().admin(admin).replicationFactor(3).build();
    TopicSpec spec = new TopicSpec("it.replicated", 1, Duration.ofHours(1), false, "k", "v");

    assertThatThrownBy(() -> installer.ensure(List.of(spec)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replicationFactor: 3 (expected: <= 1, the number of brokers in the cluster)");
    assertThat(admin.listTopics().names().get()).doesNotContain(spec.name());
  }

  private Config topicConfig(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }
}
