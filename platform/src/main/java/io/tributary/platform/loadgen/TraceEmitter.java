package io.tributary.platform.loadgen;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Turns a {@link TracePlan} into real spans, log records and metric measurements through the
 * OpenTelemetry API, with explicit timestamps: the trace is placed so that it ends at the moment
 * of emission, as if it had just finished.
 */
final class TraceEmitter {

  private static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

  private final Map<SimulatedService, ServiceInstruments> services;

  TraceEmitter(Map<SimulatedService, ServiceInstruments> services) {
    this.services = services;
  }

  /** What was emitted for one trace. */
  private static final class Tally {
    String traceId;
    int spans;
    int logs;
    final Set<String> services = new TreeSet<>();
  }

  GeneratedTrace emit(TracePlan plan, long endEpochNanos) {
    long base = endEpochNanos - plan.durationNanos() - plan.root().start;
    Tally tally = new Tally();
    emit(plan.root(), Context.root(), base, tally);
    for (TracePlan.BackgroundLog background : plan.backgroundLogs()) {
      PlannedSpan.Log log = background.log();
      services.get(background.service()).logger.logRecordBuilder()
          .setTimestamp(endEpochNanos, TimeUnit.NANOSECONDS)
          .setContext(Context.root())
          .setSeverity(log.severity())
          .setSeverityText(log.severity().name())
          .setBody(log.body())
          .setAllAttributes(log.attributes())
          .emit();
      tally.logs++;
    }
    return new GeneratedTrace(tally.traceId, Set.copyOf(tally.services), tally.spans, tally.logs, plan.root().anyFailed(),
        plan.durationNanos() >= TracePlanner.SLOW_TRACE, plan.root().anyHas(LlmCalls.INPUT_TOKENS),
        Duration.ofNanos(plan.durationNanos()));
  }

  private void emit(PlannedSpan planned, Context parent, long base, Tally tally) {
    ServiceInstruments instruments = services.get(planned.service);
    Attributes attributes = planned.attributes.build();
    Span span = instruments.tracer.spanBuilder(planned.name)
        .setParent(parent)
        .setSpanKind(planned.kind)
        .setStartTimestamp(base + planned.start, TimeUnit.NANOSECONDS)
        .setAllAttributes(attributes)
        .startSpan();
    Context context = parent.with(span);
    tally.traceId = span.getSpanContext().getTraceId();
    tally.spans++;
    tally.services.add(planned.service.serviceName());
    for (PlannedSpan.Event event : planned.events) {
      span.addEvent(event.name(), event.attributes(), base + event.at(), TimeUnit.NANOSECONDS);
    }
    for (PlannedSpan.Log log : planned.logs) {
      instruments.logger.logRecordBuilder()
          .setTimestamp(base + log.at(), TimeUnit.NANOSECONDS)
          .setContext(context)
          .setSeverity(log.severity())
          .setSeverityText(log.severity().name())
          .setBody(log.body())
          .setAllAttributes(log.attributes())
          .emit();
      tally.logs++;
    }
    for (PlannedSpan child : planned.children) {
      emit(child, context, base, tally);
    }
    span.setStatus(planned.status, planned.statusDescription);
    span.end(base + planned.end, TimeUnit.NANOSECONDS);
    measure(planned, attributes, instruments);
  }

  private static void measure(PlannedSpan planned, Attributes attributes, ServiceInstruments instruments) {
    if (planned.kind == SpanKind.SERVER && attributes.get(ROUTE) != null) {
      Attributes labels = Attributes.of(METHOD, attributes.get(METHOD), ROUTE, attributes.get(ROUTE),
          STATUS_CODE, attributes.get(STATUS_CODE));
      instruments.requestDuration.record((planned.end - planned.start) / 1e9, labels);
      instruments.requests.add(1, labels);
    }
    Long input = attributes.get(LlmCalls.INPUT_TOKENS);
    if (input != null) {
      AttributeKey<String> type = AttributeKey.stringKey("gen_ai.token.type");
      Attributes model = Attributes.of(LlmCalls.SYSTEM, attributes.get(LlmCalls.SYSTEM),
          LlmCalls.REQUEST_MODEL, attributes.get(LlmCalls.REQUEST_MODEL));
      instruments.tokens.add(input, model.toBuilder().put(type, "input").build());
      Long output = attributes.get(LlmCalls.OUTPUT_TOKENS);
      if (output != null) {
        instruments.tokens.add(output, model.toBuilder().put(type, "output").build());
      }
    }
  }
}
