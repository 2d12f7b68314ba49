package io.tributary.platform.roles;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles a process started, stopped in reverse order on {@link #close()}: the gateway drains
 * before the broker it writes to goes away. Closing twice (shutdown hook and caller) is harmless.
 */
public final class StartedRoles implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StartedRoles.class);

  private final List<String> names = new ArrayList<>();
  private final List<AutoCloseable> stoppers = new ArrayList<>();

  StartedRoles() {}

  synchronized void add(String name, AutoCloseable stopper) {
    names.add(name);
    stoppers.add(stopper);
  }

  /** The started roles, in start order. */
  public synchronized List<String> names() {
    return List.copyOf(names);
  }

  /** Stops every role, last started first; a role failing to stop is logged and the others still stop. */
  @Override
  public synchronized void close() {
    for (int i = stoppers.size() - 1; i >= 0; i--) {
      String name = names.get(i);
      try {
        stoppers.get(i).close();
        log.debug("Role {} stopped", name);
      } catch (Exception e) {
        log.warn("Role {} did not stop cleanly", name, e);
      } catch (Error e) {
        log.error("Role {} failed while stopping", name, e);
      }
    }
    names.clear();
    stoppers.clear();
  }
}
