package io.tributary.gateway.internal;

import static io.tributary.testsupport.Compression.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.testsupport.FuzzedEdits;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.schemas.otlp.OtlpJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of what the gateway does with a request body before Kafka: gunzip,
 * OTLP/JSON, and the protobuf wire walker that validates and splits. Inputs are valid requests of each
 * signal and encoding with fuzzer-chosen mutations, or raw fuzzer bytes. For every input:
 * <ul>
 *   <li>the body is accepted or refused with one of the reasons the endpoints turn into 400 or 413;
 *       anything else escaping (which the endpoints would answer with 500) is a finding;
 *   <li>an accepted body parses with protobuf-java, every record the walker made parses too, and the
 *       records hold exactly the items protobuf-java sees in the body that pass the item checks, each
 *       under its original resource and scope (the differential check);
 *   <li>the item counts of the split agree with that.
 * </ul>
 * In the normal build it fuzzes for {@code fuzz.duration}; see docs/fuzzing.md for the long run.
 */
class GatewayRequestFuzzTest {

  /** Small, so decompression bombs meet the limit quickly. */
  private static final int MAX_REQUEST_BYTES = 256 * 1024;
  /** Large enough for any item of a request, so no item is refused as too large for a record. */
  private static final int MAX_RECORD_BYTES = 2 * MAX_REQUEST_BYTES;

  private static final Map<OtlpSignal, ExportSplitter> SPLITTERS = new EnumMap<>(OtlpSignal.class);
  private static final Map<OtlpSignal, Message> SAMPLES = new EnumMap<>(OtlpSignal.class);
  private static final Map<OtlpSignal, byte[]> PROTOBUF_SAMPLES = new EnumMap<>(OtlpSignal.class);
  private static final Map<OtlpSignal, byte[]> JSON_SAMPLES = new EnumMap<>(OtlpSignal.class);

  static {
    for (OtlpSignal signal : OtlpSignal.values()) {
      SPLITTERS.put(signal, new ExportSplitter(signal.requestDescriptor, signal.inspectors, MAX_RECORD_BYTES));
    }
    SAMPLES.put(OtlpSignal.TRACES, OtlpSamples.interleavedTraces(3, 2, 1).toBuilder()
        .addResourceSpans(OtlpSamples.traces(OtlpSamples.resource("bad-ids"), OtlpSamples.scope("s"), List.of(
            OtlpSamples.span(OtlpSamples.traceId(9), ByteString.copyFrom(new byte[8]), null, "zero span id")))
            .getResourceSpans(0))
        .build());
    SAMPLES.put(OtlpSignal.LOGS, OtlpSamples.logs(OtlpSamples.resource("logs"), List.of(
        OtlpSamples.logRecord("with ids", OtlpSamples.traceId(7), OtlpSamples.spanId(70)),
        OtlpSamples.logRecord("without ids", null, null),
        OtlpSamples.logRecord("short trace id", ByteString.copyFrom(new byte[3]), null))));
    SAMPLES.put(OtlpSignal.METRICS, OtlpSamples.metrics(OtlpSamples.resource("metrics"), List.of(
        OtlpSamples.gauge("queue.depth", 1, 2, 3), OtlpSamples.counter("requests", 5), OtlpSamples.histogram("latency"),
        OtlpSamples.counter("", 1))));
    SAMPLES.forEach((signal, sample) -> {
      PROTOBUF_SAMPLES.put(signal, sample.toByteArray());
      JSON_SAMPLES.put(signal, OtlpJson.print(sample));
    });
  }

  @FuzzTest(maxDuration = "10s")
  void anyBodyIsAcceptedWithItsItemsOrRefusedAsBadRequest(FuzzedDataProvider data) throws Exception {
    OtlpSignal signal = data.pickValue(OtlpSignal.values());
    boolean json = data.consumeBoolean();
    boolean gzip = data.consumeBoolean();
    byte[] body;
    if (data.consumeBoolean()) {
      body = data.consumeBytes(MAX_REQUEST_BYTES);
    } else {
      body = FuzzedEdits.mutate((json ? JSON_SAMPLES : PROTOBUF_SAMPLES).get(signal), data);
    }
    if (gzip && data.consumeBoolean()) {
      body = gzip(body);
    }

    byte[] protobuf;
    try {
      protobuf = decode(signal, body, gzip, json);
    } catch (MalformedRequestException | InvalidProtocolBufferException | BoundedGunzip.TooLargeException e) {
      return; // 400 or 413: nothing written
    }
    SplitResult split;
    try {
      split = SPLITTERS.get(signal).split(protobuf, 0, protobuf.length);
    } catch (MalformedRequestException e) {
      // The walker is stricter than nothing, never laxer than protobuf-java: refusing is always allowed.
      return;
    }
    assertSameItemsAsProtobufJava(signal, protobuf, split);
  }

