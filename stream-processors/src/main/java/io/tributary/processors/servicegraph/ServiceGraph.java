package io.tributary.processors.servicegraph;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.servicegraph.internal.Edge;
import io.tributary.processors.servicegraph.internal.EdgePairer;
import io.tributary.processors.servicegraph.internal.EdgeSeries;
import io.tributary.processors.spanmetrics.internal.Aggregation;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.SerdeConfig;
import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The service graph step: pairs each client or producer span with the server or consumer span it
 * called (before tail sampling, so counts stay exact when most traces are dropped; exact because
 * every span of a trace reaches one task) and counts the requests per edge, written as cumulative
 * OpenTelemetry metric points with the names and labels of the Collector's servicegraph connector
 * and Tempo's metrics generator, so Grafana's service graph reads them:
 *
 * <ul>
 *   <li>{@value #REQUEST_METRIC}, {@value #FAILED_METRIC} (the latter once an edge has a failure): SUM,
 *       monotonic, cumulative;
 *   <li>{@value #CLIENT_SECONDS_METRIC}, {@value #SERVER_SECONDS_METRIC}: HISTOGRAM, unit {@code s}, the
 *       duration of the client and the server span of each request (a side without a span, a virtual
 *       node, adds nothing to its histogram).
 * </ul>
 *
 * <p>Attributes {@code client}, {@code server} and {@code connection_type} ({@code messaging_system},
 * {@code database}, or absent for a direct call); no resource; scope {@value #SCOPE_NAME}; the tenant
 * is the spans'. Three steps: pairing ({@code <pipeline>-service-graph-pairs}, store {@value EdgePairer#STORE}),
 * then span metrics' two-stage aggregation (stores {@value #LOCAL_STORE}, {@value #SERIES_STORE}, repartition
 * topic {@code <application.id>-<pipeline>-service-graph-deltas-repartition}), so one cumulative series per
 * edge however many instances count. All stores are persistent and changelogged.
 */
public final class ServiceGraph {

  public static final String REQUEST_METRIC = "traces_service_graph_request_total";
  public static final String FAILED_METRIC = "traces_service_graph_request_failed_total";
  public static final String CLIENT_SECONDS_METRIC = "traces_service_graph_request_client_seconds";
  public static final String SERVER_SECONDS_METRIC = "traces_service_graph_request_server_seconds";
  /** The instrumentation scope of the points. */
  public static final String SCOPE_NAME = "tributary.servicegraph";
  public static final String LOCAL_STORE = "service-graph-local";
  public static final String SERIES_STORE = "service-graph-series";

  private ServiceGraph() {}

  /**
   * Pairs and counts {@code spans}, the spans of one request per record (which go on unchanged: this is
   * a branch), writing to {@link ServiceGraphConfig#topic()}; nothing when disabled.
   */
  public static void count(KStream<String, List<Span>> spans, String pipeline, ServiceGraphConfig config,
      SerdeConfig serde, ServiceGraphStats stats) {
    requireNonNull(spans, "spans");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(config, "config");
    requireNonNull(serde, "serde");
    requireNonNull(stats, "stats");
    if (!config.enabled()) {
      return;
    }
    KStream<String, Edge> edges = spans.process(EdgePairer.supplier(config, stats.counters()),
        Named.as(pipeline + "-service-graph-pairs"));
    new Aggregation(pipeline + "-service-graph", LOCAL_STORE, SERIES_STORE, config.flushInterval(),
        config.seriesExpiry(), config.histogramBoundsSeconds(), stats.counters().aggregation, EdgeSeries::points)
        .apply(edges, EdgeSeries::observe, config.topic(), serde);
  }
}
