package io.tributary.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sinks.otlp.OtlpSinkConnector;
import io.tributary.sinks.remotewrite.PrometheusRemoteWriteSinkConnector;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.Test;

/** Every option of the metrics and traces connectors is documented, grouped and named for UIs. */
class ConnectorOptionsTest {

  @Test
  void shouldDocumentEveryOption() {
    for (SinkConnector connector : List.of(new PrometheusRemoteWriteSinkConnector(), new OtlpSinkConnector())) {
      ConfigDef def = connector.config();
      assertThat(def.configKeys().values()).as(connector.getClass().getSimpleName()).allSatisfy(key -> {
        assertThat(key.documentation).as(key.name + " documentation").isNotBlank();
        assertThat(key.group).as(key.name + " group").isNotBlank();
        assertThat(key.displayName).as(key.name + " display name").isNotBlank();
      });
      assertThat(def.toEnrichedRst()).contains("retry.timeout.ms");
    }
  }

  @Test
  void shouldBeFoundByConnectsServiceLoader() {
    assertThat(ServiceLoader.load(SinkConnector.class).stream().map(p -> p.type().getName()))
        .contains(PrometheusRemoteWriteSinkConnector.class.getName(), OtlpSinkConnector.class.getName());
  }
}
