package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.tributary.k8s.Workloads.RoleInvocation;
import io.tributary.k8s.Workloads.Workload;
import io.tributary.platform.Roles;
import io.tributary.processors.PipelineConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConfigFilesTest {

  private static final Path CONFIG = Overlay.K8S_DIR.resolve("base/config");

  /** The base's ConfigMaps start from the shipped defaults; an overlay changes them, the base never drifts. */
  @Test
  void shouldShipTheJarsDefaultAlertRules() throws IOException {
    assertThat(Files.readString(CONFIG.resolve("tributary-alert-rules.yaml"))).isEqualTo(shipped("tributary-alert-rules.yaml"));
  }

  /** Pipeline config and redaction rules are the shipped file split in two: together they are its defaults. */
  @Test
  void shouldShipTheJarsDefaultPipelineConfigWithTheRedactionRulesApart() throws IOException {
    Path pipelines = CONFIG.resolve("tributary-pipelines.yaml");
    Path redaction = CONFIG.resolve("tributary-redaction-rules.yaml");

    PipelineConfig both = PipelineConfig.load(pipelines, name -> null)
        .withRedaction(PipelineConfig.loadRedactionRules(redaction, name -> null));

    assertThat(both).isEqualTo(PipelineConfig.getDefault());
    assertThat(Files.readString(pipelines)).as("no redaction: section that --redaction-rules would replace")
        .doesNotContainPattern("(?m)^redaction:");
    String shipped = shipped("tributary-pipelines.yaml");
    String redactionSection = shipped.substring(shipped.indexOf("\nredaction:\n") + 1).split("\n(?=\\S)")[0].strip();
    assertThat(Files.readString(redaction)).as("the shipped section, its comments too").contains(redactionSection);
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldMountEachConfigMapWhereTheRolesArgumentsReadIt(Overlay overlay) {
    var configMaps = overlay.objects(ConfigMap.class).stream().map(c -> c.getMetadata().getName()).toList();
    for (Workload workload : Workloads.of(overlay)) {
      Container container = workload.containers().getFirst();
      RoleInvocation invocation = Workloads.invocation(container);
      List<Object> files = new ArrayList<>();
      if (invocation.role().equals(Roles.PROCESSOR)) {
        files.add(invocation.option("--config"));
        files.add(invocation.option("--redaction-rules"));
      } else if (invocation.role().equals(Roles.ALERTING)) {
        files.addAll((List<?>) invocation.option("--rules"));
        assertThat(files).as("%s rule files", workload).isNotEmpty();
      }
      for (Object file : files) {
        assertThat(file).as("%s config file", workload).isNotNull();
        Path path = (Path) file;
        var mount = container.getVolumeMounts().stream()
            .filter(m -> path.getParent().toString().equals(m.getMountPath())).findFirst()
            .orElseThrow(() -> new AssertionError(workload + ": nothing mounted at " + path.getParent()));
        Volume volume = workload.template().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        String configMap = volume.getConfigMap().getName();
        assertThat(configMaps).as("%s mounts ConfigMap %s", workload, configMap).contains(configMap);
        ConfigMap map = overlay.objects(ConfigMap.class).stream()
            .filter(c -> c.getMetadata().getName().equals(configMap)).findFirst().orElseThrow();
        assertThat(map.getData()).as("%s: ConfigMap %s holds %s", workload, configMap, path.getFileName())
            .containsKey(path.getFileName().toString());
      }
    }
  }

  private String shipped(String file) throws IOException {
    try (InputStream shipped = getClass().getClassLoader().getResourceAsStream(file)) {
      assertThat(shipped).as("%s on the classpath", file).isNotNull();
      return new String(shipped.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
