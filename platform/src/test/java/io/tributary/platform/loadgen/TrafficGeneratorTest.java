package io.tributary.platform.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final long NOW_NANOS = TimeUnit.SECONDS.toNanos(NOW.getEpochSecond());
  private static final int TRACES = 60;

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  private final InMemoryMetricExporter metrics = InMemoryMetricExporter.create();
  private final List<LoadgenSdk> sdks = new ArrayList<>();
  private List<GeneratedTrace> generated;

  @BeforeEach
  void generate() {
    generated = generate(42, TRACES, spans, logs, metrics);
  }

  @AfterEach
  void close() {
    sdks.forEach(LoadgenSdk::close);
  }

  private List<GeneratedTrace> generate(long seed, int count, InMemorySpanExporter spanOut, InMemoryLogRecordExporter logOut,
      InMemoryMetricExporter metricOut) {
    LoadgenSdk telemetry = new LoadgenSdk(spanOut, logOut, metricOut, TrafficGenerator.idGenerator(seed),
        Duration.ofHours(1), new ExportCounters());
    sdks.add(telemetry);
    TrafficGenerator generator = new TrafficGenerator(seed, telemetry::telemetry);
    List<GeneratedTrace> traces = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      traces.add(generator.next(NOW));
    }
    assertThat(telemetry.flush(Duration.ofSeconds(10))).as("flushed").isTrue();
    return traces;
  }

  @Test
  void shouldSpanSixServicesEachWithItsOwnResource() {
    Map<String, Set<String>> instancesByService = spans.getFinishedSpanItems().stream().collect(Collectors.groupingBy(
        s -> s.getResource().getAttribute(AttributeKey.stringKey("service.name")),
        Collectors.mapping(s -> s.getResource().getAttribute(AttributeKey.stringKey("service.instance.id")),
            Collectors.toSet())));

    assertThat(instancesByService).containsOnlyKeys("frontend", "checkout", "payment", "inventory", "recommendation",
        "llm-gateway");
    assertThat(instancesByService.values()).allSatisfy(instances -> assertThat(instances).hasSize(1));
  }

  @Test
  void shouldNestSpansOfEveryKindAcrossServices() {
    List<SpanData> all = spans.getFinishedSpanItems();
    Map<String, SpanData> byId = all.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));

    assertThat(all).extracting(SpanData::getKind).contains(SpanKind.values());
    assertThat(all).filteredOn(s -> !s.getParentSpanContext().isValid()).hasSize(TRACES);
    assertThat(all).as("children start within their trace and inside the right trace").allSatisfy(span -> {
      if (span.getParentSpanContext().isValid()) {
        SpanData parent = byId.get(span.getParentSpanId());
        assertThat(parent).isNotNull();
        assertThat(parent.getTraceId()).isEqualTo(span.getTraceId());
        assertThat(span.getStartEpochNanos()).isGreaterThanOrEqualTo(parent.getStartEpochNanos());
      }
    });
    assertThat(all).as("a server span below a client span of another service").anySatisfy(span -> {
      SpanData parent = byId.get(span.getParentSpanId());
      assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
      assertThat(parent).isNotNull();
      assertThat(parent.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(parent.getResource()).isNotEqualTo(span.getResource());
    });
  }

  /**
   * The requests the traces pipeline's service graph finds in the traffic (client -> server by parent,
   * producer -> consumer, database calls, clients of uninstrumented peers by server.address, roots from
   * user): the shop's whole graph, with every kind of connection.
   */
  @Test
  void shouldMakeAServiceGraphWithEveryKindOfConnection() {
    List<SpanData> all = spans.getFinishedSpanItems();
    Map<String, SpanData> byId = all.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
    Set<String> called = all.stream().filter(s -> s.getParentSpanContext().isValid())
        .filter(s -> s.getKind() == SpanKind.SERVER || s.getKind() == SpanKind.CONSUMER)
        .map(SpanData::getParentSpanId).collect(Collectors.toSet());
    Set<String> edges = new java.util.TreeSet<>();
    for (SpanData span : all) {
      SpanData parent = byId.get(span.getParentSpanId());
      String db = span.getAttributes().get(AttributeKey.stringKey("db.namespace"));
      if (span.getKind() == SpanKind.SERVER && parent == null) {
        edges.add("user -> " + service(span));
      } else if ((span.getKind() == SpanKind.SERVER || span.getKind() == SpanKind.CONSUMER) && parent != null) {
        edges.add(service(parent) + " -> " + service(span) + (span.getKind() == SpanKind.CONSUMER ? " messaging" : ""));
      } else if (span.getKind() == SpanKind.CLIENT && db != null) {
        edges.add(service(span) + " -> " + db + " database");
      } else if (span.getKind() == SpanKind.CLIENT && !called.contains(span.getSpanId())) {
        edges.add(service(span) + " -> " + span.getAttributes().get(AttributeKey.stringKey("server.address")));
      }
    }

    assertThat(edges).containsExactlyInAnyOrder("user -> frontend", "frontend -> checkout", "frontend -> inventory",
        "frontend -> recommendation", "checkout -> inventory", "checkout -> payment", "checkout -> inventory messaging",
        "inventory -> shop database", "payment -> api.payments.example", "recommendation -> llm-gateway",
        "llm-gateway -> api.openai.com", "llm-gateway -> api.anthropic.com");
  }

  private static String service(SpanData span) {
    return span.getResource().getAttribute(AttributeKey.stringKey("service.name"));
  }

  @Test
  void shouldPlaceEveryTraceInThePastWithExplicitTimestamps() {
    assertThat(spans.getFinishedSpanItems()).allSatisfy(span -> {
      assertThat(span.getEndEpochNanos()).isLessThanOrEqualTo(NOW_NANOS);
      assertThat(span.getEndEpochNanos()).isGreaterThanOrEqualTo(span.getStartEpochNanos());
    });
    assertThat(generated).filteredOn(GeneratedTrace::slow).isNotEmpty()
        .allSatisfy(t -> assertThat(t.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(5)));
    Map<String, List<SpanData>> byTrace =
        spans.getFinishedSpanItems().stream().collect(Collectors.groupingBy(SpanData::getTraceId));
    GeneratedTrace slow = generated.stream().filter(GeneratedTrace::slow).findFirst().orElseThrow();
    long start = byTrace.get(slow.traceId()).stream().mapToLong(SpanData::getStartEpochNanos).min().orElseThrow();
    long end = byTrace.get(slow.traceId()).stream().mapToLong(SpanData::getEndEpochNanos).max().orElseThrow();
    assertThat(Duration.ofNanos(end - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldFailSomeTracesWithExceptionEventsAndErrorLogBursts() {
    List<SpanData> failed = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR).toList();

    assertThat(generated).filteredOn(GeneratedTrace::error).isNotEmpty();
    assertThat(failed).anySatisfy(span -> assertThat(span.getEvents()).anySatisfy(event -> {
      assertThat(event.getName()).isEqualTo("exception");
      assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type"))).isNotBlank();
      assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message"))).isNotBlank();
    }));
    Set<String> failedTraces = failed.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    Map<String, Long> errorLogsPerTrace = logs.getFinishedLogRecordItems().stream()
        .filter(l -> l.getSeverity() == Severity.ERROR)
        .collect(Collectors.groupingBy(l -> l.getSpanContext().getTraceId(), Collectors.counting()));
    assertThat(errorLogsPerTrace.keySet()).isSubsetOf(failedTraces);
    assertThat(errorLogsPerTrace.values()).as("bursts, not single lines").anySatisfy(n -> assertThat(n).isGreaterThan(2));
  }

  @Test
  void shouldDescribeLlmCallsWithGenAiAttributes() {
    List<SpanData> llmCalls = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getAttributes().get(LlmCalls.INPUT_TOKENS) != null).toList();

    assertThat(generated).filteredOn(GeneratedTrace::llm).isNotEmpty();
    assertThat(llmCalls).isNotEmpty().allSatisfy(span -> {
      assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("llm-gateway");
      assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(span.getAttributes().get(LlmCalls.SYSTEM)).isIn("openai", "anthropic");
      assertThat(span.getAttributes().get(LlmCalls.REQUEST_MODEL)).isNotBlank();
      assertThat(span.getAttributes().get(LlmCalls.PROMPT)).isNotBlank();
    });
    assertThat(llmCalls).filteredOn(s -> s.getStatus().getStatusCode() != StatusCode.ERROR).isNotEmpty()
        .allSatisfy(span -> {
          assertThat(span.getAttributes().get(LlmCalls.OUTPUT_TOKENS)).isPositive();
          Double firstChunk = span.getAttributes().get(LlmCalls.TIME_TO_FIRST_CHUNK);
          Double firstToken = span.getAttributes().get(LlmCalls.TIME_TO_FIRST_TOKEN);
          assertThat(firstChunk == null ? firstToken : firstChunk).as("one of the two names").isPositive();
          assertThat(firstChunk == null || firstToken == null).isTrue();
          long input = span.getAttributes().get(LlmCalls.INPUT_TOKENS);
          long cached = Optional.ofNullable(span.getAttributes().get(LlmCalls.CACHE_READ_TOKENS)).orElse(0L)
              + Optional.ofNullable(span.getAttributes().get(LlmCalls.CACHE_CREATION_TOKENS)).orElse(0L);
          assertThat(cached).as("cached tokens are part of the input tokens").isBetween(0L, input);
          Long reasoning = span.getAttributes().get(LlmCalls.REASONING_TOKENS);
          if (reasoning != null) {
            assertThat(span.getAttributes().get(LlmCalls.REQUEST_MODEL)).startsWith("o3");
            assertThat(reasoning).as("part of the output tokens").isBetween(0L, span.getAttributes().get(LlmCalls.OUTPUT_TOKENS));
          }
          assertThat(span.getAttributes().get(LlmCalls.COMPLETION)).isNotBlank();
        });
    assertThat(llmCalls).as("some prompts carry personal data for redaction to find")
        .anySatisfy(s -> assertThat(s.getAttributes().get(LlmCalls.PROMPT)).containsPattern("@example\\.|\\d{4}[ -]?\\d{4}"));
  }

  /** Half the calls as the GenAI conventions stand now, half as older instrumentations: enough calls to see each. */
  @Test
  void shouldDescribeLlmCallsWithTheCurrentAndTheOlderConventions() {
    InMemorySpanExporter more = InMemorySpanExporter.create();
    generate(7, 600, more, InMemoryLogRecordExporter.create(), InMemoryMetricExporter.create());
    List<SpanData> completed = more.getFinishedSpanItems().stream()
        .filter(s -> s.getAttributes().get(LlmCalls.OUTPUT_TOKENS) != null).toList();

    assertThat(completed).as("calls described as the conventions stand now and as older ones")
        .anySatisfy(s -> assertThat(s.getAttributes().get(LlmCalls.TIME_TO_FIRST_CHUNK)).isNotNull())
        .anySatisfy(s -> assertThat(s.getAttributes().get(LlmCalls.TIME_TO_FIRST_TOKEN)).isNotNull())
        .anySatisfy(s -> assertThat(s.getAttributes().get(LlmCalls.CACHE_READ_TOKENS)).isPositive())
        .anySatisfy(s -> assertThat(s.getAttributes().get(LlmCalls.CACHE_CREATION_TOKENS)).isPositive())
        .anySatisfy(s -> assertThat(s.getAttributes().get(LlmCalls.REASONING_TOKENS)).isPositive());
    assertThat(completed).filteredOn(s -> s.getAttributes().get(LlmCalls.TIME_TO_FIRST_TOKEN) != null)
        .as("older calls carry none of the newer usage parts").allSatisfy(s -> assertThat(s.getAttributes().asMap().keySet())
            .doesNotContain(LlmCalls.CACHE_READ_TOKENS, LlmCalls.CACHE_CREATION_TOKENS, LlmCalls.REASONING_TOKENS));
  }

  @Test
  void shouldCorrelateLogsWithTheSpansTheyWereWrittenIn() {
    Set<String> spanIds = spans.getFinishedSpanItems().stream()
        .map(s -> s.getTraceId() + "/" + s.getSpanId()).collect(Collectors.toSet());
    List<LogRecordData> records = logs.getFinishedLogRecordItems();

    assertThat(records).hasSize(generated.stream().mapToInt(GeneratedTrace::logs).sum());
    assertThat(records).filteredOn(l -> l.getSpanContext().isValid()).isNotEmpty().allSatisfy(l -> assertThat(spanIds)
        .contains(l.getSpanContext().getTraceId() + "/" + l.getSpanContext().getSpanId()));
    assertThat(records).extracting(LogRecordData::getSeverity).contains(Severity.INFO, Severity.ERROR);
  }

  @Test
  void shouldRecordMetrics() {
    Map<String, MetricData> byName = metrics.getFinishedMetricItems().stream()
        .collect(Collectors.toMap(MetricData::getName, m -> m, (a, b) -> a));

    assertThat(byName).containsKeys(ServiceInstruments.REQUEST_DURATION, ServiceInstruments.REQUEST_COUNT,
        ServiceInstruments.TOKEN_COUNT, ServiceInstruments.MEMORY_UTILIZATION);
    assertThat(byName.get(ServiceInstruments.REQUEST_DURATION).getUnit()).isEqualTo("s");
    assertThat(byName.get(ServiceInstruments.MEMORY_UTILIZATION).getDoubleGaugeData().getPoints())
        .allSatisfy(p -> assertThat(p.getValue()).isBetween(0.0, 1.0));
  }

  @Test
  void shouldCountWhatItGenerated() {
    assertThat(spans.getFinishedSpanItems()).hasSize(generated.stream().mapToInt(GeneratedTrace::spans).sum());
    assertThat(generated).extracting(GeneratedTrace::traceId).doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{32}"));
  }

  @Test
  void shouldRepeatTheSameContentForTheSameSeed() {
    InMemorySpanExporter again = InMemorySpanExporter.create();
    List<GeneratedTrace> repeated = generate(42, TRACES, again, InMemoryLogRecordExporter.create(), InMemoryMetricExporter.create());
    InMemorySpanExporter other = InMemorySpanExporter.create();
    List<GeneratedTrace> different = generate(43, TRACES, other, InMemoryLogRecordExporter.create(), InMemoryMetricExporter.create());

    assertThat(repeated).isEqualTo(generated);
    // Each service exports on its own thread: compare regardless of order.
    assertThat(again.getFinishedSpanItems()).extracting(SpanData::getSpanId, SpanData::getName, SpanData::getAttributes)
        .containsExactlyInAnyOrderElementsOf(spans.getFinishedSpanItems().stream()
            .map(s -> tuple(s.getSpanId(), s.getName(), s.getAttributes())).toList());
    assertThat(different).extracting(GeneratedTrace::traceId)
        .doesNotContainAnyElementsOf(generated.stream().map(GeneratedTrace::traceId).toList());
  }

  @Test
  void shouldKeepMemoryUtilizationARatio() {
    for (long t = 0; t < 200_000; t += 7_000) {
      assertThat(ServiceInstruments.memoryUtilization(0.65, t)).isBetween(0.0, 1.0);
    }
  }
}
