package io.tributary.processors.spanmetrics;

import io.tributary.processors.internal.ConfigChecks;

/**
 * The span fields span metrics can be split by, named as the OpenTelemetry Collector's spanmetrics
 * connector names them. {@link #SERVICE_NAME} goes on the metric points' resource, the others on
 * their attributes, with the connector's values ({@code SPAN_KIND_SERVER}, {@code STATUS_CODE_ERROR}).
 */
public enum SpanDimension {
  SERVICE_NAME("service.name"),
  SPAN_NAME("span.name"),
  SPAN_KIND("span.kind"),
  STATUS_CODE("status.code");

  private final String key;

  SpanDimension(String key) {
    this.key = key;
  }

  /** The attribute key on the metric points, also the name in the YAML file. */
  public String key() {
    return key;
  }

  /** The dimension named {@code value} in the YAML file. */
  public static SpanDimension forValue(String value) {
    for (SpanDimension dimension : values()) {
      if (dimension.key.equals(value.trim())) {
        return dimension;
      }
    }
    throw new IllegalArgumentException(ConfigChecks.problem("dimensions", value, allowedValues()));
  }

  /** "one of service.name, span.name, span.kind, status.code". */
  public static String allowedValues() {
    return ConfigChecks.oneOf(values(), SpanDimension::key);
  }

  @Override
  public String toString() {
    return key;
  }
}
