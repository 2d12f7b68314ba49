package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.tributary.k8s.Workloads.RoleInvocation;
import io.tributary.k8s.Workloads.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional prometheus-operator component, rendered on top of prod. */
class PodMonitorsTest {

  /**
   * Where every role serves its metrics: the gateway's HTTP server (GatewayServices) and the Streams
   * roles' metrics server (StreamsHttpServer) both register this path.
   */
  private static final String METRICS_PATH = "/metrics";

  private static final String CONNECT_MONITOR = "tributary-connect";

  private static List<Object> objects;

  @BeforeAll
  static void render() throws IOException {
    // Kustomize takes relative paths only: an overlay of prod with the component, under target/.
    Path dir = Overlay.K8S_DIR.resolve("target/prod-with-prometheus-operator");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("kustomization.yaml"), """
        namespace: tributary
        resources:
          - ../../overlays/prod
        components:
          - ../../components/prometheus-operator
        """);
    objects = Manifests.parseAll(Overlay.kustomize(dir));
  }

  @Test
  void shouldScrapeEveryRoleOnItsMetricsPortAndPath() {
    List<PodMonitor> monitors = roleMonitors();
    List<Workload> workloads = Workloads.of(objects);
    assertThat(workloads).hasSize(6);
    assertThat(monitors).hasSameSizeAs(workloads);
    for (Workload workload : workloads) {
      Map<String, String> podLabels = workload.template().getMetadata().getLabels();
      List<PodMonitor> selecting = monitors.stream()
          .filter(m -> podLabels.entrySet().containsAll(m.spec().selector().matchLabels().entrySet())).toList();
      assertThat(selecting).as("PodMonitors selecting %s", workload).hasSize(1);
      PodMonitor.Endpoint endpoint = selecting.getFirst().spec().podMetricsEndpoints().getFirst();

      Container container = workload.containers().getFirst();
      RoleInvocation invocation = Workloads.invocation(container);
      int metricsPort = (Integer) invocation.option(Workloads.HEALTH_PORT_OPTION.get(invocation.role()));
      ContainerPort port = container.getPorts().stream().filter(p -> endpoint.port().equals(p.getName())).findFirst()
          .orElseThrow(() -> new AssertionError(workload + " has no container port named " + endpoint.port()));
      assertThat(port.getContainerPort()).as("%s scraped port", workload).isEqualTo(metricsPort);
      assertThat(endpoint.path()).as("%s scraped path", workload).isEqualTo(METRICS_PATH)
          .isEqualTo(workload.template().getMetadata().getAnnotations().get("prometheus.io/path"));
      assertThat(selecting.getFirst().metadata().namespace()).isEqualTo("tributary");
    }
  }

  @Test
  void shouldScrapeConnectsPodsOnStrimzisExporterPort() {
    KafkaConnect connect = objects.stream().filter(KafkaConnect.class::isInstance).map(KafkaConnect.class::cast)
        .findFirst().orElseThrow();
    PodMonitor monitor = connectMonitor();
    // The labels Strimzi puts on the Connect pods it creates, and the port it names for metricsConfig.
    assertThat(monitor.spec().selector().matchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "strimzi.io/cluster", connect.getMetadata().getName(), "strimzi.io/kind", "KafkaConnect"));
    assertThat(monitor.spec().podMetricsEndpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.port()).isEqualTo("tcp-prometheus");
      assertThat(endpoint.path()).isEqualTo(METRICS_PATH);
    });
    assertThat(connect.getSpec().getMetricsConfig()).as("the exporter the PodMonitor scrapes").isNotNull();
    assertThat(monitor.metadata().namespace()).isEqualTo("tributary");
  }

  private static PodMonitor connectMonitor() {
    return objects.stream().filter(PodMonitor.class::isInstance).map(PodMonitor.class::cast)
        .filter(m -> m.metadata().name().equals(CONNECT_MONITOR)).findFirst().orElseThrow();
  }

  /** The PodMonitors of the roles' workloads (Connect's pods are Strimzi's, scraped by {@link #CONNECT_MONITOR}). */
  private static List<PodMonitor> roleMonitors() {
    return objects.stream().filter(PodMonitor.class::isInstance).map(PodMonitor.class::cast)
        .filter(m -> !m.metadata().name().equals(CONNECT_MONITOR)).toList();
  }

  @Test
  void shouldSelectOnlyItsOwnRolesPods() {
    List<PodMonitor> monitors = roleMonitors();
    List<Workload> workloads = Workloads.of(objects);
    for (PodMonitor monitor : monitors) {
      assertThat(workloads).as("pods %s selects", monitor.metadata().name())
          .filteredOn(w -> w.template().getMetadata().getLabels().entrySet()
              .containsAll(monitor.spec().selector().matchLabels().entrySet()))
          .hasSize(1);
    }
  }
}
