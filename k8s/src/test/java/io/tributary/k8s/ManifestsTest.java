package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ManifestsTest {

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldRenderEveryOverlayIntoTypedObjects(Overlay overlay) {
    // objects() renders with kubectl kustomize and parses strictly; any failure throws here.
    assertThat(overlay.objects()).hasSizeGreaterThan(30);
    assertThat(overlay.objects(Kafka.class)).hasSize(1);
    assertThat(overlay.objects(KafkaNodePool.class)).hasSize(1);
    assertThat(overlay.objects(KafkaConnect.class)).hasSize(1);
    assertThat(overlay.objects(Deployment.class)).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("tributary-gateway", "tributary-k8s-metadata");
    assertThat(overlay.objects(StatefulSet.class)).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("tributary-traces", "tributary-logs", "tributary-metrics", "tributary-alerting");
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldPutEveryObjectInTheOverlaysNamespace(Overlay overlay) {
    // Cluster-scoped objects (k8s-metadata's ClusterRole and binding) have none; the binding names the account's.
    assertThat(overlay.objects())
        .filteredOn(object -> !(object instanceof ClusterRole || object instanceof ClusterRoleBinding))
        .allSatisfy(object -> assertThat(Workloads.namespace(object))
            .as("namespace of %s", object.getClass().getSimpleName()).isEqualTo("tributary"));
    assertThat(overlay.objects(ClusterRoleBinding.class)).flatExtracting(ClusterRoleBinding::getSubjects)
        .extracting(Subject::getNamespace).containsOnly("tributary");
  }

  @Test
  void shouldRejectAFieldTheModelDoesNotKnow() {
    String typo = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: typo}
        spec:
          replica: 2
        """;
    assertThatThrownBy(() -> Manifests.parse(typo)).hasMessageContaining("replica");

    String strimziTypo = """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata: {name: typo}
        spec: {topicName: a, partition: 3}
        """;
    assertThatThrownBy(() -> Manifests.parse(strimziTypo)).hasMessageContaining("partition");

    String kedaTypo = """
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: {name: typo}
        spec: {maxReplicas: 3}
        """;
    assertThatThrownBy(() -> Manifests.parse(kedaTypo)).hasMessageContaining("maxReplicas");
  }

  @Test
  void shouldRejectAKindWithoutModel() {
    assertThatThrownBy(() -> Manifests.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
        .hasMessageContaining("no model");
  }
}
