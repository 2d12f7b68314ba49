package io.tributary.processors.sampling;

/** Which span of a trace starts its {@code decision-wait}. */
public enum DecisionWaitFrom {
  /**
   * The first span seen (the OpenTelemetry Collector's semantics): a trace is decided a fixed time
   * after it began to arrive, however many spans follow.
   */
  FIRST,
  /**
   * The latest span seen: every new span pushes the decision back, so a trace is decided once it has
   * been quiet for {@code decision-wait}. Catches long traces whole, at the cost of holding them longer.
   */
  LAST;

  /** The name used in the YAML file. */
  public String configValue() {
    return ConfigNames.configValue(this);
  }

  /** The value named {@code value} in the YAML file (case-insensitive). */
  public static DecisionWaitFrom forValue(String value) {
    return ConfigNames.forValue(DecisionWaitFrom.class, "decisionWaitFrom", value);
  }

  /** "one of first, last". */
  public static String allowedValues() {
    return ConfigNames.allowedValues(DecisionWaitFrom.class);
  }

  @Override
  public String toString() {
    return configValue();
  }
}
