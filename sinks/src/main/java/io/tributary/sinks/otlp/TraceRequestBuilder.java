package io.tributary.sinks.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Regroups spans into one {@code ExportTraceServiceRequest}: one {@code ResourceSpans} per
 * distinct resource, one {@code ScopeSpans} per distinct scope within it, in first-seen order;
 * spans keep their order within their group. Resource and scope are converted once per group.
 */
final class TraceRequestBuilder {

  private TraceRequestBuilder() {}

  static ExportTraceServiceRequest build(List<OtlpSpan> spans) {
    Map<Resource, Map<InstrumentationScope, List<io.opentelemetry.proto.trace.v1.Span>>> groups = new LinkedHashMap<>();
    for (OtlpSpan s : spans) {
      groups.computeIfAbsent(s.resource(), r -> new LinkedHashMap<>())
          .computeIfAbsent(s.scope(), sc -> new ArrayList<>())
          .add(s.span());
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    groups.forEach((resource, scopes) -> {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(SpanConverter.resource(resource));
      if (resource.getSchemaUrl() != null) {
        rs.setSchemaUrl(resource.getSchemaUrl().toString());
      }
      scopes.forEach((scope, list) -> {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(SpanConverter.scope(scope)).addAllSpans(list);
        if (scope.getSchemaUrl() != null) {
          ss.setSchemaUrl(scope.getSchemaUrl().toString());
        }
        rs.addScopeSpans(ss);
      });
      request.addResourceSpans(rs);
    });
    return request.build();
  }
}
