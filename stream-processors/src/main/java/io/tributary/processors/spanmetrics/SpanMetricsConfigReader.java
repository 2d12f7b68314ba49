package io.tributary.processors.spanmetrics;

import static io.tributary.processors.internal.ConfigValues.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.processors.internal.ConfigValues;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code span-metrics:} section into a {@link SpanMetricsConfig}. */
public final class SpanMetricsConfigReader {

  static final String ENABLED = "enabled";
  static final String TOPIC = "topic";
  static final String FLUSH_INTERVAL = "flush-interval";
  static final String DIMENSIONS = "dimensions";
  static final String ATTRIBUTE_DIMENSIONS = "attribute-dimensions";
  static final String HISTOGRAM_BOUNDS = "histogram-bounds";
  static final String SERIES_EXPIRY = "series-expiry";
  static final List<String> SPAN_METRICS_KEYS =
      List.of(ENABLED, TOPIC, FLUSH_INTERVAL, DIMENSIONS, ATTRIBUTE_DIMENSIONS, HISTOGRAM_BOUNDS, SERIES_EXPIRY);

  private final ConfigValues values;

  public SpanMetricsConfigReader(ConfigValues values) {
    this.values = values;
  }

  /** The section at {@code where}; the defaults when absent; null after a problem. */
  public SpanMetricsConfig read(JsonNode node, String where) {
    return values.section(node, where, SPAN_METRICS_KEYS, SpanMetricsConfig.getDefault(), () -> {
      SpanMetricsConfig.Builder builder = SpanMetricsConfig.builder();
      values.set(where, builder::enabled, values.bool(node.get(ENABLED), path(where, ENABLED)));
      values.set(where, builder::topic, values.text(node.get(TOPIC), path(where, TOPIC)));
      values.set(where, builder::flushInterval,
          values.duration(node.get(FLUSH_INTERVAL), path(where, FLUSH_INTERVAL)));
      values.set(where, builder::dimensions, dimensions(node.get(DIMENSIONS), path(where, DIMENSIONS), where));
      values.set(where, builder::attributeDimensions,
          values.texts(node.get(ATTRIBUTE_DIMENSIONS), path(where, ATTRIBUTE_DIMENSIONS)));
      values.set(where, builder::histogramBounds,
          values.durations(node.get(HISTOGRAM_BOUNDS), path(where, HISTOGRAM_BOUNDS)));
      values.set(where, builder::seriesExpiry, values.duration(node.get(SERIES_EXPIRY), path(where, SERIES_EXPIRY)));
      return builder::build;
    });
  }

  private List<SpanDimension> dimensions(JsonNode node, String where, String section) {
    List<String> names = values.texts(node, where);
    if (names == null) {
      return null;
    }
    List<SpanDimension> dimensions = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      try {
        dimensions.add(SpanDimension.forValue(names.get(i)));
      } catch (IllegalArgumentException e) {
        values.problem(where + "[" + i + "]", names.get(i), SpanDimension.allowedValues()
            + "; attribute keys go under " + path(section, ATTRIBUTE_DIMENSIONS));
        return null;
      }
    }
    return dimensions;
  }
}
