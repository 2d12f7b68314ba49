package io.tributary.alerting.internal.eval;

import io.tributary.schemas.avro.AlertState;

/**
 * The alert state machine, Prometheus's semantics on window ends:
 *
 * <pre>
 * INACTIVE --holds--> PENDING (activeAt)         or straight to FIRING when for is 0
 * PENDING  --holds, at - activeAt >= for--> FIRING (firedAt)
 * PENDING  --does not hold--> INACTIVE           (written, so readers can drop the pending alert)
 * FIRING   --does not hold for keep_firing_for since it last held--> RESOLVED (resolvedAt), then INACTIVE
 * </pre>
 *
 * RESOLVED is written, never stored: the group is INACTIVE again right after.
 */
final class AlertTransitions {

  /** A state change to write; times are epoch millis or {@link GroupState#NONE}. */
  record Change(AlertState state, long activeAt, long firedAt, long resolvedAt) {}

  private AlertTransitions() {}

  /** Applies one evaluation at {@code at} to {@code g}; the change to write, or null. */
  static Change step(GroupState g, boolean holds, long at, long forMs, long keepFiringForMs) {
    switch (g.state) {
      case INACTIVE, RESOLVED -> {
        if (!holds) {
          return null;
        }
        g.activeAt = at;
        if (forMs <= 0) {
          return fire(g, at);
        }
        g.state = AlertState.PENDING;
        return new Change(AlertState.PENDING, at, GroupState.NONE, GroupState.NONE);
      }
      case PENDING -> {
        if (holds) {
          return at - g.activeAt >= forMs ? fire(g, at) : null;
        }
        reset(g);
        return new Change(AlertState.INACTIVE, GroupState.NONE, GroupState.NONE, GroupState.NONE);
      }
      default -> { // FIRING
        if (holds) {
          g.lastTrueAt = at;
          return null;
        }
        if (keepFiringForMs > 0 && at - g.lastTrueAt < keepFiringForMs) {
          return null;
        }
        Change resolved = new Change(AlertState.RESOLVED, g.activeAt, g.firedAt, at);
        reset(g);
        return resolved;
      }
    }
  }

  private static Change fire(GroupState g, long at) {
    g.state = AlertState.FIRING;
    g.firedAt = at;
    g.lastTrueAt = at;
    return new Change(AlertState.FIRING, g.activeAt, at, GroupState.NONE);
  }

  private static void reset(GroupState g) {
    g.state = AlertState.INACTIVE;
    g.activeAt = GroupState.NONE;
    g.firedAt = GroupState.NONE;
    g.lastTrueAt = GroupState.NONE;
  }
}
