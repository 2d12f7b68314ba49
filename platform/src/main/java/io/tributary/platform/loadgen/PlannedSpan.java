package io.tributary.platform.loadgen;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;

/**
 * One span of a planned trace, with times in nanoseconds from the start of the trace. Plans are
 * plain data: a trace is planned first (so its length is known) and emitted afterwards with real
 * timestamps that end in the past, never by sleeping.
 */
final class PlannedSpan {

  final SimulatedService service;
  final String name;
  final SpanKind kind;
  final long start;
  long end;
  final AttributesBuilder attributes = Attributes.builder();
  StatusCode status = StatusCode.UNSET;
  String statusDescription = "";
  final List<Event> events = new ArrayList<>();
  final List<Log> logs = new ArrayList<>();
  final List<PlannedSpan> children = new ArrayList<>();

  PlannedSpan(SimulatedService service, String name, SpanKind kind, long start) {
    this.service = service;
    this.name = name;
    this.kind = kind;
    this.start = start;
    this.end = start;
  }

  PlannedSpan child(SimulatedService childService, String childName, SpanKind childKind, long childStart) {
    PlannedSpan child = new PlannedSpan(childService, childName, childKind, childStart);
    children.add(child);
    return child;
  }

  PlannedSpan fail(String description) {
    status = StatusCode.ERROR;
    statusDescription = description;
    return this;
  }

  PlannedSpan log(long at, Severity severity, String body, Attributes logAttributes) {
    logs.add(new Log(at, severity, body, logAttributes));
    return this;
  }

  /** The exception event of the semantic conventions, at {@code at}. */
  PlannedSpan exception(long at, String type, String message, String stacktrace) {
    events.add(new Event("exception", at, Attributes.builder()
        .put("exception.type", type)
        .put("exception.message", message)
        .put("exception.stacktrace", stacktrace)
        .build()));
    return this;
  }

  boolean failed() {
    return status == StatusCode.ERROR;
  }

  /** Whether this span or one below it failed. */
  boolean anyFailed() {
    return failed() || children.stream().anyMatch(PlannedSpan::anyFailed);
  }

  /** Whether this span or one below it has attribute {@code key}. */
  boolean anyHas(AttributeKey<?> key) {
    return attributes.build().get(key) != null || children.stream().anyMatch(c -> c.anyHas(key));
  }

  /** The latest end of this span and every span below it. */
  long latestEnd() {
    long latest = end;
    for (PlannedSpan child : children) {
      latest = Math.max(latest, child.latestEnd());
    }
    return latest;
  }

  /** A span event. */
  record Event(String name, long at, Attributes attributes) {}

  /** A log record written while the span was current. */
  record Log(long at, Severity severity, String body, Attributes attributes) {}
}
