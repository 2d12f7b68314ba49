package io.tributary.schemas.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Regroups converted items into one {@code Export*ServiceRequest}: one {@code Resource*} entry per
 * distinct resource, one {@code Scope*} entry per distinct scope within it, in first-seen order;
 * items keep their order within their group. Resource and scope are converted once per group, with
 * their schema URLs. Metrics of one scope that are the same metric (name, description, unit, data
 * kind, temporality, monotonicity) become one metric holding all their data points.
 */
public final class OtlpRequests {

  private OtlpRequests() {}

  public static ExportTraceServiceRequest traces(List<Scoped<Span>> spans) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    forEachGroup(spans, (resource, scopes) -> {
      ResourceSpans.Builder rs = request.addResourceSpansBuilder()
          .setResource(AvroToOtlp.resource(resource)).setSchemaUrl(orEmpty(resource.getSchemaUrl()));
      scopes.forEach((scope, items) -> rs.addScopeSpansBuilder()
          .setScope(AvroToOtlp.scope(scope)).setSchemaUrl(orEmpty(scope.getSchemaUrl())).addAllSpans(items));
    });
    return request.build();
  }

  public static ExportLogsServiceRequest logs(List<Scoped<LogRecord>> logs) {
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    forEachGroup(logs, (resource, scopes) -> {
      ResourceLogs.Builder rl = request.addResourceLogsBuilder()
          .setResource(AvroToOtlp.resource(resource)).setSchemaUrl(orEmpty(resource.getSchemaUrl()));
      scopes.forEach((scope, items) -> rl.addScopeLogsBuilder()
          .setScope(AvroToOtlp.scope(scope)).setSchemaUrl(orEmpty(scope.getSchemaUrl())).addAllLogRecords(items));
    });
    return request.build();
  }

  public static ExportMetricsServiceRequest metrics(List<Scoped<Metric>> metrics) {
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    forEachGroup(metrics, (resource, scopes) -> {
      ResourceMetrics.Builder rm = request.addResourceMetricsBuilder()
          .setResource(AvroToOtlp.resource(resource)).setSchemaUrl(orEmpty(resource.getSchemaUrl()));
      scopes.forEach((scope, items) -> rm.addScopeMetricsBuilder()
          .setScope(AvroToOtlp.scope(scope)).setSchemaUrl(orEmpty(scope.getSchemaUrl())).addAllMetrics(merge(items)));
    });
    return request.build();
  }

  /** The Avro spans converted ({@link AvroToOtlp#span}) and regrouped. */
  public static ExportTraceServiceRequest ofSpans(List<io.tributary.schemas.avro.Span> spans) {
    List<Scoped<Span>> scoped = new ArrayList<>(spans.size());
    for (io.tributary.schemas.avro.Span s : spans) {
      scoped.add(new Scoped<>(s.getResource(), s.getScope(), AvroToOtlp.span(s)));
    }
    return traces(scoped);
  }

  /** The Avro log records converted ({@link AvroToOtlp#logRecord}) and regrouped. */
  public static ExportLogsServiceRequest ofLogRecords(List<io.tributary.schemas.avro.LogRecord> logs) {
    List<Scoped<LogRecord>> scoped = new ArrayList<>(logs.size());
    for (io.tributary.schemas.avro.LogRecord log : logs) {
      scoped.add(new Scoped<>(log.getResource(), log.getScope(), AvroToOtlp.logRecord(log)));
    }
    return logs(scoped);
  }

  /** The Avro metric points converted ({@link AvroToOtlp#metric}), regrouped and merged into their metrics. */
  public static ExportMetricsServiceRequest ofMetricPoints(List<MetricPoint> points) {
    List<Scoped<Metric>> scoped = new ArrayList<>(points.size());
    for (MetricPoint point : points) {
      scoped.add(new Scoped<>(point.getResource(), point.getScope(), AvroToOtlp.metric(point)));
    }
    return metrics(scoped);
  }

  private static <T> void forEachGroup(List<Scoped<T>> items,
      BiConsumer<Resource, Map<InstrumentationScope, List<T>>> resourceGroup) {
    Map<Resource, Map<InstrumentationScope, List<T>>> groups = new LinkedHashMap<>();
    for (Scoped<T> item : items) {
      groups.computeIfAbsent(item.resource(), r -> new LinkedHashMap<>())
          .computeIfAbsent(item.scope(), s -> new ArrayList<>())
          .add(item.item());
    }
    groups.forEach(resourceGroup);
  }

  private static String orEmpty(String schemaUrl) {
    return schemaUrl == null ? "" : schemaUrl; // OTLP's "not given"
  }

  /** What makes two metrics of one scope the same metric, whose data points belong together. */
  private record Identity(String name, String description, String unit, Metric.DataCase kind, int temporality,
      boolean monotonic) {

    static Identity of(Metric m) {
      int temporality = switch (m.getDataCase()) {
        case SUM -> m.getSum().getAggregationTemporalityValue();
        case HISTOGRAM -> m.getHistogram().getAggregationTemporalityValue();
        case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporalityValue();
        case GAUGE, SUMMARY, DATA_NOT_SET -> 0;
      };
      boolean monotonic = m.getDataCase() == Metric.DataCase.SUM && m.getSum().getIsMonotonic();
      return new Identity(m.getName(), m.getDescription(), m.getUnit(), m.getDataCase(), temporality, monotonic);
    }
  }

  private static List<Metric> merge(List<Metric> metrics) {
    if (metrics.size() < 2) {
      return metrics;
    }
    Map<Identity, Metric.Builder> merged = new LinkedHashMap<>();
    for (Metric m : metrics) {
      Metric.Builder into = merged.get(Identity.of(m));
      if (into == null) {
        merged.put(Identity.of(m), m.toBuilder());
        continue;
      }
      switch (m.getDataCase()) {
        case GAUGE -> into.getGaugeBuilder().addAllDataPoints(m.getGauge().getDataPointsList());
        case SUM -> into.getSumBuilder().addAllDataPoints(m.getSum().getDataPointsList());
        case HISTOGRAM -> into.getHistogramBuilder().addAllDataPoints(m.getHistogram().getDataPointsList());
        case EXPONENTIAL_HISTOGRAM -> into.getExponentialHistogramBuilder()
            .addAllDataPoints(m.getExponentialHistogram().getDataPointsList());
        case SUMMARY -> into.getSummaryBuilder().addAllDataPoints(m.getSummary().getDataPointsList());
        case DATA_NOT_SET -> { } // nothing to add
      }
    }
    List<Metric> result = new ArrayList<>(merged.size());
    merged.values().forEach(b -> result.add(b.build()));
    return result;
  }
}
