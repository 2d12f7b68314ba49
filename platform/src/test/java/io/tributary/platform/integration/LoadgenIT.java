package io.tributary.platform.integration;

import static io.tributary.testsupport.OtlpSamples.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.CommandLineRun;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.loadgen.GeneratedTrace;
import io.tributary.platform.loadgen.SimulatedService;
import io.tributary.platform.loadgen.TrafficGenerator;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import io.tributary.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tributary loadgen} against a real gateway on the shared broker: what lands in Kafka is the
 * traffic the generator makes for the same seed, and it has everything the pipelines need.
 */
@ExtendWith(SharedKafkaBroker.class)
class LoadgenIT {

  private static OtlpGateway gateway;
  private static String kafka;

  @BeforeAll
  static void startGateway(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    try (TopicInstaller installer = TopicInstaller.builder().bootstrapServers(kafka).build()) {
      installer.ensure(TopicCatalog.ALL);
    }
    gateway = OtlpGateway.start(GatewayConfig.builder().bindAddress("127.0.0.1").grpcPort(0).httpPort(0)
        .bootstrapServers(kafka).build());
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void shouldDeliverRealisticTrafficOverHttp() {
    List<GeneratedTrace> expected = expectedTraces(7, 40);

    CommandLineRun run = CommandLineRun.run("loadgen", "--endpoint", "http://127.0.0.1:" + gateway.httpPort(),
        "--traces", "40", "--rate", "200", "--seed", "7", "--metrics-interval", "1s");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("traces        40", "export failures 0");
    assertThat(run.err()).contains("loadgen: 200.0 traces/s over http/protobuf");
    Map<String, List<Span>> spans = awaitSpans(expected);
    assertThat(spans.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(GeneratedTrace::traceId).toList());

    assertServicesErrorsSlowTracesAndLlmCalls(expected, spans);
    assertLogsCarryTheIdsOfTheirSpans(spans);
    assertMetrics();
  }

  @Test
  void shouldDeliverOverGrpc() {
    List<GeneratedTrace> expected = expectedTraces(11, 10);

    CommandLineRun run = CommandLineRun.run("loadgen", "--protocol", "grpc", "--endpoint",
        "http://127.0.0.1:" + gateway.grpcPort(), "--traces", "10", "--rate", "100", "--seed", "11");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(awaitSpans(expected)).hasSize(10);
  }

  @Test
  void shouldFailWhenNothingListens() {
    CommandLineRun run = CommandLineRun.run("loadgen", "--endpoint", "http://127.0.0.1:1", "--traces", "1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).contains("nothing answers at http://127.0.0.1:1");
  }

  /** What the generator makes for {@code seed}: the same content and ids loadgen sends. */
  private static List<GeneratedTrace> expectedTraces(long seed, int count) {
    IdGenerator ids = TrafficGenerator.idGenerator(seed);
    Map<SimulatedService, OpenTelemetrySdk> sdks = new EnumMap<>(SimulatedService.class);
    TrafficGenerator generator = new TrafficGenerator(seed, service -> sdks.computeIfAbsent(service,
        s -> OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().setIdGenerator(ids)
            // Without a processor the SDK hands out non-recording spans without ids.
            .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build()).build()));
    List<GeneratedTrace> traces = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      traces.add(generator.next(Instant.parse("2025-06-01T12:00:00Z")));
    }
    sdks.values().forEach(OpenTelemetrySdk::close);
    return traces;
  }

  /** The spans of the expected traces, by trace id, once every one of them arrived. */
  private static Map<String, List<Span>> awaitSpans(List<GeneratedTrace> expected) {
    Set<String> traceIds = expected.stream().map(GeneratedTrace::traceId).collect(Collectors.toSet());
    Map<String, Integer> spanCounts = expected.stream().collect(Collectors.toMap(GeneratedTrace::traceId, GeneratedTrace::spans));
    return await("every span of the " + expected.size() + " traces in otlp_spans").atMost(Duration.ofSeconds(60))
        .until(() -> spansByTrace(traceIds), found -> found.keySet().equals(traceIds) && traceIds.stream()
            .allMatch(id -> found.get(id).size() == spanCounts.get(id)));
  }

