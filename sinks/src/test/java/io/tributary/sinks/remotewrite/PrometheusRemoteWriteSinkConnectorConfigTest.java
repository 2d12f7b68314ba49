package io.tributary.sinks.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class PrometheusRemoteWriteSinkConnectorConfigTest {

  @Test
  void shouldReadEveryOptionWithItsDefault() {
    PrometheusRemoteWriteSinkConnectorConfig config = new PrometheusRemoteWriteSinkConnectorConfig(
        Map.of("remote.write.url", "http://prometheus:9090/api/v1/write"));
    assertThat(config.shards()).isEqualTo(4);
    assertThat(config.httpSettings().batchSize()).isEqualTo(2_000);
    assertThat(config.httpSettings().tenantHeader()).isEqualTo("X-Scope-OrgID");
    assertThat(config.translation()).isEqualTo(MetricPointTranslator.Options.defaults());
  }

  @Test
  void shouldReadTheNamingOptions() {
    PrometheusRemoteWriteSinkConnectorConfig config = new PrometheusRemoteWriteSinkConnectorConfig(Map.of(
        "remote.write.url", "http://vm:8428/api/v1/write", "metric.name.suffixes", "false",
        "scope.labels.enabled", "false", "target.info.enabled", "false",
        "resource.attributes.as.labels", "deployment.environment,k8s.namespace.name", "tenant.label", "tenant"));
    assertThat(config.translation()).isEqualTo(new MetricPointTranslator.Options(false, false, false, 60_000,
        Set.of("deployment.environment", "k8s.namespace.name"), "tenant"));
  }

  @Test
  void shouldRefuseBadValuesWithTheOptionAndTheReason() {
    assertThatThrownBy(() -> new PrometheusRemoteWriteSinkConnectorConfig(Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("remote.write.url");
    assertThatThrownBy(() -> new PrometheusRemoteWriteSinkConnectorConfig(Map.of("remote.write.url", "http://x",
        "tenant.label", "1tenant"))).hasMessageContaining("tenant.label");
    assertThatThrownBy(() -> new PrometheusRemoteWriteSinkConnectorConfig(Map.of("remote.write.url", "http://a,http://b")))
        .hasMessageContaining("expected one URL");
  }

  @Test
  void shouldReportEveryProblemThroughValidate() {
    Config result = new PrometheusRemoteWriteSinkConnector().validate(Map.of("remote.write.url", "mailto:x",
        "shards", "0", "batch.max.age.ms", "-1", "auth.type", "kerberos", "tenant.label", "bad-label"));
    List<String> bad = result.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
        .map(ConfigValue::name).toList();
    assertThat(bad).containsExactlyInAnyOrder("remote.write.url", "shards", "batch.max.age.ms", "auth.type",
        "tenant.label");
  }

  @Test
  void shouldGiveEachTaskTheConfigAndItsId() {
    PrometheusRemoteWriteSinkConnector connector = new PrometheusRemoteWriteSinkConnector();
    connector.start(Map.of("remote.write.url", "http://x/api/v1/write", "name", "rw"));
    assertThat(connector.taskConfigs(3)).extracting(c -> c.get("task.id")).containsExactly("0", "1", "2");
    assertThat(connector.taskConfigs(1).get(0)).containsEntry("remote.write.url", "http://x/api/v1/write");
  }
}
