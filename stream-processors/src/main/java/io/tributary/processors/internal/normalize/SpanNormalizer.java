package io.tributary.processors.internal.normalize;

import static io.tributary.processors.internal.normalize.OtlpConversions.SPAN_ID_BYTES;
import static io.tributary.processors.internal.normalize.OtlpConversions.TRACE_ID_BYTES;
import static io.tributary.processors.internal.normalize.OtlpConversions.attributes;
import static io.tributary.processors.internal.normalize.OtlpConversions.emptyToNull;
import static io.tributary.processors.internal.normalize.OtlpConversions.optionalId;
import static io.tributary.processors.internal.normalize.OtlpConversions.requiredId;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tributary.processors.internal.normalize.OtlpConversions.Path;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ExportTraceServiceRequest} to one Avro {@link Span} per span. The spans of one
 * resource/scope share their {@link Resource} and {@link InstrumentationScope} objects: later steps
 * must replace them, never modify them.
 */
public final class SpanNormalizer implements Normalizer<Span> {

  @Override
  public String messageName() {
    return ExportTraceServiceRequest.getDescriptor().getFullName();
  }

  @Override
  public List<Span> normalize(byte[] payload, String tenant) throws MalformedTelemetryException {
    ExportTraceServiceRequest request = RawRequests.parse(payload, ExportTraceServiceRequest.getDefaultInstance());
    List<Span> spans = new ArrayList<>();
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      ResourceSpans resourceSpans = request.getResourceSpans(r);
      Resource resource = OtlpConversions.resource(resourceSpans.getResource(), resourceSpans.getSchemaUrl());
      for (int s = 0; s < resourceSpans.getScopeSpansCount(); s++) {
        ScopeSpans scopeSpans = resourceSpans.getScopeSpans(s);
        InstrumentationScope scope = OtlpConversions.scope(scopeSpans.getScope(), scopeSpans.getSchemaUrl());
        for (int i = 0; i < scopeSpans.getSpansCount(); i++) {
          Path path = new Path("resourceSpans", r, "scopeSpans", s, "spans", i);
          spans.add(span(scopeSpans.getSpans(i), tenant, resource, scope, path));
        }
      }
    }
    return spans;
  }

  private static Span span(io.opentelemetry.proto.trace.v1.Span span, String tenant, Resource resource,
      InstrumentationScope scope, Path path) throws MalformedTelemetryException {
    return new Span(
        tenant,
        requiredId(span.getTraceId(), TRACE_ID_BYTES, path, "traceId"),
        requiredId(span.getSpanId(), SPAN_ID_BYTES, path, "spanId"),
        optionalId(span.getParentSpanId(), SPAN_ID_BYTES, path, "parentSpanId"),
        emptyToNull(span.getTraceState()),
        span.getFlags(),
        span.getName(),
        kind(span.getKind()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        attributes(span.getAttributesList()),
        span.getDroppedAttributesCount(),
        events(span.getEventsList()),
        span.getDroppedEventsCount(),
        links(span.getLinksList(), path),
        span.getDroppedLinksCount(),
        new SpanStatus(statusCode(span.getStatus().getCode()), emptyToNull(span.getStatus().getMessage())),
        resource,
        scope,
        null);
  }

  private static List<SpanEvent> events(List<io.opentelemetry.proto.trace.v1.Span.Event> events) {
    List<SpanEvent> converted = new ArrayList<>(events.size());
    for (io.opentelemetry.proto.trace.v1.Span.Event event : events) {
      converted.add(new SpanEvent(event.getTimeUnixNano(), event.getName(), attributes(event.getAttributesList()),
          event.getDroppedAttributesCount()));
    }
    return converted;
  }

  private static List<SpanLink> links(List<io.opentelemetry.proto.trace.v1.Span.Link> links, Path path)
      throws MalformedTelemetryException {
    List<SpanLink> converted = new ArrayList<>(links.size());
    for (int l = 0; l < links.size(); l++) {
      io.opentelemetry.proto.trace.v1.Span.Link link = links.get(l);
      converted.add(new SpanLink(
          requiredId(link.getTraceId(), TRACE_ID_BYTES, path, "links[" + l + "].traceId"),
          requiredId(link.getSpanId(), SPAN_ID_BYTES, path, "links[" + l + "].spanId"),
          emptyToNull(link.getTraceState()),
          attributes(link.getAttributesList()),
          link.getDroppedAttributesCount(),
          link.getFlags()));
    }
    return converted;
  }

  /** Values this build does not know (a newer OTLP) map to the schema's default symbol. */
  private static SpanKind kind(io.opentelemetry.proto.trace.v1.Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> SpanKind.SPAN_KIND_INTERNAL;
      case SPAN_KIND_SERVER -> SpanKind.SPAN_KIND_SERVER;
      case SPAN_KIND_CLIENT -> SpanKind.SPAN_KIND_CLIENT;
      case SPAN_KIND_PRODUCER -> SpanKind.SPAN_KIND_PRODUCER;
      case SPAN_KIND_CONSUMER -> SpanKind.SPAN_KIND_CONSUMER;
      case SPAN_KIND_UNSPECIFIED, UNRECOGNIZED -> SpanKind.SPAN_KIND_UNSPECIFIED;
    };
  }

  private static StatusCode statusCode(io.opentelemetry.proto.trace.v1.Status.StatusCode code) {
    return switch (code) {
      case STATUS_CODE_OK -> StatusCode.OK;
      case STATUS_CODE_ERROR -> StatusCode.ERROR;
      case STATUS_CODE_UNSET, UNRECOGNIZED -> StatusCode.UNSET;
    };
  }
}