  private static Map<String, List<Span>> spansByTrace(Set<String> traceIds) {
    Map<String, List<Span>> spans = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : TestTopics.readAll(kafka, TopicCatalog.OTLP_SPANS.name())) {
      String key = new String(record.key(), StandardCharsets.UTF_8);
      TestTopics.value(record, ExportTraceServiceRequest.parser()).getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
          ss.getSpansList().forEach(span -> {
            String traceId = hex(span.getTraceId());
            assertThat(traceId).as("record key is the trace id of its spans").isEqualTo(key);
            if (traceIds.contains(traceId)) {
              spans.computeIfAbsent(traceId, k -> new ArrayList<>()).add(span);
            }
          })));
    }
    return spans;
  }

  private static void assertServicesErrorsSlowTracesAndLlmCalls(List<GeneratedTrace> expected, Map<String, List<Span>> spans) {
    Set<String> services = new TreeSet<>();
    for (ExportTraceServiceRequest request
        : TestTopics.readAll(kafka, TopicCatalog.OTLP_SPANS.name(), ExportTraceServiceRequest.parser())) {
      request.getResourceSpansList().stream()
          .filter(rs -> rs.getScopeSpansList().stream().flatMap(ss -> ss.getSpansList().stream())
              .anyMatch(s -> spans.containsKey(hex(s.getTraceId()))))
          .forEach(rs -> services.add(serviceName(rs.getResource())));
    }
    assertThat(services).containsExactlyInAnyOrder("frontend", "checkout", "payment", "inventory", "recommendation",
        "llm-gateway");

    List<Span> all = spans.values().stream().flatMap(List::stream).toList();
    assertThat(all).as("failed spans with an exception event").anySatisfy(span -> {
      assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(span.getEventsList()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    });
    assertThat(all).extracting(Span::getKind).contains(Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_CLIENT,
        Span.SpanKind.SPAN_KIND_INTERNAL, Span.SpanKind.SPAN_KIND_PRODUCER, Span.SpanKind.SPAN_KIND_CONSUMER);

    List<GeneratedTrace> slow = expected.stream().filter(GeneratedTrace::slow).toList();
    assertThat(slow).as("the run has slow traces").isNotEmpty();
    for (GeneratedTrace trace : slow) {
      List<Span> traceSpans = spans.get(trace.traceId());
      long start = traceSpans.stream().mapToLong(Span::getStartTimeUnixNano).min().orElseThrow();
      long end = traceSpans.stream().mapToLong(Span::getEndTimeUnixNano).max().orElseThrow();
      assertThat(Duration.ofNanos(end - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    assertThat(all).as("LLM calls with token counts").anySatisfy(span -> {
      assertThat(attribute(span.getAttributesList(), "gen_ai.system")).isPresent();
      assertThat(attribute(span.getAttributesList(), "gen_ai.request.model")).isPresent();
      // hasValueSatisfying, not orElseThrow: a failed call has no output tokens, and anySatisfy goes on only past assertion errors
      assertThat(attribute(span.getAttributesList(), "gen_ai.usage.input_tokens"))
          .hasValueSatisfying(kv -> assertThat(kv.getValue().getIntValue()).isPositive());
      assertThat(attribute(span.getAttributesList(), "gen_ai.usage.output_tokens"))
          .hasValueSatisfying(kv -> assertThat(kv.getValue().getIntValue()).isPositive());
    });
    assertThat(all).as("LLM calls as the GenAI conventions stand now, over the wire").anySatisfy(span -> {
      assertThat(attribute(span.getAttributesList(), "gen_ai.response.time_to_first_chunk")).isPresent();
      assertThat(attribute(span.getAttributesList(), "gen_ai.usage.cache_read.input_tokens"))
          .hasValueSatisfying(kv -> assertThat(kv.getValue().getIntValue()).isPositive());
    });
  }

  private static void assertLogsCarryTheIdsOfTheirSpans(Map<String, List<Span>> spans) {
    Set<String> spanIds = spans.values().stream().flatMap(List::stream)
        .map(s -> hex(s.getTraceId()) + "/" + hex(s.getSpanId())).collect(Collectors.toSet());
    List<LogRecord> ours = await("log records of the traces in otlp_logs").atMost(Duration.ofSeconds(30))
        .until(() -> logsOf(spans.keySet()), logs -> logs.stream().anyMatch(l -> l.getSeverityNumber()
            .getNumber() >= SeverityNumber.SEVERITY_NUMBER_ERROR.getNumber()));
    assertThat(ours).isNotEmpty().allSatisfy(log -> assertThat(spanIds).contains(hex(log.getTraceId()) + "/"
        + hex(log.getSpanId())));
  }

  private static List<LogRecord> logsOf(Set<String> traceIds) {
    List<LogRecord> logs = new ArrayList<>();
    for (ExportLogsServiceRequest request
        : TestTopics.readAll(kafka, TopicCatalog.OTLP_LOGS.name(), ExportLogsServiceRequest.parser())) {
      request.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList().stream()
          .filter(l -> traceIds.contains(hex(l.getTraceId()))).forEach(logs::add)));
    }
    return logs;
  }

  private static void assertMetrics() {
    Set<String> names = await("metrics in otlp_metrics").atMost(Duration.ofSeconds(30)).until(() -> {
      Set<String> found = new TreeSet<>();
      for (ExportMetricsServiceRequest request
          : TestTopics.readAll(kafka, TopicCatalog.OTLP_METRICS.name(), ExportMetricsServiceRequest.parser())) {
        request.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm ->
            sm.getMetricsList().stream().map(Metric::getName).forEach(found::add)));
      }
      return found;
    }, found -> found.containsAll(List.of("http.server.request.duration", "http.server.request.count",
        "gen_ai.client.token.count", "process.memory.utilization")));
    assertThat(names).isNotEmpty();
  }

  private static Optional<KeyValue> attribute(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(a -> a.getKey().equals(key)).findFirst();
  }

  private static String serviceName(Resource resource) {
    return attribute(resource.getAttributesList(), "service.name").map(a -> a.getValue().getStringValue()).orElse("");
  }
}
