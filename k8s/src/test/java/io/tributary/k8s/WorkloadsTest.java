package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.tributary.k8s.Workloads.RoleInvocation;
import io.tributary.k8s.Workloads.Workload;
import io.tributary.platform.Roles;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WorkloadsTest {

  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|salt|api_?key|credential).*");

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldRunARoleTheJarAcceptsWithTheseArguments(Overlay overlay) {
    assertThat(Workloads.of(overlay)).isNotEmpty().allSatisfy(workload -> {
      for (Container container : workload.containers()) {
        RoleInvocation invocation = Workloads.invocation(container);
        assertThat(invocation.role()).as("%s runs a service role", workload)
            .isIn(Roles.GATEWAY, Roles.PROCESSOR, Roles.ALERTING, Roles.K8S_METADATA);
      }
    });
  }

  @Test
  void shouldRefuseArgumentsTheJarDoesNotKnow() {
    Container typo = new ContainerBuilder().withName("x").withArgs("processor", "--standby-replica=1").build();
    assertThatThrownBy(() -> Workloads.invocation(typo)).hasMessageContaining("--standby-replica");
    Container badEnvironment = new ContainerBuilder().withName("x").withArgs("processor")
        .withEnv(new EnvVar("TRIBUTARY_STANDBY_REPLICAS", "one", null)).build();
    assertThatThrownBy(() -> Workloads.invocation(badEnvironment)).hasMessageContaining("one");
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldProbeAndScrapeTheRolesOwnHealthPort(Overlay overlay) {
    for (Workload workload : Workloads.of(overlay)) {
      Container container = workload.containers().getFirst();
      RoleInvocation invocation = Workloads.invocation(container);
      int port = (Integer) invocation.option(Workloads.HEALTH_PORT_OPTION.get(invocation.role()));

      assertThat(container.getPorts()).as("%s declares its health port", workload)
          .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(port));
      assertProbe(workload + " liveness", container.getLivenessProbe(), "/health/live", port);
      assertProbe(workload + " readiness", container.getReadinessProbe(), "/health/ready", port);
      if (container.getStartupProbe() != null) {
        assertProbe(workload + " startup", container.getStartupProbe(), "/health/live", port);
      }
      Map<String, String> annotations = workload.template().getMetadata().getAnnotations();
      assertThat(annotations).as("%s scrape annotations", workload)
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/port", Integer.toString(port))
          .containsEntry("prometheus.io/path", "/metrics");
    }
  }

  private static void assertProbe(String what, Probe probe, String path, int port) {
    assertThat(probe).as(what).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getIntVal()).as(what).isEqualTo(port);
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldRunEveryContainerAsNonRootWithRequests(Overlay overlay) {
    for (Workload workload : Workloads.of(overlay)) {
      var pod = workload.template().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("%s runAsNonRoot", workload).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as("%s runAsUser", workload).isPositive();
      for (Container container : workload.containers()) {
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as("%s escalation", workload).isFalse();
        assertThat(container.getResources().getRequests()).as("%s requests", workload).containsKeys("cpu", "memory");
      }
    }
    KafkaConnect connect = overlay.objects(KafkaConnect.class).getFirst();
    assertThat(connect.getSpec().getTemplate().getPod().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(connect.getSpec().getResources().getRequests()).containsKeys("cpu", "memory");
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldHoldNoLiteralSecret(Overlay overlay) {
    assertThat(overlay.objects(Secret.class)).allSatisfy(secret -> {
      assertThat(secret.getData()).as("data of Secret %s", secret.getMetadata().getName()).isNullOrEmpty();
      assertThat(secret.getStringData()).as("stringData of Secret %s", secret.getMetadata().getName()).isNullOrEmpty();
    });
    for (Workload workload : Workloads.of(overlay)) {
      for (Container container : workload.containers()) {
        assertThat(container.getEnv()).as("%s environment", workload)
            .filteredOn(variable -> SECRET_NAME.matcher(variable.getName()).matches())
            .allSatisfy(variable -> assertThat(variable.getValue()).as(variable.getName()).isNull());
      }
    }
    // KafkaConnect's passwordSecret names a key of a Secret ("password: password"), not a value.
    String connectors = overlay.render().replaceAll("(?m)^( *)passwordSecret:\n(\\1  \\S.*\n)+", "");
    assertThat(connectors).as("store credentials come from ${dir:...} references")
        .doesNotContainPattern("(?m)(password|token|api\\.key): (?!\\$\\{dir:)\\S+");
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldMountTheApiKeysSecretSoThatItsUpdatesReachTheRunningGateway(Overlay overlay) {
    for (Workload workload : Workloads.of(overlay)) {
      Container container = workload.containers().getFirst();
      RoleInvocation invocation = Workloads.invocation(container);
      if (!invocation.role().equals(Roles.GATEWAY)) {
        continue;
      }
      String keysFile = invocation.option("--api-keys-file").toString();
      var mount = container.getVolumeMounts().stream().filter(m -> keysFile.startsWith(m.getMountPath() + "/"))
          .findFirst().orElseThrow(() -> new AssertionError(workload + " mounts no volume holding " + keysFile));
      // The kubelet updates Secret volumes in place, except those mounted with subPath: the gateway
      // reloads the file only if its updates arrive.
      assertThat(mount.getSubPath()).as("%s api keys mount subPath", workload).isNullOrEmpty();
      assertThat(workload.template().getSpec().getVolumes()).as("%s volumes", workload)
          .anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo(mount.getName());
            assertThat(v.getSecret().getSecretName()).isEqualTo("tributary-gateway-api-keys");
          });
    }
  }

  @Test
  void shouldRunSeveralSpreadReplicasWithBudgetsAndLimitsInProd() {
    for (Workload workload : Workloads.of(Overlay.PROD)) {
      var pod = workload.template().getSpec();
      if (Workloads.invocation(workload.containers().getFirst()).role().equals(Roles.K8S_METADATA)) {
        continue; // one replica by design (shouldRunOneK8sMetadataWriterWithOnlyReadAccessToTheApi)
      }
      assertThat(pod.getAffinity().getPodAntiAffinity()).as("%s anti-affinity", workload).isNotNull();
      assertThat(workload.containers().getFirst().getResources().getLimits()).as("%s limits", workload)
          .containsKey("memory");
      assertThat(Overlay.PROD.objects(PodDisruptionBudget.class)).as("%s disruption budget", workload)
          .anySatisfy(pdb -> assertThat(workload.template().getMetadata().getLabels())
              .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
      RoleInvocation invocation = Workloads.invocation(workload.containers().getFirst());
      if (!invocation.role().equals(Roles.GATEWAY)) {
        assertThat((Integer) invocation.option("--standby-replicas")).as("%s standby replicas", workload)
            .isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void shouldRunOneReplicaWithoutStandbysInDev() {
    for (Workload workload : Workloads.of(Overlay.DEV)) {
      RoleInvocation invocation = Workloads.invocation(workload.containers().getFirst());
      if (invocation.role().equals(Roles.PROCESSOR) || invocation.role().equals(Roles.ALERTING)) {
        assertThat((Integer) invocation.option("--standby-replicas")).as("%s standby replicas", workload).isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldRunOneK8sMetadataWriterWithOnlyReadAccessToTheApi(Overlay overlay) {
    Deployment deployment = overlay.objects(Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals("tributary-k8s-metadata")).findFirst().orElseThrow();
    // Two writers would each tombstone pod IPs by their own view: one replica, replaced rather than rolled.
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    ClusterRoleBinding binding = overlay.objects(ClusterRoleBinding.class).stream()
        .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(account))).findFirst().orElseThrow();
    assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      ServiceAccount serviceAccount = overlay.objects(ServiceAccount.class).stream()
          .filter(a -> a.getMetadata().getName().equals(account)).findFirst().orElseThrow();
      assertThat(subject.getNamespace()).as("the account's own namespace")
          .isEqualTo(serviceAccount.getMetadata().getNamespace());
    });
    ClusterRole role = overlay.objects(ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName())).findFirst().orElseThrow();
    Map<String, List<String>> resources = new TreeMap<>();
    for (PolicyRule rule : role.getRules()) {
      assertThat(rule.getVerbs()).as("read-only").containsExactlyInAnyOrder("get", "list", "watch");
      rule.getResources().forEach(r -> resources.put(r, rule.getApiGroups()));
    }
    assertThat(resources).containsOnly(Map.entry("pods", List.of("")), Map.entry("replicasets", List.of("apps")),
        Map.entry("jobs", List.of("batch")));
  }
}
