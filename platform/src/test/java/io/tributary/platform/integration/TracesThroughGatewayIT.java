package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tributary.testsupport.AvroValues;
import io.tributary.testsupport.TestTopics;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.processor.Pipeline;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.processor.ProcessorSettings;
import io.tributary.platform.roles.RoleContext;
import io.tributary.processors.PipelineConfig;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces from the OpenTelemetry SDK's OTLP/HTTP exporter through the gateway and the traces pipeline
 * (exactly-once) into {@code telemetry.spans}: every span of every error and slow trace is there with
 * the policy that kept it, the plain traces are kept whole (by the probabilistic policy) or not at all.
 *
 * <p>On its own broker: other tests of this JVM write to the same catalog topics, and what this one
 * asserts must come from its own records alone.
 */
class TracesThroughGatewayIT {

  private static final int ERROR_TRACES = 5;
  private static final int SLOW_TRACES = 5;
  private static final int PLAIN_TRACES = 60;
  private static final int SPANS_PER_TRACE = 3;

  @TempDir
  Path stateDir;

  @Test
  void shouldKeepErrorAndSlowTracesWholeAndDropUnsampledOnes() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      run(broker);
    }
  }

  private void run(EmbeddedKafkaBroker broker) throws Exception {
    ProcessorMetricsIT.installTopics(broker.bootstrapServers());
    PipelineConfig config = PipelineConfig.parse("""
        sampling:
          decision-wait: 1s
          check-interval: 200ms
          policies:
            - name: errors
              error: {}
            - name: slow
              latency: {threshold: 2s}
            - name: probabilistic
              probabilistic: {percentage: 20}
        """, "TracesThroughGatewayIT", name -> null);
    ProcessorSettings settings = new ProcessorSettings(Set.of(Pipeline.TRACES), config, SerdeConfig.getDefault(),
        stateDir, 1, 0, true, Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "traces-through-gateway-it",
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"), "127.0.0.1", 0);
    RoleContext context = new RoleContext().put(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers())
        .put(ProcessorRole.SETTINGS, settings);
    GatewayConfig gatewayConfig = GatewayConfig.builder().bindAddress("127.0.0.1").grpcPort(0).httpPort(0)
        .bootstrapServers(broker.bootstrapServers()).build();

    // Sampling reads span durations only; recent times keep the records clear of the topics' retention.
    Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Map<String, String> expectedPolicy = new HashMap<>();
    Map<String, Set<String>> spansByTrace = new HashMap<>();
    try (OtlpGateway gateway = OtlpGateway.start(gatewayConfig);
        AutoCloseable processor = ProcessorRole.start(context)) {
      String metrics = "http://127.0.0.1:" + context.require(ProcessorRole.HTTP_ADDRESS).getPort();
      await("gateway and pipeline ready").atMost(Duration.ofSeconds(30)).until(() -> gateway.isReady()
          && ProcessorMetricsIT.get(metrics + "/health/ready").statusCode() == 200);

      SdkTracerProvider tracing = SdkTracerProvider.builder()
          .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
              io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), "checkout"))))
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + gateway.httpPort() + "/v1/traces").build()).build())
          .build();
      try {
        Tracer tracer = tracing.get("tributary-it");
        for (int i = 0; i < ERROR_TRACES + SLOW_TRACES + PLAIN_TRACES; i++) {
          String kind = i < ERROR_TRACES ? "errors" : i < ERROR_TRACES + SLOW_TRACES ? "slow" : "plain";
          Set<String> spanIds = new HashSet<>();
          String traceId = emitTrace(tracer, kind, start.plusMillis(10L * i), spanIds);
          spansByTrace.put(traceId, spanIds);
          if (!kind.equals("plain")) {
            expectedPolicy.put(traceId, kind);
          }
        }
        assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).as("export succeeded").isTrue();
      } finally {
        tracing.shutdown().join(10, TimeUnit.SECONDS);
      }

      int traces = spansByTrace.size();
      await("every trace decided").atMost(Duration.ofSeconds(30)).until(
          () -> decisions(ProcessorMetricsIT.get(metrics + "/metrics").body()), decided -> decided == traces);
    }

    Map<String, List<io.tributary.schemas.avro.Span>> written = readSpans(broker.bootstrapServers()).stream()
        .filter(span -> spansByTrace.containsKey(span.getTraceId()))
        .collect(Collectors.groupingBy(io.tributary.schemas.avro.Span::getTraceId));

    expectedPolicy.forEach((traceId, policy) -> {
      List<io.tributary.schemas.avro.Span> spans = written.getOrDefault(traceId, List.of());
      assertThat(spans).as("spans of %s trace %s", policy, traceId)
          .extracting(io.tributary.schemas.avro.Span::getSpanId).containsExactlyInAnyOrderElementsOf(spansByTrace.get(traceId));
      assertThat(spans).extracting(io.tributary.schemas.avro.Span::getSamplingPolicy).containsOnly(policy);
    });
    written.forEach((traceId, spans) -> {
      if (!expectedPolicy.containsKey(traceId)) {
        assertThat(spans).as("a plain trace is kept whole, by the probabilistic policy: %s", traceId)
            .extracting(io.tributary.schemas.avro.Span::getSpanId).containsExactlyInAnyOrderElementsOf(spansByTrace.get(traceId));
        assertThat(spans).extracting(io.tributary.schemas.avro.Span::getSamplingPolicy).containsOnly("probabilistic");
      }
    });
    long plainKept = written.keySet().stream().filter(id -> !expectedPolicy.containsKey(id)).count();
    assertThat(plainKept).as("plain traces kept (20 %% of %s)", PLAIN_TRACES).isBetween(1L, (long) PLAIN_TRACES / 2);
  }

  /** One trace of {@link #SPANS_PER_TRACE} spans; its trace id, and its span ids into {@code spanIds}. */
  private static String emitTrace(Tracer tracer, String kind, Instant start, Set<String> spanIds) {
    Duration length = kind.equals("slow") ? Duration.ofSeconds(3) : Duration.ofMillis(50);
    Span root = tracer.spanBuilder("GET /cart").setStartTimestamp(start).startSpan();
    Context parent = Context.current().with(root);
    for (int child = 1; child < SPANS_PER_TRACE; child++) {
      Span span = tracer.spanBuilder("step " + child).setParent(parent).setStartTimestamp(start.plusMillis(child))
          .startSpan();
      if (kind.equals("errors") && child == 1) {
        span.setStatus(StatusCode.ERROR, "payment declined");
      }
      span.end(start.plus(length).minusMillis(child));
      spanIds.add(span.getSpanContext().getSpanId());
    }
    root.end(start.plus(length));
    spanIds.add(root.getSpanContext().getSpanId());
    return root.getSpanContext().getTraceId();
  }

  private static long decisions(String exposition) {
    return exposition.lines().filter(line -> line.startsWith("tributary_sampling_decisions_total{"))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  /** Every committed record of {@code telemetry.spans}, decoded. */
  private static List<io.tributary.schemas.avro.Span> readSpans(String bootstrapServers) {
    return AvroValues.decode(io.tributary.schemas.avro.Span.class,
        TestTopics.readAll(bootstrapServers, TopicCatalog.SPANS.name()));
  }
}
