package io.tributary.platform.roles;

/** Starts one role. */
@FunctionalInterface
public interface RoleStarter {

  /** For roles that have nothing to start themselves (tools, pure unions). */
  RoleStarter NOTHING = context -> () -> {};

  /**
   * Starts the role, reading its settings and what its dependencies published from
   * {@code context}, and publishing there what later roles need.
   *
   * @return what stops the role again; it is closed once, after every role that started later
   */
  AutoCloseable start(RoleContext context) throws Exception;
}
