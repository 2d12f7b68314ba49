package io.tributary.alerting;

import io.tributary.schemas.Signal;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What an alert rule reads: the processed records of a {@link Signal} that has a pipeline, spans, log
 * records or metric points (alerts are this application's output, never a rule's source).
 */
public enum RuleSource {
  SPANS(Signal.TRACES),
  LOGS(Signal.LOGS),
  METRICS(Signal.METRICS);

  private final Signal signal;
  private final String configName;

  RuleSource(Signal signal) {
    this.signal = signal;
    this.configName = signal.recordsName();
  }

  /** The signal whose processed records the rule reads: its topic and Avro class. */
  public Signal signal() {
    return signal;
  }

  /** As written in a rule file and in {@code Alert.source}: the signal's {@link Signal#recordsName()}. */
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
