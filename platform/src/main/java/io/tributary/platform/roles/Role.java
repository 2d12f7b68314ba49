package io.tributary.platform.roles;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One role of the {@code tributary} command.
 *
 * @param name the role name, also its sub-command name
 * @param kind what the role is for
 * @param dependencies roles started before this one in the same process, in this order
 * @param starter what starts it
 * @param command the picocli command class of a visible role, {@code null} for infrastructure
 */
public record Role(String name, RoleKind kind, List<String> dependencies, RoleStarter starter, Class<?> command) {

  public Role {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(starter, "starter");
    dependencies = List.copyOf(dependencies);
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: lowercase letters, digits and '-')");
    }
    if (kind.visible() != (command != null)) {
      throw new IllegalArgumentException(name + ": a " + kind + " role "
          + (kind.visible() ? "needs a command class" : "has no command class"));
    }
  }
}
