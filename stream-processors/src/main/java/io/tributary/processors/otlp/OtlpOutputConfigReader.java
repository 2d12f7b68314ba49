package io.tributary.processors.otlp;

import static io.tributary.processors.internal.ConfigValues.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.processors.internal.ConfigValues;
import io.tributary.schemas.Signal;
import java.util.List;

/** Reads the {@code otlp-output:} section into an {@link OtlpOutputConfig}: one boolean per signal. */
public final class OtlpOutputConfigReader {

  static final String TRACES = Signal.TRACES.id();
  static final String LOGS = Signal.LOGS.id();
  static final String METRICS = Signal.METRICS.id();
  static final List<String> OTLP_OUTPUT_KEYS = List.of(TRACES, LOGS, METRICS);

  private final ConfigValues values;

  public OtlpOutputConfigReader(ConfigValues values) {
    this.values = values;
  }

  /** The section at {@code where}; the defaults when absent; null after a problem. */
  public OtlpOutputConfig read(JsonNode node, String where) {
    return values.section(node, where, OTLP_OUTPUT_KEYS, OtlpOutputConfig.getDefault(), () -> {
      OtlpOutputConfig.Builder builder = OtlpOutputConfig.builder();
      values.set(where, builder::traces, values.bool(node.get(TRACES), path(where, TRACES)));
      values.set(where, builder::logs, values.bool(node.get(LOGS), path(where, LOGS)));
      values.set(where, builder::metrics, values.bool(node.get(METRICS), path(where, METRICS)));
      return builder::build;
    });
  }
}
