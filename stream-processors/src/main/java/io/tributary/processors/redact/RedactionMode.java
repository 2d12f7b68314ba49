package io.tributary.processors.redact;

import io.tributary.processors.internal.ConfigChecks;

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
    return ConfigChecks.choice("mode", value, values(), RedactionMode::configValue);
  }

  /** "one of mask, allow-list". */
  static String allowedValues() {
    return ConfigChecks.oneOf(values(), RedactionMode::configValue);
  }

  @Override
  public String toString() {
    return configValue;
  }
}
