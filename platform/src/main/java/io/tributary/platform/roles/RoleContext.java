package io.tributary.platform.roles;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the roles of one process share: the settings a command put there before starting, and what
 * started roles published for the ones after them (the broker's address, the running gateway).
 * Values are looked up by typed {@link Key}s that each role declares next to its code.
 */
public final class RoleContext {

  private final Map<Key<?>, Object> values = new ConcurrentHashMap<>();

  /** Sets {@code key} to {@code value}, replacing any earlier value. */
  public <T> RoleContext put(Key<T> key, T value) {
    values.put(requireNonNull(key, "key"), key.type().cast(requireNonNull(value, key.name())));
    return this;
  }

  public <T> Optional<T> find(Key<T> key) {
    return Optional.ofNullable(values.get(key)).map(key.type()::cast);
  }

  /** The value of {@code key}; failing means a command or an earlier role did not set it. */
  public <T> T require(Key<T> key) {
    return find(key).orElseThrow(() -> new IllegalStateException(
        key.name() + " is not set: the command or a role started earlier must provide it"));
  }

  /**
   * A typed name for one value of the context. Keys compare by identity: declare each once as a
   * constant.
   */
  public static final class Key<T> {
    private final String name;
    private final Class<T> type;

    private Key(String name, Class<T> type) {
      this.name = requireNonNull(name, "name");
      this.type = requireNonNull(type, "type");
    }

    public static <T> Key<T> of(String name, Class<T> type) {
      return new Key<>(name, type);
    }

    public String name() {
      return name;
    }

    Class<T> type() {
      return type;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
