package io.tributary.processors.integration;

import static io.tributary.testsupport.OtlpSamples.attribute;
import static io.tributary.testsupport.OtlpSamples.id;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.processors.sampling.SamplingConfig;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A trace the test sends: a root span and children of one service; {@code kind} says what makes it
 * special: {@code error} (the root failed), {@code slow} (a 6 s root), {@code costly} ($1.20 of LLM
 * cost on the root), {@code cheap} ($0.30), or {@code plain}.
 */
record TestTrace(String traceId, String kind, int spans) {

  /** The percentage of the shipped probabilistic policy. */
  static final double SHIPPED_PERCENTAGE = 10;
  private static final long EPOCH_NANOS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

  static List<TestTrace> generate(SplittableRandom random, int count, String kind, int spans) {
    List<TestTrace> traces = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      id[0] |= 1; // never all zero
      traces.add(new TestTrace(HexFormat.of().formatHex(id), kind, spans));
    }
    return traces;
  }

  static String spanId(int index) {
    return String.format("%016x", index + 1);
  }

  /**
   * The policy that keeps it under errors, slow (5 s), llm-cost ($1) and a consistent
   * {@code percentage}, in that order; null when dropped. The probabilistic rule, as W3C trace
   * context randomness defines it: the low 56 bits of the id against (1 - p) * 2^56.
   */
  String expectedPolicy(double percentage) {
    if (kind.equals("error")) {
      return "errors";
    }
    if (kind.equals("slow")) {
      return "slow";
    }
    if (kind.equals("costly")) {
      return "llm-cost";
    }
    long randomness = Long.parseLong(traceId.substring(18), 16);
    if (randomness >= (1 - percentage / 100) * 0x1p56) {
      return percentage == SHIPPED_PERCENTAGE ? "probabilistic" : "half"; // "half": the crash test's policy
    }
    return null;
  }

  static List<String> traceIds(List<TestTrace> traces) {
    return traces.stream().map(TestTrace::traceId).toList();
  }

  /** Trace id -> span ids of the traces {@code percentage} keeps with the policies used here, with {@code spans} each (or all). */
  static Map<String, TreeSet<String>> expectedSpans(List<TestTrace> traces, double percentage, int spans) {
    Map<String, TreeSet<String>> expected = new TreeMap<>();
    for (TestTrace trace : traces) {
      if (trace.expectedPolicy(percentage) != null) {
        TreeSet<String> ids = new TreeSet<>();
        for (int i = 0; i < (spans == 0 ? trace.spans() : spans); i++) {
          ids.add(TestTrace.spanId(i));
        }
        expected.put(trace.traceId(), ids);
      }
    }
    return expected;
  }

  static int expectedCount(Map<String, TreeSet<String>> expected) {
    return expected.values().stream().mapToInt(TreeSet::size).sum();
  }

  /** Spans {@code fromSpan} onwards of each trace (all its spans, or its late one), one request per trace; returns the spans sent. */
  static int produce(String bootstrapServers, String topic, List<TestTrace> traces, int fromSpan)
      throws ExecutionException, InterruptedException {
    try (KafkaProducer<String, byte[]> producer = TestClients.rawProducer(bootstrapServers)) {
      return produce(producer, topic, traces, fromSpan);
    }
  }

  /** As above with {@code producer}; returns once Kafka acknowledged every record. */
  static int produce(KafkaProducer<String, byte[]> producer, String topic, List<TestTrace> traces, int fromSpan)
      throws ExecutionException, InterruptedException {
    int spans = 0;
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (TestTrace trace : traces) {
      int toSpan = fromSpan == 0 ? trace.spans() : fromSpan + 1;
      sent.add(producer.send(new ProducerRecord<>(topic, trace.traceId(), trace.request(fromSpan, toSpan).toByteArray())));
      spans += toSpan - fromSpan;
    }
    producer.flush();
    for (Future<RecordMetadata> record : sent) {
      record.get(); // a failed send fails the test rather than counting as sent
    }
    return spans;
  }

  ExportTraceServiceRequest request(int fromSpan, int toSpan) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long start = EPOCH_NANOS;
    for (int i = fromSpan; i < toSpan; i++) {
      Span.Builder span = Span.newBuilder().setTraceId(id(traceId)).setSpanId(id(spanId(i))).setName("op-" + i)
          .setKind(Span.SpanKind.SPAN_KIND_SERVER);
      if (i == 0) {
        span.setStartTimeUnixNano(start).setEndTimeUnixNano(start + (kind.equals("slow") ? 6_000 : 200) * 1_000_000L);
        if (kind.equals("error")) {
          span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        if (kind.equals("costly") || kind.equals("cheap")) {
          span.addAttributes(attribute(SamplingConfig.DEFAULT_COST_ATTRIBUTE,
              AnyValue.newBuilder().setDoubleValue(kind.equals("costly") ? 1.2 : 0.3).build()));
        }
      } else {
        span.setParentSpanId(id(spanId(0))).setStartTimeUnixNano(start + 10_000_000L * i)
            .setEndTimeUnixNano(start + 10_000_000L * i + 5_000_000L);
      }
      scope.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "checkout")))
        .addScopeSpans(scope)).build();
  }
}
