package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The optional grafana-dashboards component, rendered on top of prod. That every panel's PromQL
 * answers on real data is checked by the platform module's SpanDerivedMetricsThroughDevIT.
 */
class GrafanaDashboardsTest {

  private static final Path COMPONENT = Overlay.K8S_DIR.resolve("components/grafana-dashboards");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<ConfigMap> dashboards;

  @BeforeAll
  static void render() throws IOException {
    // Kustomize takes relative paths only: an overlay of prod with the component, under target/.
    Path dir = Overlay.K8S_DIR.resolve("target/prod-with-grafana-dashboards");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("kustomization.yaml"), """
        namespace: tributary
        resources:
          - ../../overlays/prod
        components:
          - ../../components/grafana-dashboards
        """);
    dashboards = Manifests.parseAll(Overlay.kustomize(dir)).stream()
        .filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .filter(map -> "1".equals(map.getMetadata().getLabels() == null ? null
            : map.getMetadata().getLabels().get("grafana_dashboard")))
        .toList();
  }

  @Test
  void shouldShipEveryDashboardFileInOneConfigMapForTheSidecar() throws IOException {
    Set<String> files;
    try (Stream<Path> listing = Files.list(COMPONENT)) {
      files = Set.copyOf(listing.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
          .toList());
    }
    assertThat(files).hasSize(3);
    assertThat(dashboards).hasSize(1);
    ConfigMap map = dashboards.getFirst();
    assertThat(map.getMetadata().getNamespace()).isEqualTo("tributary");
    assertThat(map.getData()).containsOnlyKeys(files);
    for (String file : files) {
      assertThat(JSON.readTree(map.getData().get(file))).as(file).isEqualTo(JSON.readTree(COMPONENT.resolve(file).toFile()));
    }
  }

  @Test
  void shouldAskTheChosenDatasourceInEveryPanelAndHaveUniqueIds() throws IOException {
    Set<String> uids = new HashSet<>();
    for (String file : dashboards.getFirst().getData().keySet()) {
      JsonNode dashboard = JSON.readTree(dashboards.getFirst().getData().get(file));
      assertThat(uids.add(dashboard.path("uid").asText())).as("%s uid unique", file).isTrue();
      assertThat(dashboard.path("templating").path("list")).as(file)
          .anySatisfy(variable -> {
            assertThat(variable.path("name").asText()).isEqualTo("datasource");
            assertThat(variable.path("query").asText()).isEqualTo("prometheus");
          });
      Set<Integer> ids = new HashSet<>();
      assertThat(dashboard.path("panels")).as(file).isNotEmpty();
      for (JsonNode panel : dashboard.path("panels")) {
        assertThat(ids.add(panel.path("id").asInt())).as("%s panel id unique", file).isTrue();
        assertThat(panel.path("targets")).as("%s: %s", file, panel.path("title")).isNotEmpty()
            .allSatisfy(target -> {
              assertThat(target.path("expr").asText()).isNotBlank();
              assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            });
        assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      }
    }
  }
}
