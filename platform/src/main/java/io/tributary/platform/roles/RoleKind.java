package io.tributary.platform.roles;

/** What a role is for; decides whether it is a sub-command and whether {@code dev} runs it. */
public enum RoleKind {
  /** Shared machinery other roles need in the same process (the embedded broker); not a sub-command. */
  INFRASTRUCTURE,
  /** A part of the platform (gateway, topic set-up, processors...); {@code dev} runs every one. */
  SERVICE,
  /** A part of the platform that runs only in a cluster (k8s-metadata); a sub-command that {@code dev} never starts. */
  CLUSTER_SERVICE,
  /** A client run on demand (traffic generator, replay); a sub-command that {@code dev} never starts. */
  TOOL,
  /** A union of other roles started together ({@code dev}). */
  TARGET;

  /** Whether the role is a sub-command of {@code tributary}. */
  public boolean visible() {
    return this != INFRASTRUCTURE;
  }
}
