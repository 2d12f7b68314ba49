package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.tributary.platform.connect.ConnectorSpec;
import io.tributary.platform.connect.SinkConnectors;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConnectorsTest {

  /** The settings the sinks need whatever the store: as `tributary dev` creates them. */
  private static final List<String> SHARED_SETTINGS = List.of("topics", "key.converter", "value.converter",
      "consumer.override.auto.offset.reset", "errors.tolerance", "errors.deadletterqueue.topic.name",
      "errors.deadletterqueue.context.headers.enable", "errors.log.enable");

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldRunEverySinkAsDevConfiguresIt(Overlay overlay) {
    Map<String, KafkaConnector> connectors = overlay.objects(KafkaConnector.class).stream()
        .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
    List<ConnectorSpec> expected = List.of(SinkConnectors.elasticsearch("http://es:9200", 3),
        SinkConnectors.tempo("http://tempo:4318/v1/traces", 3), SinkConnectors.remoteWrite("http://p/api/v1/write", 3),
        SinkConnectors.alertmanager("http://am:9093", 3));
    assertThat(connectors.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(ConnectorSpec::name).toList());
    for (ConnectorSpec spec : expected) {
      KafkaConnector connector = connectors.get(spec.name());
      assertThat(connector.getSpec().getClassName()).as(spec.name()).isEqualTo(spec.config().get("connector.class"));
      assertThat(connector.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "tributary-connect");
      for (String setting : SHARED_SETTINGS) {
        assertThat(String.valueOf(connector.getSpec().getConfig().get(setting))).as("%s %s", spec.name(), setting)
            .isEqualTo(spec.config().get(setting));
      }
    }
  }
}
