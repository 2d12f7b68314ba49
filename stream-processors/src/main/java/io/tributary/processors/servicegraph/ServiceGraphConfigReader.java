package io.tributary.processors.servicegraph;

import static io.tributary.processors.internal.ConfigValues.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.processors.internal.ConfigValues;
import java.util.List;

/** Reads the {@code service-graph:} section into a {@link ServiceGraphConfig}. */
public final class ServiceGraphConfigReader {

  static final String ENABLED = "enabled";
  static final String TOPIC = "topic";
  static final String WAIT = "wait";
  static final String FLUSH_INTERVAL = "flush-interval";
  static final String HISTOGRAM_BOUNDS = "histogram-bounds";
  static final String SERIES_EXPIRY = "series-expiry";
  static final List<String> SERVICE_GRAPH_KEYS =
      List.of(ENABLED, TOPIC, WAIT, FLUSH_INTERVAL, HISTOGRAM_BOUNDS, SERIES_EXPIRY);

  private final ConfigValues values;

  public ServiceGraphConfigReader(ConfigValues values) {
    this.values = values;
  }

  /** The section at {@code where}; the defaults when absent; null after a problem. */
  public ServiceGraphConfig read(JsonNode node, String where) {
    return values.section(node, where, SERVICE_GRAPH_KEYS, ServiceGraphConfig.getDefault(), () -> {
      ServiceGraphConfig.Builder builder = ServiceGraphConfig.builder();
      values.set(where, builder::enabled, values.bool(node.get(ENABLED), path(where, ENABLED)));
      values.set(where, builder::topic, values.text(node.get(TOPIC), path(where, TOPIC)));
      values.set(where, builder::pairingWait, values.duration(node.get(WAIT), path(where, WAIT)));
      values.set(where, builder::flushInterval,
          values.duration(node.get(FLUSH_INTERVAL), path(where, FLUSH_INTERVAL)));
      values.set(where, builder::histogramBounds,
          values.durations(node.get(HISTOGRAM_BOUNDS), path(where, HISTOGRAM_BOUNDS)));
      values.set(where, builder::seriesExpiry, values.duration(node.get(SERIES_EXPIRY), path(where, SERIES_EXPIRY)));
      return builder::build;
    });
  }
}