  /** The endpoints' decoding, in their order: gunzip with the size limit, then OTLP/JSON to protobuf. */
  private static byte[] decode(OtlpSignal signal, byte[] body, boolean gzip, boolean json)
      throws MalformedRequestException, InvalidProtocolBufferException, BoundedGunzip.TooLargeException {
    if (body.length > MAX_REQUEST_BYTES) {
      throw new BoundedGunzip.TooLargeException("over the limit");
    }
    byte[] decoded = body;
    if (gzip) {
      decoded = BoundedGunzip.gunzip(body, MAX_REQUEST_BYTES).toArray();
      assertThat(decoded.length).isLessThanOrEqualTo(MAX_REQUEST_BYTES);
    }
    if (json) {
      decoded = OtlpJson.merge(decoded, signal.newRequestBuilder()).build().toByteArray();
    }
    return decoded;
  }

  private static void assertSameItemsAsProtobufJava(OtlpSignal signal, byte[] protobuf, SplitResult split)
      throws InvalidProtocolBufferException {
    Message request = parse(signal, protobuf); // throws: the walker accepted what protobuf-java refuses
    Map<Object, Integer> expected = new HashMap<>();
    long valid = 0;
    long total = 0;
    for (Object[] item : items(signal, request)) {
      total += count(signal, item[2]);
      if (passesItemChecks(item[2])) {
        expected.merge(Arrays.asList(item), 1, Integer::sum);
        valid += count(signal, item[2]);
      }
    }
    Map<Object, Integer> written = new HashMap<>();
    for (int i = 0; i < split.recordCount; i++) {
      for (Object[] item : items(signal, parse(signal, split.values[i]))) {
        written.merge(Arrays.asList(item), 1, Integer::sum);
      }
    }
    assertThat(written).as("items written, with their resource and scope").isEqualTo(expected);
    assertThat(split.acceptedItems).isEqualTo(valid);
    assertThat(split.acceptedItems + split.rejectedItems).isEqualTo(total);
  }

  private static Message parse(OtlpSignal signal, byte[] bytes) throws InvalidProtocolBufferException {
    return switch (signal) {
      case TRACES -> ExportTraceServiceRequest.parseFrom(bytes);
      case LOGS -> ExportLogsServiceRequest.parseFrom(bytes);
      case METRICS -> ExportMetricsServiceRequest.parseFrom(bytes);
    };
  }

  /** {resource with its schema url, scope with its schema url, item} of every item, as protobuf-java reads them. */
  private static List<Object[]> items(OtlpSignal signal, Message request) {
    List<Object[]> items = new ArrayList<>();
    switch (signal) {
      case TRACES -> ((ExportTraceServiceRequest) request).getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
          .forEach(ss -> ss.getSpansList().forEach(span -> items.add(new Object[] {
              List.of(rs.getResource(), rs.getSchemaUrl()), List.of(ss.getScope(), ss.getSchemaUrl()), span}))));
      case LOGS -> ((ExportLogsServiceRequest) request).getResourceLogsList().forEach(rl -> rl.getScopeLogsList()
          .forEach(sl -> sl.getLogRecordsList().forEach(log -> items.add(new Object[] {
              List.of(rl.getResource(), rl.getSchemaUrl()), List.of(sl.getScope(), sl.getSchemaUrl()), log}))));
      case METRICS -> ((ExportMetricsServiceRequest) request).getResourceMetricsList().forEach(rm -> rm
          .getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(metric -> items.add(new Object[] {
              List.of(rm.getResource(), rm.getSchemaUrl()), List.of(sm.getScope(), sm.getSchemaUrl()), metric}))));
    }
    return items;
  }

  /** The item checks of the gateway's README, written out independently of ItemInspector. */
  private static boolean passesItemChecks(Object item) {
    if (item instanceof Span span) {
      return isId(span.getTraceId(), 16) && isId(span.getSpanId(), 8)
          && (span.getParentSpanId().isEmpty() || span.getParentSpanId().size() == 8);
    }
    if (item instanceof LogRecord log) {
      return (log.getTraceId().isEmpty() || log.getTraceId().size() == 16)
          && (log.getSpanId().isEmpty() || log.getSpanId().size() == 8);
    }
    return !((Metric) item).getName().isEmpty();
  }

  private static boolean isId(ByteString id, int length) {
    return id.size() == length && !id.equals(ByteString.copyFrom(new byte[length]));
  }

  /** Spans and log records count 1, a metric its data points. */
  private static long count(OtlpSignal signal, Object item) {
    if (signal != OtlpSignal.METRICS) {
      return 1;
    }
    Metric metric = (Metric) item;
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }
}
