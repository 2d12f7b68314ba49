package io.tributary.interop;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP requests flattened into one request per item (span, log record, metric) under its resource and
 * scope, schema URLs included: two sides that batch differently (a Collector, the gateway's split by
 * trace) compare equal field by field when they carry the same items.
 */
final class OtlpItems {

  private OtlpItems() {}

  static List<ExportTraceServiceRequest> spans(List<ExportTraceServiceRequest> requests) {
    List<ExportTraceServiceRequest> items = new ArrayList<>();
    for (ExportTraceServiceRequest request : requests) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          ss.getSpansList().forEach(span -> items.add(ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(rs.toBuilder().clearScopeSpans()
                  .addScopeSpans(ss.toBuilder().clearSpans().addSpans(span)))
              .build()));
        }
      }
    }
    return items;
  }

  static List<ExportLogsServiceRequest> logRecords(List<ExportLogsServiceRequest> requests) {
    List<ExportLogsServiceRequest> items = new ArrayList<>();
    for (ExportLogsServiceRequest request : requests) {
      for (ResourceLogs rl : request.getResourceLogsList()) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          sl.getLogRecordsList().forEach(record -> items.add(ExportLogsServiceRequest.newBuilder()
              .addResourceLogs(rl.toBuilder().clearScopeLogs()
                  .addScopeLogs(sl.toBuilder().clearLogRecords().addLogRecords(record)))
              .build()));
        }
      }
    }
    return items;
  }

  static List<ExportMetricsServiceRequest> metrics(List<ExportMetricsServiceRequest> requests) {
    List<ExportMetricsServiceRequest> items = new ArrayList<>();
    for (ExportMetricsServiceRequest request : requests) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          sm.getMetricsList().forEach(metric -> items.add(ExportMetricsServiceRequest.newBuilder()
              .addResourceMetrics(rm.toBuilder().clearScopeMetrics()
                  .addScopeMetrics(sm.toBuilder().clearMetrics().addMetrics(metric)))
              .build()));
        }
      }
    }
    return items;
  }
}
