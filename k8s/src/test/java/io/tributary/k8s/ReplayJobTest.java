package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tributary.platform.Roles;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ReplayJobTest {

  @Test
  void shouldReplayThroughTheJarsReplayRoleAsNonRoot() throws IOException {
    Job job = (Job) Manifests.parse(Files.readString(Overlay.K8S_DIR.resolve("jobs/replay-elasticsearch.yaml")));
    Container container = job.getSpec().getTemplate().getSpec().getContainers().getFirst();

    Workloads.RoleInvocation invocation = Workloads.invocation(container);

    assertThat(invocation.role()).isEqualTo(Roles.REPLAY);
    assertThat(invocation.option("--connect-url")).hasToString("http://tributary-connect-connect-api:8083");
    assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .as("the Connect NetworkPolicy lets replay pods in by this label")
        .containsEntry("app.kubernetes.io/component", "replay");
  }
}
