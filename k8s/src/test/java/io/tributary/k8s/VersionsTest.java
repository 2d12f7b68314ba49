package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One Strimzi release and one Kafka version everywhere: the Connect image's base tag
 * ({@code quay.io/strimzi/kafka:<strimzi>-kafka-<kafka>}), {@code Kafka}/{@code KafkaConnect}
 * {@code spec.version}, and the Strimzi api the tests parse with (parent pom). The sink plugin is
 * built against the project's {@code kafka.version} but takes the Kafka classes from the worker
 * (provided scope, none in the plugin directory); the rule: the worker's Kafka has the same major
 * version as the project's (Connect's sink API is kept compatible within a major version).
 */
class VersionsTest {

  private static final Pattern BASE_IMAGE =
      Pattern.compile("(?m)^ARG STRIMZI_KAFKA_IMAGE=quay\\.io/strimzi/kafka:(\\d+\\.\\d+\\.\\d+)-kafka-(\\d+\\.\\d+\\.\\d+)$");

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldRunOneStrimziReleaseAndOneKafkaVersion(Overlay overlay) throws IOException {
    Matcher image = BASE_IMAGE.matcher(Files.readString(Overlay.K8S_DIR.resolve("image/Dockerfile")));
    assertThat(image.find()).as("image/Dockerfile: %s", BASE_IMAGE).isTrue();
    String strimzi = image.group(1);
    String kafka = image.group(2);

    assertThat(strimzi).as("Strimzi of the Connect image vs strimzi-api.version of the pom").isEqualTo(pom("strimzi-api.version"));
    assertThat(overlay.objects(Kafka.class).getFirst().getSpec().getKafka().getVersion()).as("Kafka spec.kafka.version")
        .isEqualTo(kafka);
    assertThat(overlay.objects(KafkaConnect.class).getFirst().getSpec().getVersion()).as("KafkaConnect spec.version")
        .isEqualTo(kafka);
    assertThat(major(kafka)).as("Connect's Kafka %s vs the plugin's kafka.version %s", kafka, pom("kafka.version"))
        .isEqualTo(major(pom("kafka.version")));
    assertThat(Files.readString(Overlay.K8S_DIR.resolve("../docs/deployment.md")))
        .as("the guide names the image tag").contains("quay.io/strimzi/kafka:" + strimzi + "-kafka-" + kafka);
  }

  @org.junit.jupiter.api.Test
  void shouldLeaveTheKafkaClassesToTheWorker() throws IOException {
    Path plugin = Overlay.K8S_DIR.resolve("../sinks/target/plugin/tributary-sinks");
    assertThat(plugin).as("the sink plugin directory (built by the sinks module)").isDirectory();
    try (Stream<Path> jars = Files.list(plugin)) {
      List<String> names = jars.map(p -> p.getFileName().toString()).toList();
      assertThat(names).as("plugin jars").isNotEmpty()
          .noneMatch(name -> name.startsWith("kafka-clients") || name.startsWith("connect-api")
              || name.startsWith("connect-runtime") || name.startsWith("kafka-streams"));
    }
  }

  private static String pom(String property) throws IOException {
    Matcher m = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</").matcher(
        Files.readString(Overlay.K8S_DIR.resolve("../pom.xml")));
    assertThat(m.find()).as("%s in the parent pom", property).isTrue();
    return m.group(1).trim();
  }

  private static String major(String version) {
    return version.substring(0, version.indexOf('.'));
  }
}
