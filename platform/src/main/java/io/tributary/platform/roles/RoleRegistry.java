package io.tributary.platform.roles;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every role of the {@code tributary} command with its start function and dependencies. Starting a
 * role starts its dependencies first (each once, depth first, in the order they are listed) and
 * returns a handle that stops all of them in reverse order.
 *
 * <p>A union role ({@code dev}) depends on the roles it names and then on every {@link RoleKind#SERVICE}
 * role, so registering a new service adds it to {@code dev} as well.
 */
public final class RoleRegistry {

  private static final Logger log = LoggerFactory.getLogger(RoleRegistry.class);

  private final Map<String, Role> roles;

  private RoleRegistry(Map<String, Role> roles) {
    this.roles = Collections.unmodifiableMap(roles);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every role, in registration order. */
  public List<Role> roles() {
    return List.copyOf(roles.values());
  }

  /** The roles that are sub-commands, in registration order. */
  public List<Role> visibleRoles() {
    return roles.values().stream().filter(r -> r.kind().visible()).toList();
  }

  public Optional<Role> find(String name) {
    return Optional.ofNullable(roles.get(name));
  }

  public Role role(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(
        "role: '" + name + "' (expected one of: " + String.join(", ", roles.keySet()) + ")"));
  }

  /** {@code target} and everything it depends on, dependencies first, each once. */
  public List<Role> startOrder(String target) {
    List<Role> order = new ArrayList<>();
    visit(role(target), new LinkedHashSet<>(), new LinkedHashSet<>(), order, roles);
    return order;
  }

  /**
   * Starts {@code target} and its dependencies. If one fails to start, the ones already started are
   * stopped again before the failure is rethrown.
   */
  public StartedRoles start(String target, RoleContext context) throws Exception {
    StartedRoles started = new StartedRoles();
    try {
      for (Role role : startOrder(target)) {
        long begin = System.nanoTime();
        log.debug("Starting role {}", role.name());
        AutoCloseable stopper = role.starter().start(context);
        started.add(role.name(), stopper);
        log.debug("Role {} started in {} ms", role.name(), (System.nanoTime() - begin) / 1_000_000);
      }
    } catch (Exception | Error e) {
      started.close();
      throw e;
    }
    return started;
  }

  private static void visit(Role role, Set<String> visiting, Set<String> done, List<Role> order,
      Map<String, Role> roles) {
    if (done.contains(role.name())) {
      return;
    }
    if (!visiting.add(role.name())) {
      List<String> cycle = new ArrayList<>(visiting);
      cycle = cycle.subList(cycle.indexOf(role.name()), cycle.size());
      throw new IllegalStateException("Role dependency cycle: " + String.join(" -> ", cycle) + " -> " + role.name());
    }
    for (String dependency : role.dependencies()) {
      visit(roles.get(dependency), visiting, done, order, roles);
    }
    visiting.remove(role.name());
    done.add(role.name());
    order.add(role);
  }

  /** Collects roles; {@link #build()} checks that every dependency exists and that there is no cycle. */
  public static final class Builder {
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, List<String>> unions = new LinkedHashMap<>();

    Builder() {}

    /** Shared machinery started in-process for the roles that depend on it; not a sub-command. */
    public Builder infrastructure(String name, RoleStarter starter, String... dependencies) {
      return add(new Role(name, RoleKind.INFRASTRUCTURE, Arrays.asList(dependencies), starter, null));
    }

    /** A part of the platform: a sub-command, and started by every union role. */
    public Builder service(String name, Class<?> command, RoleStarter starter, String... dependencies) {
      return add(new Role(name, RoleKind.SERVICE, Arrays.asList(dependencies), starter, command));
    }

    /**
     * A part of the platform that needs what only a cluster has (the Kubernetes API): a sub-command
     * that union roles do not start.
     */
    public Builder clusterService(String name, Class<?> command, RoleStarter starter, String... dependencies) {
      return add(new Role(name, RoleKind.CLUSTER_SERVICE, Arrays.asList(dependencies), starter, command));
    }

    /** A client run on demand: a sub-command that union roles do not start. */
    public Builder tool(String name, Class<?> command) {
      return add(new Role(name, RoleKind.TOOL, List.of(), RoleStarter.NOTHING, command));
    }

    /**
     * A role that starts {@code first}, then every service role (in registration order), then
     * itself ({@code starter}, e.g. to say what is running).
     */
    public Builder union(String name, Class<?> command, RoleStarter starter, String... first) {
      add(new Role(name, RoleKind.TARGET, List.of(), starter, command));
      unions.put(name, List.of(first));
      return this;
    }

    private Builder add(Role role) {
      if (roles.putIfAbsent(role.name(), role) != null) {
        throw new IllegalArgumentException("role: '" + role.name() + "' is registered twice");
      }
      return this;
    }

    public RoleRegistry build() {
      Map<String, Role> resolved = new LinkedHashMap<>(roles);
      unions.forEach((name, first) -> {
        Set<String> dependencies = new LinkedHashSet<>(first);
        roles.values().stream().filter(r -> r.kind() == RoleKind.SERVICE).forEach(r -> dependencies.add(r.name()));
        Role union = roles.get(name);
        resolved.put(name, new Role(name, union.kind(), List.copyOf(dependencies), union.starter(), union.command()));
      });
      for (Role role : resolved.values()) {
        for (String dependency : role.dependencies()) {
          if (!resolved.containsKey(requireNonNull(dependency, "dependency"))) {
            throw new IllegalArgumentException(role.name() + " depends on unknown role '" + dependency + "'");
          }
        }
      }
      Set<String> done = new LinkedHashSet<>();
      for (Role role : resolved.values()) {
        visit(role, new LinkedHashSet<>(), done, new ArrayList<>(), resolved);
      }
      return new RoleRegistry(resolved);
    }
  }
}
