package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.platform.CommandLineRun;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code tributary topics create} against the shared broker. */
@ExtendWith(SharedKafkaBroker.class)
class TopicsCommandIT {

  @Test
  void shouldCreateTheCatalogThenFindNothingToDo(EmbeddedKafkaBroker kafka) throws Exception {
    CommandLineRun first = create(kafka);
    CommandLineRun second = create(kafka);

    assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.OK);
    assertThat(second.exitCode()).as(second.err()).isEqualTo(ExitCodes.OK);
    assertThat(second.out()).contains("Nothing to do.").doesNotContain("Created");
    try (Admin admin = admin(kafka)) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(TopicCatalog.ALL.stream().map(TopicSpec::name).toList()).allTopicNames().get();
      for (TopicSpec spec : TopicCatalog.ALL) {
        assertThat(topics.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
      }
    }
  }

  @Test
  void shouldReportADifferingTopicWithExitCodeThree(EmbeddedKafkaBroker kafka) throws Exception {
    assertThat(create(kafka).exitCode()).isEqualTo(ExitCodes.OK);
    String topic = TopicCatalog.ALERTS.name();
    String catalogRetention = TopicCatalog.ALERTS.configs().get("retention.ms");
    try (Admin admin = admin(kafka)) {
      setRetention(admin, topic, "3600000");
      try {
        CommandLineRun run = create(kafka);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.DIFFERENCES);
        assertThat(run.out()).contains("topic '" + topic + "': retention.ms is 3600000 (catalog: " + catalogRetention + ")")
            .contains("kafka-configs.sh --bootstrap-server " + kafka.bootstrapServers());
        assertThat(describeRetention(admin, topic)).as("existing topics are never changed").isEqualTo("3600000");
      } finally {
        setRetention(admin, topic, catalogRetention);
      }
      assertThat(create(kafka).exitCode()).isEqualTo(ExitCodes.OK);
    }
  }

  private static CommandLineRun create(EmbeddedKafkaBroker kafka) {
    return CommandLineRun.run("topics", "create", "--bootstrap-server", kafka.bootstrapServers());
  }

  private static Admin admin(EmbeddedKafkaBroker kafka) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static void setRetention(Admin admin, String topic, String millis) throws ExecutionException, InterruptedException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Collection<AlterConfigOp> ops = List.of(new AlterConfigOp(new ConfigEntry("retention.ms", millis), AlterConfigOp.OpType.SET));
    admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    await("retention.ms of " + topic + " is " + millis).atMost(Duration.ofSeconds(10))
        .until(() -> describeRetention(admin, topic), millis::equals);
  }

  private static String describeRetention(Admin admin, String topic) throws ExecutionException, InterruptedException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value();
  }
}
