package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.testsupport.TestTopics.readAll;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.testsupport.OtlpSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real OpenTelemetry Java SDK exporters, over gRPC and HTTP/protobuf, send traces, logs and metrics
 * to a running gateway; what Kafka holds equals what the SDK produced, field by field. The exporters'
 * own success is not trusted alone: the assertions are on the records.
 */
@ExtendWith(SharedKafkaBroker.class)
class OtlpSdkIT {

  private static final long T0 = OtlpSamples.T0;
  private static final io.opentelemetry.sdk.resources.Resource RESOURCE = io.opentelemetry.sdk.resources.Resource
      .create(Attributes.of(AttributeKey.stringKey("service.name"), "sdk-it",
          AttributeKey.stringKey("service.version"), "1.0.0"));

  private static String kafka;
  private static GatewayTestSupport.Topics topics;
  private static OtlpGateway gateway;

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    topics = createTopics(kafka, "sdk", 3);
    gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics).build());
    Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String grpcEndpoint() {
    return "http://127.0.0.1:" + gateway.grpcPort();
  }

  private static String httpEndpoint(String path) {
    return "http://127.0.0.1:" + gateway.httpPort() + path;
  }

  private static void assertExported(CompletableResultCode result) {
    assertThat(result.join(30, SECONDS).isSuccess()).as("exporter result").isTrue();
  }

  /** Every attribute type the SDK has. */
  private static Attributes allTypes(String prefix) {
    return Attributes.builder()
        .put(prefix + ".string", "välue ✓")
        .put(prefix + ".bool", true)
        .put(prefix + ".long", -42L)
        .put(prefix + ".double", 2.5)
        .put(AttributeKey.stringArrayKey(prefix + ".strings"), List.of("a", "b"))
        .put(AttributeKey.booleanArrayKey(prefix + ".bools"), List.of(true, false))
        .put(AttributeKey.longArrayKey(prefix + ".longs"), List.of(1L, 2L))
        .put(AttributeKey.doubleArrayKey(prefix + ".doubles"), List.of(0.5, 1.5))
        .build();
  }

  // --- traces ---

  @Test
  void shouldDeliverSdkSpansOverGrpcAndHttpFieldByField() throws Exception {
    for (String transport : List.of("grpc", "http", "http-gzip")) {
      List<SpanData> sent = sdkSpans(transport);
      SpanExporter exporter = switch (transport) {
        case "grpc" -> OtlpGrpcSpanExporter.builder().setEndpoint(grpcEndpoint()).build();
        case "http" -> OtlpHttpSpanExporter.builder().setEndpoint(httpEndpoint("/v1/traces")).build();
        default -> OtlpHttpSpanExporter.builder().setEndpoint(httpEndpoint("/v1/traces")).setCompression("gzip").build();
      };
      try {
        assertExported(exporter.export(sent));
      } finally {
        exporter.shutdown().join(10, SECONDS);
      }
      assertSpansInKafka(transport, sent);
    }
  }

  private static List<SpanData> sdkSpans(String transport) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SdkTracerProvider provider = SdkTracerProvider.builder().setResource(RESOURCE)
        .addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
      Tracer tracer = provider.tracerBuilder("io.tributary.sdk-it").setInstrumentationVersion("2.0.0").build();
      SpanContext linked = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
          TraceFlags.getSampled(), TraceState.getDefault());
      for (int trace = 0; trace < 3; trace++) {
        io.opentelemetry.api.trace.Span root = tracer.spanBuilder(transport + " root " + trace)
            .setSpanKind(SpanKind.SERVER).setStartTimestamp(T0, NANOSECONDS).setAllAttributes(allTypes("root"))
            .addLink(linked, Attributes.of(AttributeKey.stringKey("link.reason"), "retry")).startSpan();
        io.opentelemetry.api.trace.Span child = tracer.spanBuilder(transport + " child " + trace)
            .setParent(Context.root().with(root)).setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(T0 + 1_000, NANOSECONDS).setAttribute("db.system", "postgresql").startSpan();
        child.addEvent("query", Attributes.of(AttributeKey.longKey("rows"), 7L), T0 + 2_000, NANOSECONDS);
        child.setStatus(StatusCode.ERROR, "connection reset");
        child.end(T0 + 5_000, NANOSECONDS);
        root.setStatus(StatusCode.OK);
        root.end(T0 + 9_000, NANOSECONDS);
      }
      // Read before closing: shutting the provider down clears the in-memory exporter.
      List<SpanData> spans = memory.getFinishedSpanItems();
      assertThat(spans).hasSize(6);
      return spans;
    }
  }

  /** A written span with the resource and scope it was written under. */
  private record WrittenSpan(Span span, Resource resource, InstrumentationScope scope) {}

  private static void assertSpansInKafka(String transport, List<SpanData> sent) throws Exception {
    Set<String> traceIds = sent.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    Map<String, WrittenSpan> written = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topics.spans())) {
      String key = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
      if (!traceIds.contains(key)) {
        continue;
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(record.value());
      request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> {
        assertThat(hex(s.getTraceId())).isEqualTo(key);
        written.put(hex(s.getSpanId()), new WrittenSpan(s, rs.getResource(), ss.getScope()));
      })));
    }
    assertThat(written).as("%s: spans in Kafka", transport).hasSize(sent.size());
    for (SpanData expected : sent) {
      WrittenSpan actual = written.get(expected.getSpanId());
      assertThat(actual).as("%s: span %s", transport, expected.getName()).isNotNull();
      Span span = actual.span();
      assertThat(hex(span.getTraceId())).isEqualTo(expected.getTraceId());
      assertThat(span.getParentSpanId()).isEqualTo(expected.getParentSpanContext().isValid()
          ? ByteString.fromHex(expected.getParentSpanId()) : ByteString.EMPTY);
      assertThat(span.getName()).isEqualTo(expected.getName());
      assertThat(span.getKind().getNumber()).isEqualTo(expected.getKind().ordinal() + 1);
      assertThat(span.getStartTimeUnixNano()).isEqualTo(expected.getStartEpochNanos());
      assertThat(span.getEndTimeUnixNano()).isEqualTo(expected.getEndEpochNanos());
      assertThat(attributes(span.getAttributesList())).isEqualTo(attributes(expected.getAttributes()));
      assertThat(span.getEventsCount()).isEqualTo(expected.getEvents().size());
      for (int i = 0; i < span.getEventsCount(); i++) {
        EventData event = expected.getEvents().get(i);
        assertThat(span.getEvents(i).getName()).isEqualTo(event.getName());
        assertThat(span.getEvents(i).getTimeUnixNano()).isEqualTo(event.getEpochNanos());
        assertThat(attributes(span.getEvents(i).getAttributesList())).isEqualTo(attributes(event.getAttributes()));
      }
      assertThat(span.getLinksCount()).isEqualTo(expected.getLinks().size());
      for (int i = 0; i < span.getLinksCount(); i++) {
        LinkData link = expected.getLinks().get(i);
        assertThat(hex(span.getLinks(i).getTraceId())).isEqualTo(link.getSpanContext().getTraceId());
        assertThat(hex(span.getLinks(i).getSpanId())).isEqualTo(link.getSpanContext().getSpanId());
        assertThat(attributes(span.getLinks(i).getAttributesList())).isEqualTo(attributes(link.getAttributes()));
      }
      assertThat(span.getStatus().getCode().getNumber()).isEqualTo(switch (expected.getStatus().getStatusCode()) {
        case UNSET -> 0;
        case OK -> 1;
        case ERROR -> 2;
      });
      assertThat(span.getStatus().getMessage()).isEqualTo(expected.getStatus().getDescription());
      assertThat(attributes(actual.resource().getAttributesList())).isEqualTo(attributes(expected.getResource().getAttributes()));
      assertThat(actual.scope().getName()).isEqualTo(expected.getInstrumentationScopeInfo().getName());
      assertThat(actual.scope().getVersion()).isEqualTo(expected.getInstrumentationScopeInfo().getVersion());
    }
  }

  // --- logs ---

  @Test
  void shouldDeliverSdkLogRecordsOverGrpcAndHttpFieldByField() throws Exception {
    for (String transport : List.of("grpc", "grpc-gzip", "http")) {
      List<LogRecordData> sent = sdkLogs(transport);
      LogRecordExporter exporter = switch (transport) {
        case "grpc" -> OtlpGrpcLogRecordExporter.builder().setEndpoint(grpcEndpoint()).build();
        case "grpc-gzip" -> OtlpGrpcLogRecordExporter.builder().setEndpoint(grpcEndpoint()).setCompression("gzip").build();
        default -> OtlpHttpLogRecordExporter.builder().setEndpoint(httpEndpoint("/v1/logs")).build();
      };
      try {
        assertExported(exporter.export(sent));
      } finally {
        exporter.shutdown().join(10, SECONDS);
      }
      Map<String, LogRecord> written = new HashMap<>();
      Map<String, Resource> resources = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topics.logs())) {
        ExportLogsServiceRequest.parseFrom(record.value()).getResourceLogsList().forEach(rl -> rl.getScopeLogsList()
            .forEach(sl -> sl.getLogRecordsList().forEach(l -> {
              written.put(l.getBody().getStringValue(), l);
              resources.put(l.getBody().getStringValue(), rl.getResource());
            })));
      }
      for (LogRecordData expected : sent) {
        String body = expected.getBodyValue().asString();
        LogRecord actual = written.get(body);
        assertThat(actual).as("%s: log record %s in Kafka", transport, body).isNotNull();
        assertThat(actual.getTimeUnixNano()).isEqualTo(expected.getTimestampEpochNanos());
        assertThat(actual.getObservedTimeUnixNano()).isEqualTo(expected.getObservedTimestampEpochNanos());
        assertThat(actual.getSeverityNumber().getNumber()).isEqualTo(expected.getSeverity().getSeverityNumber());
        assertThat(actual.getSeverityText()).isEqualTo(java.util.Objects.requireNonNullElse(expected.getSeverityText(), ""));
        assertThat(attributes(actual.getAttributesList())).isEqualTo(attributes(expected.getAttributes()));
        if (expected.getSpanContext().isValid()) {
          assertThat(hex(actual.getTraceId())).isEqualTo(expected.getSpanContext().getTraceId());
          assertThat(hex(actual.getSpanId())).isEqualTo(expected.getSpanContext().getSpanId());
        } else {
          assertThat(actual.getTraceId()).isEmpty();
        }
        assertThat(attributes(resources.get(body).getAttributesList()))
            .isEqualTo(attributes(expected.getResource().getAttributes()));
      }
    }
  }

  private static List<LogRecordData> sdkLogs(String transport) {
    InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
    try (SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(RESOURCE)
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(memory)).build()) {
      Logger logger = provider.get("io.tributary.sdk-it");
      SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
          TraceFlags.getSampled(), TraceState.getDefault());
      logger.logRecordBuilder().setTimestamp(T0, NANOSECONDS).setObservedTimestamp(T0 + 10, NANOSECONDS)
          .setSeverity(Severity.WARN).setSeverityText("WARN").setBody(transport + ": payment retried")
          .setAllAttributes(allTypes("log"))
          .setContext(Context.root().with(io.opentelemetry.api.trace.Span.wrap(span))).emit();
      logger.logRecordBuilder().setTimestamp(T0 + 1, NANOSECONDS).setObservedTimestamp(T0 + 11, NANOSECONDS)
          .setSeverity(Severity.ERROR).setBody(transport + ": no trace here").emit();
      List<LogRecordData> logs = memory.getFinishedLogRecordItems();
      assertThat(logs).hasSize(2);
      return logs;
    }
  }

  // --- metrics ---

  @Test
  void shouldDeliverSdkMetricsOverGrpcAndHttpFieldByField() throws Exception {
    for (String transport : List.of("grpc", "http", "http-gzip")) {
      List<MetricData> sent = sdkMetrics(transport);
      MetricExporter exporter = switch (transport) {
        case "grpc" -> OtlpGrpcMetricExporter.builder().setEndpoint(grpcEndpoint()).build();
        case "http" -> OtlpHttpMetricExporter.builder().setEndpoint(httpEndpoint("/v1/metrics")).build();
        default -> OtlpHttpMetricExporter.builder().setEndpoint(httpEndpoint("/v1/metrics")).setCompression("gzip").build();
      };
      try {
        assertExported(exporter.export(sent));
      } finally {
        exporter.shutdown().join(10, SECONDS);
      }
      Map<String, Metric> written = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topics.metrics())) {
        ExportMetricsServiceRequest.parseFrom(record.value()).getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList()
            .forEach(sm -> sm.getMetricsList().forEach(m -> written.put(m.getName(), m))));
      }
      for (MetricData expected : sent) {
        Metric actual = written.get(expected.getName());
        assertThat(actual).as("%s: metric %s in Kafka", transport, expected.getName()).isNotNull();
        assertThat(actual.getDescription()).isEqualTo(expected.getDescription());
        assertThat(actual.getUnit()).isEqualTo(expected.getUnit());
        switch (expected.getType()) {
          case LONG_SUM -> {
            assertThat(actual.getSum().getIsMonotonic()).isTrue();
            List<LongPointData> points = new ArrayList<>(expected.getLongSumData().getPoints());
            assertThat(actual.getSum().getDataPointsCount()).isEqualTo(points.size());
            for (NumberDataPoint point : actual.getSum().getDataPointsList()) {
              LongPointData match = points.stream().filter(p -> attributes(p.getAttributes())
                  .equals(attributes(point.getAttributesList()))).findFirst().orElseThrow();
              assertThat(point.getAsInt()).isEqualTo(match.getValue());
              assertThat(point.getStartTimeUnixNano()).isEqualTo(match.getStartEpochNanos());
              assertThat(point.getTimeUnixNano()).isEqualTo(match.getEpochNanos());
            }
          }
          case DOUBLE_GAUGE -> {
            DoublePointData point = expected.getDoubleGaugeData().getPoints().iterator().next();
            assertThat(actual.getGauge().getDataPoints(0).getAsDouble()).isEqualTo(point.getValue());
            assertThat(attributes(actual.getGauge().getDataPoints(0).getAttributesList()))
                .isEqualTo(attributes(point.getAttributes()));
          }
          case HISTOGRAM -> {
            HistogramPointData point = expected.getHistogramData().getPoints().iterator().next();
            HistogramDataPoint proto = actual.getHistogram().getDataPoints(0);
            assertThat(proto.getCount()).isEqualTo(point.getCount());
            assertThat(proto.getSum()).isEqualTo(point.getSum());
            assertThat(proto.getMin()).isEqualTo(point.getMin());
            assertThat(proto.getMax()).isEqualTo(point.getMax());
            assertThat(proto.getBucketCountsList()).isEqualTo(point.getCounts());
            assertThat(proto.getExplicitBoundsList()).isEqualTo(point.getBoundaries());
          }
          default -> throw new AssertionError("unexpected metric type " + expected.getType());
        }
      }
    }
  }

  private static List<MetricData> sdkMetrics(String transport) {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider provider = SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader)
        .build()) {
      Meter meter = provider.get("io.tributary.sdk-it");
      String prefix = transport.replace('-', '_') + ".";
      var counter = meter.counterBuilder(prefix + "requests").setDescription("requests served").setUnit("{request}").build();
      counter.add(5, Attributes.of(AttributeKey.stringKey("route"), "/a"));
      counter.add(2, Attributes.of(AttributeKey.stringKey("route"), "/b"));
      meter.gaugeBuilder(prefix + "temperature").setUnit("Cel").build().set(21.5, allTypes("gauge"));
      var histogram = meter.histogramBuilder(prefix + "latency").setUnit("ms").build();
      for (double value : new double[] {3, 7, 120}) {
        histogram.record(value);
      }
      List<MetricData> metrics = new ArrayList<>(reader.collectAllMetrics());
      assertThat(metrics).hasSize(3);
      return metrics;
    }
  }

  // --- attribute comparison ---

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> keyValues) {
    Map<String, AnyValue> map = new LinkedHashMap<>();
    keyValues.forEach(kv -> map.put(kv.getKey(), kv.getValue()));
    return map;
  }

  /** What an SDK attribute becomes in OTLP. */
  private static Map<String, AnyValue> attributes(Attributes attributes) {
    Map<String, AnyValue> map = new LinkedHashMap<>();
    attributes.forEach((key, value) -> map.put(key.getKey(), anyValue(value)));
    return map;
  }

  private static AnyValue anyValue(Object value) {
    AnyValue.Builder any = AnyValue.newBuilder();
    if (value instanceof String s) {
      any.setStringValue(s);
    } else if (value instanceof Boolean b) {
      any.setBoolValue(b);
    } else if (value instanceof Long l) {
      any.setIntValue(l);
    } else if (value instanceof Double d) {
      any.setDoubleValue(d);
    } else if (value instanceof List<?> list) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      list.forEach(v -> array.addValues(anyValue(v)));
      any.setArrayValue(array);
    } else {
      throw new AssertionError("unexpected attribute value " + value);
    }
    return any.build();
  }
}
