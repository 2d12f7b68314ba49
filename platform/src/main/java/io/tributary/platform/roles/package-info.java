/**
 * The role machinery behind {@code tributary <role>}: roles with their start functions and
 * dependencies ({@link io.tributary.platform.roles.RoleRegistry}), the context through which started
 * roles hand each other what they made ({@link io.tributary.platform.roles.RoleContext}), and the
 * handle that stops them in reverse order ({@link io.tributary.platform.roles.StartedRoles}).
 */
package io.tributary.platform.roles;
