package io.tributary.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.roles.Role;
import io.tributary.platform.roles.RoleKind;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RolesTest {

  @Test
  void shouldHaveNoCycles() {
    for (Role role : Roles.REGISTRY.roles()) {
      // startOrder throws on a cycle; every role must come last in its own order.
      assertThat(Roles.REGISTRY.startOrder(role.name())).last().isEqualTo(role);
    }
  }

  @Test
  void shouldStartEveryServiceRoleAndTheBrokerInDev() {
    Set<String> reached = names(Roles.REGISTRY.startOrder(Roles.DEV));

    for (Role role : Roles.REGISTRY.roles()) {
      if (role.kind() == RoleKind.SERVICE || role.kind() == RoleKind.INFRASTRUCTURE) {
        assertThat(reached).as("dev starts %s", role.name()).contains(role.name());
      }
    }
    assertThat(reached).as("dev never starts a tool").doesNotContain(Roles.LOADGEN);
    assertThat(reached).as("nor what needs a Kubernetes API").doesNotContain(Roles.K8S_METADATA);
    assertThat(Roles.REGISTRY.startOrder(Roles.DEV)).extracting(Role::name)
        .as("the broker first, the topics before the gateway, the banner last")
        .containsSubsequence(Roles.EMBEDDED_KAFKA, Roles.TOPICS, Roles.GATEWAY, Roles.DEV);
  }

  @Test
  void shouldMakeEveryVisibleRoleASubcommandAndNoHiddenOne() {
    CommandLine commandLine = Tributary.commandLine(name -> null);

    Set<String> visible = Roles.REGISTRY.visibleRoles().stream().map(Role::name).collect(Collectors.toSet());
    assertThat(commandLine.getSubcommands().keySet()).containsExactlyInAnyOrderElementsOf(visible);
    assertThat(visible).contains(Roles.DEV, Roles.GATEWAY, Roles.TOPICS, Roles.LOADGEN, Roles.K8S_METADATA)
        .doesNotContain(Roles.EMBEDDED_KAFKA);
    for (String name : visible) {
      assertThat(commandLine.getSubcommands().get(name).getCommandName()).isEqualTo(name);
    }
  }

  @Test
  void shouldNotStartTheEmbeddedBrokerForTheGatewayAlone() {
    assertThat(names(Roles.REGISTRY.startOrder(Roles.GATEWAY))).containsExactly(Roles.GATEWAY);
  }

  private static Set<String> names(java.util.List<Role> roles) {
    return roles.stream().map(Role::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }
}
