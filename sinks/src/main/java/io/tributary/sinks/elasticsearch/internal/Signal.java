package io.tributary.sinks.elasticsearch.internal;

import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a topic carries, hence how its records are decoded and which data stream they go to:
 * {@code <type>-<dataset><suffix>-<namespace>}, e.g. {@code traces-tributary-acme}, and for alerts
 * {@code logs-tributary.alerts-acme}.
 */
public enum Signal {
  SPANS("spans", Span.class, "traces", ""),
  LOGS("logs", LogRecord.class, "logs", ""),
  METRICS("metrics", MetricPoint.class, "metrics", ""),
  ALERTS("alerts", Alert.class, "logs", ".alerts");

  private final String configName;
  private final Class<? extends SpecificRecord> avroType;
  private final String dataStreamType;
  private final String datasetSuffix;

  Signal(String configName, Class<? extends SpecificRecord> avroType, String dataStreamType, String datasetSuffix) {
    this.configName = configName;
    this.avroType = avroType;
    this.dataStreamType = dataStreamType;
    this.datasetSuffix = datasetSuffix;
  }

  /** The name used in the connector configuration ({@code spans}, {@code logs}, ...). */
  public String configName() {
    return configName;
  }

  public Class<? extends SpecificRecord> avroType() {
    return avroType;
  }

  /** The data stream type: {@code traces}, {@code logs} or {@code metrics}. */
  public String dataStreamType() {
    return dataStreamType;
  }

  /** The data stream's dataset for the configured base dataset, e.g. {@code tributary.alerts}. */
  public String dataset(String baseDataset) {
    return baseDataset + datasetSuffix;
  }

  /** Case-insensitive lookup by configuration name; throws naming the accepted values. */
  public static Signal forValue(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (Signal s : values()) {
      if (s.configName.equals(v)) {
        return s;
      }
    }
    throw new IllegalArgumentException("signal: '" + value + "' (expected: one of " + names() + ")");
  }

  /** The accepted configuration names, for messages. */
  public static String names() {
    return Arrays.stream(values()).map(Signal::configName).collect(Collectors.joining(", "));
  }
}
