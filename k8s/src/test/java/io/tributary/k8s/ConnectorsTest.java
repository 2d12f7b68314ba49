package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.tributary.platform.connect.ConnectorSpec;
import io.tributary.platform.connect.SinkConnectors;
import io.tributary.sinks.SinkTaskMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * Strimzi's JMX exporter, configured by the shipped rules, names every sink task metric as
   * {@code tributary connect} does on its /metrics: the rules are applied here as the exporter applies them
   * (the pattern matched against {@code domain<properties><>attribute: value}, the name and labels
   * substituted, the name made safe and lower case).
   */
  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldExportEverySinkTaskMetricUnderTheNamesTributaryConnectServes(Overlay overlay) throws Exception {
    KafkaConnect connect = overlay.objects(KafkaConnect.class).getFirst();
    JmxPrometheusExporterMetrics metrics = (JmxPrometheusExporterMetrics) connect.getSpec().getMetricsConfig();
    String configMap = metrics.getValueFrom().getConfigMapKeyRef().getName();
    String key = metrics.getValueFrom().getConfigMapKeyRef().getKey();
    ConfigMap rules = overlay.objects(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(configMap))
        .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + configMap));
    JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(rules.getData().get(key));
    assertThat(config.path("lowercaseOutputName").asBoolean()).isTrue();

    for (SinkTaskMetrics.Metric metric : SinkTaskMetrics.ALL) {
      String bean = "kafka.connect<type=plugins, connector=tributary-elasticsearch, task=3><>" + metric.name() + ": 12.0";
      List<String> exported = new ArrayList<>();
      for (JsonNode rule : config.path("rules")) {
        Matcher matcher = Pattern.compile("^.*(?:" + rule.path("pattern").asText() + ").*$").matcher(bean);
        if (matcher.matches()) {
          String name = matcher.replaceAll(rule.path("name").asText()).replaceAll("[^a-zA-Z0-9:_]", "_")
              .replaceAll("__+", "_").toLowerCase(Locale.ROOT);
          exported.add(name + "{connector=" + matcher.replaceAll(rule.at("/labels/connector").asText()) + ",task="
              + matcher.replaceAll(rule.at("/labels/task").asText()) + "} " + rule.path("type").asText());
        }
      }
      assertThat(exported).as("%s in %s", metric.name(), overlay).containsExactly(metric.prometheusName()
          + "{connector=tributary-elasticsearch,task=3} " + metric.kind());
    }
  }
}
