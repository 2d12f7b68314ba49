package io.tributary.processors.metrics;

import static io.tributary.processors.internal.ConfigValues.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.processors.internal.ConfigValues;
import java.util.List;

/** Reads the {@code cardinality:} section into a {@link CardinalityConfig}. */
public final class CardinalityConfigReader {

  static final String ENABLED = "enabled";
  static final String MAX_SERIES_PER_METRIC = "max-series-per-metric";
  static final String SERIES_EXPIRY = "series-expiry";
  static final String CHECK_INTERVAL = "check-interval";
  static final List<String> CARDINALITY_KEYS = List.of(ENABLED, MAX_SERIES_PER_METRIC, SERIES_EXPIRY, CHECK_INTERVAL);

  private final ConfigValues values;

  public CardinalityConfigReader(ConfigValues values) {
    this.values = values;
  }

  /** The section at {@code where}; the defaults when absent; null after a problem. */
  public CardinalityConfig read(JsonNode node, String where) {
    return values.section(node, where, CARDINALITY_KEYS, CardinalityConfig.getDefault(), () -> {
      CardinalityConfig.Builder builder = CardinalityConfig.builder();
      values.set(where, builder::enabled, values.bool(node.get(ENABLED), path(where, ENABLED)));
      values.set(where, builder::maxSeriesPerMetric,
          values.integer(node.get(MAX_SERIES_PER_METRIC), path(where, MAX_SERIES_PER_METRIC)));
      values.set(where, builder::seriesExpiry, values.duration(node.get(SERIES_EXPIRY), path(where, SERIES_EXPIRY)));
      values.set(where, builder::checkInterval,
          values.duration(node.get(CHECK_INTERVAL), path(where, CHECK_INTERVAL)));
      return builder::build;
    });
  }
}
