package io.tributary.processors.servicegraph;

import io.tributary.processors.AvroRecords;
import io.tributary.testsupport.AvroValues;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.StatusCode;
import java.util.ArrayList;
import java.util.List;

/** Spans of one trace for the service graph tests: ids, parents, kinds, services, durations, attributes. */
public final class TestTraces {

  private TestTraces() {}

  /** The trace id of trace {@code n}. */
  public static String trace(int n) {
    return String.format("%016x%016x", 0x5e4c1ceL, n);
  }

  /** The span id of span {@code n}. */
  public static String id(int n) {
    return String.format("%016x", n);
  }

  /**
   * Span {@code span} of trace {@code trace}, child of {@code parent} (0: a root), of {@code service}, lasting
   * {@code millis}, with attributes {@code keysAndValues}.
   */
  public static Span span(int trace, int span, int parent, SpanKind kind, String service, long millis,
      Object... keysAndValues) {
    Span s = AvroRecords.span(service, kind.name(), millis * 1000);
    s.setTraceId(trace(trace));
    s.setSpanId(id(span));
    s.setParentSpanId(parent == 0 ? null : id(parent));
    s.setKind(kind);
    s.setAttributes(new ArrayList<>(AvroValues.attributes(keysAndValues)));
    return s;
  }

  /**
   * One request through the shop, as trace {@code trace}: a user calls frontend, frontend calls checkout,
   * checkout calls payments, payments queries the database payments-db; checkout sends to a Kafka topic
   * that worker consumes. Durations: frontend 200 ms, checkout 150 (client 160), payments 90 (client 100),
   * the query 30, producing 2, consuming 40.
   */
  public static List<Span> shop(int trace) {
    return List.of(
        span(trace, 1, 0, SpanKind.SPAN_KIND_SERVER, "frontend", 200),
        span(trace, 2, 1, SpanKind.SPAN_KIND_CLIENT, "frontend", 160),
        span(trace, 3, 2, SpanKind.SPAN_KIND_SERVER, "checkout", 150),
        span(trace, 4, 3, SpanKind.SPAN_KIND_CLIENT, "checkout", 100),
        span(trace, 5, 4, SpanKind.SPAN_KIND_SERVER, "payments", 90),
        span(trace, 6, 5, SpanKind.SPAN_KIND_CLIENT, "payments", 30, "db.system.name", "postgresql",
            "db.namespace", "payments-db"),
        span(trace, 7, 3, SpanKind.SPAN_KIND_PRODUCER, "checkout", 2, "messaging.system", "kafka"),
        span(trace, 8, 7, SpanKind.SPAN_KIND_CONSUMER, "worker", 40, "messaging.system", "kafka"));
  }

  public static Span failed(Span span) {
    span.getStatus().setCode(StatusCode.ERROR);
    return span;
  }

  /** {@code span} with a link to span {@code linked} of trace {@code trace}. */
  public static Span linked(Span span, int trace, int linked) {
    span.setLinks(List.of(SpanLink.newBuilder().setTraceId(trace(trace)).setSpanId(id(linked)).build()));
    return span;
  }
}
