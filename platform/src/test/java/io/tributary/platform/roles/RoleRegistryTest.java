package io.tributary.platform.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleRegistryTest {

  private final List<String> events = new ArrayList<>();

  private RoleStarter recording(String name) {
    return context -> {
      events.add("start " + name);
      return () -> events.add("stop " + name);
    };
  }

  @Test
  void shouldStartDependenciesFirstInListedOrderAndStopInReverse() throws Exception {
    RoleRegistry registry = RoleRegistry.builder()
        .infrastructure("broker", recording("broker"))
        .service("topics", Object.class, recording("topics"), "broker")
        .service("gateway", Object.class, recording("gateway"), "broker")
        .union("dev", Object.class, recording("dev"), "broker")
        .build();

    try (StartedRoles started = registry.start("dev", new RoleContext())) {
      assertThat(started.names()).containsExactly("broker", "topics", "gateway", "dev");
    }

    assertThat(events).containsExactly("start broker", "start topics", "start gateway", "start dev",
        "stop dev", "stop gateway", "stop topics", "stop broker");
  }

  @Test
  void shouldMakeTheUnionDependOnEveryServiceButNoTool() {
    RoleRegistry registry = RoleRegistry.builder()
        .infrastructure("broker", RoleStarter.NOTHING)
        .service("gateway", Object.class, RoleStarter.NOTHING)
        .tool("loadgen", Object.class)
        .union("dev", Object.class, RoleStarter.NOTHING, "broker")
        .service("processor", Object.class, RoleStarter.NOTHING)
        .build();

    assertThat(registry.role("dev").dependencies()).containsExactly("broker", "gateway", "processor");
    assertThat(registry.visibleRoles()).extracting(Role::name).containsExactly("gateway", "loadgen", "dev", "processor");
  }

  @Test
  void shouldRejectACycleNamingIt() {
    RoleRegistry.Builder builder = RoleRegistry.builder()
        .infrastructure("a", RoleStarter.NOTHING, "b")
        .infrastructure("b", RoleStarter.NOTHING, "c")
        .infrastructure("c", RoleStarter.NOTHING, "a");

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("Role dependency cycle: a -> b -> c -> a");
  }

  @Test
  void shouldRejectAnUnknownDependency() {
    RoleRegistry.Builder builder = RoleRegistry.builder().service("gateway", Object.class, RoleStarter.NOTHING, "kafka");

    assertThatThrownBy(builder::build).hasMessage("gateway depends on unknown role 'kafka'");
  }

  @Test
  void shouldRejectARoleRegisteredTwice() {
    RoleRegistry.Builder builder = RoleRegistry.builder().tool("loadgen", Object.class);

    assertThatThrownBy(() -> builder.tool("loadgen", Object.class)).hasMessage("role: 'loadgen' is registered twice");
  }

  @Test
  void shouldStopWhatStartedWhenALaterRoleFails() {
    RoleRegistry registry = RoleRegistry.builder()
        .infrastructure("broker", recording("broker"))
        .service("gateway", Object.class, context -> {
          throw new IllegalStateException("port taken");
        }, "broker")
        .build();

    assertThatThrownBy(() -> registry.start("gateway", new RoleContext())).hasMessage("port taken");
    assertThat(events).containsExactly("start broker", "stop broker");
  }

  @Test
  void shouldKeepStoppingWhenOneRoleFailsToStop() throws Exception {
    RoleRegistry registry = RoleRegistry.builder()
        .infrastructure("broker", recording("broker"))
        .service("gateway", Object.class, context -> () -> {
          throw new IllegalStateException("stuck");
        }, "broker")
        .build();

    StartedRoles started = registry.start("gateway", new RoleContext());
    started.close();
    started.close();

    assertThat(events).containsExactly("start broker", "stop broker");
  }

  @Test
  void shouldNameTheMissingContextValue() {
    RoleContext.Key<String> key = RoleContext.Key.of("Kafka bootstrap servers", String.class);

    assertThatThrownBy(() -> new RoleContext().require(key)).hasMessageStartingWith("Kafka bootstrap servers is not set");
    assertThat(new RoleContext().put(key, "127.0.0.1:9092").require(key)).isEqualTo("127.0.0.1:9092");
  }

  @Test
  void shouldRejectAVisibleRoleWithoutCommand() {
    assertThatThrownBy(() -> new Role("gateway", RoleKind.SERVICE, List.of(), RoleStarter.NOTHING, null))
        .hasMessage("gateway: a SERVICE role needs a command class");
    assertThatThrownBy(() -> new Role("Gateway", RoleKind.TOOL, List.of(), RoleStarter.NOTHING, Object.class))
        .hasMessageStartingWith("name: 'Gateway'");
  }
}
