package io.tributary.processors;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How redaction treats attribute keys that no rule names. */
public enum RedactionMode {
  /** Keys survive unless dropped or hashed; values are masked by pattern. */
  MASK("mask"),
  /**
   * Fails closed: only keys listed in {@code allow-keys} (or {@code hash-keys}, hashed) survive, at every
   * depth of nested values; every other key is dropped. Surviving values are still masked by pattern.
   */
  ALLOW_LIST("allow-list");

  private final String configValue;

  RedactionMode(String configValue) {
    this.configValue = configValue;
  }

  /** The name used in the YAML file. */
  public String configValue() {
    return configValue;
  }

  /** The mode named {@code value} in the YAML file (case-insensitive). */
  public static RedactionMode forValue(String value) {
    for (RedactionMode mode : values()) {
      if (mode.configValue.equalsIgnoreCase(value.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("mode: '" + value + "' (expected: " + allowedValues() + ")");
  }

  /** "one of mask, allow-list". */
  static String allowedValues() {
    return "one of " + Arrays.stream(values()).map(RedactionMode::configValue).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return configValue;
  }
}
