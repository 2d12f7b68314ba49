package io.tributary.platform.connect;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A connector to create (or update) on the worker once it runs: its name and configuration. */
public record ConnectorSpec(String name, Map<String, String> config) {
  public ConnectorSpec {
    requireNonNull(name, "name");
    config = Map.copyOf(config);
    if (!config.containsKey("connector.class")) {
      throw new IllegalArgumentException("connector " + name + ": connector.class missing");
    }
  }
}
