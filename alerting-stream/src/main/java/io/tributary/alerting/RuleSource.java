package io.tributary.alerting;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The signal an alert rule reads: processed spans, log records or metric points. */
public enum RuleSource {
  SPANS("spans"),
  LOGS("logs"),
  METRICS("metrics");

  private final String configName;

  RuleSource(String configName) {
    this.configName = configName;
  }

  /** As written in a rule file and in {@code Alert.source}. */
  public String configName() {
    return configName;
  }

  /** The source named {@code value} (case-insensitive), or null. */
  public static RuleSource forValue(String value) {
    for (RuleSource source : values()) {
      if (source.configName.equalsIgnoreCase(value == null ? "" : value.trim())) {
        return source;
      }
    }
    return null;
  }

  /** {@code spans, logs, metrics}. */
  public static String allowedValues() {
    return Arrays.stream(values()).map(RuleSource::configName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return configName;
  }
}
