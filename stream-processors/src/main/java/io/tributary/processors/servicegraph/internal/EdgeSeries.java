package io.tributary.processors.servicegraph.internal;

import io.tributary.processors.servicegraph.ServiceGraph;
import io.tributary.processors.spanmetrics.internal.Aggregation;
import io.tributary.processors.spanmetrics.internal.SeriesKey;
import io.tributary.processors.spanmetrics.internal.SeriesState;
import io.tributary.processors.spanmetrics.internal.SpanCounts;
import io.tributary.processors.spanmetrics.internal.SpanMetricPoints;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import java.util.ArrayList;
import java.util.List;

/**
 * An edge's three series in the aggregation and their points: {@code request} (requests, failed
 * ones), {@code client} and {@code server} (the latency histogram of each side that had a span). The
 * series key is (tenant, client, server, connection_type, side).
 */
public final class EdgeSeries {

  static final String CLIENT = "client";
  static final String SERVER = "server";
  static final String CONNECTION_TYPE = "connection_type";
  static final String SIDE = "side";
  static final String REQUEST = "request";

  private EdgeSeries() {}

  /** What one edge adds: a request, and each side's duration. */
  public static void observe(Edge edge, Aggregation.Observer out) {
    out.add(key(edge, REQUEST), 0, edge.failed());
    if (!Double.isNaN(edge.clientSeconds())) {
      out.add(key(edge, CLIENT), edge.clientSeconds(), edge.failed());
    }
    if (!Double.isNaN(edge.serverSeconds())) {
      out.add(key(edge, SERVER), edge.serverSeconds(), edge.failed());
    }
  }

  private static String key(Edge edge, String side) {
    return SeriesKey.encode(edge.tenant(), CLIENT, edge.client(), SERVER, edge.server(), CONNECTION_TYPE,
        edge.connectionType(), SIDE, side);
  }

  /** The points of one series; none for a key that is not an edge's. */
  public static List<MetricPoint> points(SeriesKey series, SeriesState state, long timeMs, double[] bounds) {
    String client = series.value(CLIENT);
    String server = series.value(SERVER);
    String connectionType = series.value(CONNECTION_TYPE);
    String side = series.value(SIDE);
    if (client == null || server == null || connectionType == null || side == null) {
      return List.of();
    }
    List<KeyValue> attributes = new ArrayList<>(3);
    attributes.add(new KeyValue(CLIENT, new AnyValue(client)));
    attributes.add(new KeyValue(SERVER, new AnyValue(server)));
    if (!connectionType.isEmpty()) { // as in Prometheus, where an empty label is no label
      attributes.add(new KeyValue(CONNECTION_TYPE, new AnyValue(connectionType)));
    }
    SpanCounts counts = state.counts();
    List<MetricPoint> points = new ArrayList<>(2);
    switch (side) {
      case REQUEST -> {
        points.add(point(series, attributes, state, timeMs, ServiceGraph.REQUEST_METRIC,
            "Requests between two services, before sampling", "{request}", MetricType.SUM, true,
            new NumberValue(counts.calls())));
        if (counts.errors() > 0) { // like a labelled counter: the series appears with its first failure
          points.add(point(series, attributes, state, timeMs, ServiceGraph.FAILED_METRIC,
              "Requests where the client or server span failed, before sampling", "{request}", MetricType.SUM, true,
              new NumberValue(counts.errors())));
        }
      }
      case CLIENT, SERVER -> {
        HistogramValue histogram = SpanMetricPoints.histogram(counts, bounds);
        if (histogram != null) { // else counted under other bounds (a config change)
          points.add(point(series, attributes, state, timeMs,
              side.equals(CLIENT) ? ServiceGraph.CLIENT_SECONDS_METRIC : ServiceGraph.SERVER_SECONDS_METRIC,
              "Duration of the " + side + " span of requests between two services, before sampling", "s",
              MetricType.HISTOGRAM, null, histogram));
        }
      }
      default -> { }
    }
    return points;
  }

  private static MetricPoint point(SeriesKey series, List<KeyValue> attributes, SeriesState state, long timeMs,
      String name, String description, String unit, MetricType type, Boolean monotonic, Object value) {
    return SpanMetricPoints.point(ServiceGraph.SCOPE_NAME, series.tenant(), List.of(), attributes, state, timeMs,
        name, description, unit, type, monotonic, value);
  }
}
