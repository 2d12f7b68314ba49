package io.tributary.gateway.internal;

import static io.tributary.testsupport.OtlpSamples.hex;
import static io.tributary.testsupport.OtlpSamples.resource;
import static io.tributary.testsupport.OtlpSamples.scope;
import static io.tributary.testsupport.OtlpSamples.span;
import static io.tributary.testsupport.OtlpSamples.spanId;
import static io.tributary.testsupport.OtlpSamples.traceId;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.schemas.otlp.OtlpRecordKeys;
import io.tributary.testsupport.OtlpSamples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExportSplitterTest {

  private static final int MAX_RECORD = 8 * 1024 * 1024;

  private final ExportSplitter traces = new ExportSplitter(
      ExportTraceServiceRequest.getDescriptor(), ItemInspector::spans, MAX_RECORD);
  private final ExportSplitter logs = new ExportSplitter(
      ExportLogsServiceRequest.getDescriptor(), ItemInspector::logRecords, MAX_RECORD);
  private final ExportSplitter metrics = new ExportSplitter(
      ExportMetricsServiceRequest.getDescriptor(), ItemInspector::metrics, MAX_RECORD);

  /** Where a span came from: its resource, scope and schema urls. */
  private record Origin(Resource resource, String resourceSchemaUrl, InstrumentationScope scope, String scopeSchemaUrl) {}

  private static Map<ByteString, Origin> origins(ExportTraceServiceRequest request) {
    Map<ByteString, Origin> origins = new HashMap<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          origins.put(span.getSpanId(), new Origin(rs.getResource(), rs.getSchemaUrl(), ss.getScope(), ss.getSchemaUrl()));
        }
      }
    }
    return origins;
  }

  private static List<Span> spansOf(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream()).toList();
  }

  @Test
  void shouldRegroupSpansPerTraceKeepingEverySpanUnderItsResourceAndScope() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.interleavedTraces(5, 7, 1);
    Map<ByteString, Origin> origins = origins(request);

    SplitResult split = traces.split(request.toByteArray());

    assertThat(split.recordCount).isEqualTo(5);
    assertThat(split.acceptedItems).isEqualTo(35);
    assertThat(split.rejectedItems).isZero();
    List<Span> written = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < split.recordCount; i++) {
      ExportTraceServiceRequest record = ExportTraceServiceRequest.parseFrom(split.values[i]);
      String key = new String(split.keys[i], US_ASCII);
      keys.add(key);
      for (ResourceSpans rs : record.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            assertThat(hex(span.getTraceId())).as("record key is the trace id of each of its spans").isEqualTo(key);
            assertThat(new Origin(rs.getResource(), rs.getSchemaUrl(), ss.getScope(), ss.getSchemaUrl()))
                .as("span %s keeps its resource and scope", hex(span.getSpanId()))
                .isEqualTo(origins.get(span.getSpanId()));
            written.add(span);
          }
        }
      }
    }
    assertThat(keys).hasSize(5).allMatch(k -> k.matches("[0-9a-f]{32}"));
    // Every span exactly once, byte for byte, in its original order within its trace.
    List<Span> original = spansOf(request);
    assertThat(written).containsExactlyInAnyOrderElementsOf(original);
    for (int i = 0; i < split.recordCount; i++) {
      List<Span> inRecord = spansOf(ExportTraceServiceRequest.parseFrom(split.values[i]));
      List<Span> expectedOrder = original.stream().filter(s -> s.getTraceId().equals(inRecord.get(0).getTraceId())).toList();
      assertThat(inRecord).containsExactlyElementsOf(expectedOrder);
    }
  }

  @Test
  void shouldCopyResourceAndScopeFieldsByteForByte() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.interleavedTraces(2, 3, 50);
    byte[] bytes = request.toByteArray();

    SplitResult split = traces.split(bytes);

    // Re-serializing the parsed record gives the same bytes: nothing was re-encoded differently.
    for (int i = 0; i < split.recordCount; i++) {
      assertThat(ExportTraceServiceRequest.parseFrom(split.values[i]).toByteArray()).isEqualTo(split.values[i]);
    }
    byte[] resourceBytes = request.getResourceSpans(0).getResource().toByteArray();
    assertThat(indexOf(split.values[0], resourceBytes)).isNotNegative();
  }

  @Test
  void shouldWriteASingleTraceRequestAsItCame() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.traces(resource("svc"), scope("s"),
        List.of(span(7, 1), span(7, 2), span(7, 3)));
    byte[] bytes = request.toByteArray();

    SplitResult split = traces.split(bytes);

    assertThat(split.recordCount).isEqualTo(1);
    assertThat(split.values[0]).isEqualTo(bytes);
    assertThat(new String(split.keys[0], US_ASCII)).isEqualTo(hex(traceId(7)));
  }

  @Test
  void shouldRejectSpansWithInvalidIdsAndWriteNothingOfThem() throws Exception {
    List<Span> spans = List.of(
        span(1, 0).toBuilder().setTraceId(ByteString.copyFrom(new byte[17])).build(), // rejected before any accepted
        span(1, 1),
        span(1, 2).toBuilder().setTraceId(ByteString.copyFrom(new byte[15])).build(),
        span(1, 3).toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build(),
        span(1, 4).toBuilder().clearTraceId().build(),
        span(1, 5).toBuilder().setSpanId(ByteString.copyFrom(new byte[8])).build(),
        span(1, 6).toBuilder().setSpanId(ByteString.copyFrom(new byte[7])).build(),
        span(1, 7).toBuilder().clearSpanId().build(),
        span(1, 8).toBuilder().setParentSpanId(ByteString.copyFrom(new byte[3])).build(),
        span(2, 9).toBuilder().setParentSpanId(spanId(1)).build());

    SplitResult split = traces.split(OtlpSamples.traces(resource("svc"), scope("s"), spans).toByteArray());

    assertThat(split.acceptedItems).isEqualTo(2);
    assertThat(split.rejectedItems).isEqualTo(8);
    assertThat(split.rejectedByReason).containsExactlyInAnyOrderEntriesOf(Map.of(
        RejectReason.INVALID_TRACE_ID, 4L, RejectReason.INVALID_SPAN_ID, 3L, RejectReason.INVALID_PARENT_SPAN_ID, 1L));
    assertThat(split.rejectionMessage("spans")).startsWith("8 spans rejected: ").contains("4 invalid_trace_id");
    List<ByteString> writtenIds = new ArrayList<>();
    for (int i = 0; i < split.recordCount; i++) {
      spansOf(ExportTraceServiceRequest.parseFrom(split.values[i])).forEach(s -> writtenIds.add(s.getSpanId()));
    }
    assertThat(writtenIds).containsExactlyInAnyOrder(spanId(1), spanId(9));
  }

  @Test
  void shouldRejectMalformedProtobuf() {
    byte[] valid = OtlpSamples.interleavedTraces(2, 2, 1).toByteArray();
    assertThatThrownBy(() -> traces.split(Arrays.copyOf(valid, valid.length - 3)))
        .isInstanceOf(MalformedRequestException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> traces.split(new byte[] {0x0f, 1, 2}))
        .isInstanceOf(MalformedRequestException.class).hasMessageContaining("wire type");
    assertThatThrownBy(() -> traces.split(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}))
        .isInstanceOf(MalformedRequestException.class);
    assertThatThrownBy(() -> traces.split("not protobuf at all".getBytes(US_ASCII)))
        .isInstanceOf(MalformedRequestException.class);
  }

  @Test
  void shouldRejectInvalidUtf8DeepInsideASpan() {
    Span span = span(1, 1).toBuilder().addAttributes(OtlpSamples.attribute("k", OtlpSamples.string("MARK"))).build();
    byte[] bytes = OtlpSamples.traces(resource("svc"), scope("s"), List.of(span)).toByteArray();
    int mark = indexOf(bytes, "MARK".getBytes(US_ASCII));
    bytes[mark] = (byte) 0xc0; // an overlong UTF-8 lead byte

    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(bytes)).isInstanceOf(InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> traces.split(bytes))
        .isInstanceOf(MalformedRequestException.class).hasMessageContaining("UTF-8");
  }

  /** Whatever the splitter accepts, protobuf-java parses: consumers never meet a record they cannot read. */
  @Test
  void shouldNeverAcceptBytesThatProtobufRejects() throws Exception {
    byte[] valid = OtlpSamples.interleavedTraces(3, 2, 1).toByteArray();
    Random random = new Random(20260102L);
    int accepted = 0;
    int rejected = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] mutated = mutate(valid, random);
      SplitResult split;
      try {
        split = traces.split(mutated);
      } catch (MalformedRequestException e) {
        rejected++;
        continue;
      }
      accepted++;
      ExportTraceServiceRequest.parseFrom(mutated);
      for (int i = 0; i < split.recordCount; i++) {
        ExportTraceServiceRequest.parseFrom(split.values[i]);
      }
    }
    assertThat(accepted).as("some mutations stay valid").isPositive();
    assertThat(rejected).as("some mutations are malformed").isPositive();
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] copy = valid.clone();
    switch (random.nextInt(3)) {
      case 0 -> copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
      case 1 -> {
        int at = random.nextInt(copy.length);
        copy[at] = (byte) (copy[at] ^ (1 << random.nextInt(8)));
      }
      default -> copy = Arrays.copyOf(copy, random.nextInt(copy.length));
    }
    return copy;
  }

  @Test
  void shouldCutAGroupLargerThanTheRecordLimitIntoRecordsWithTheSameKey() throws Exception {
    ExportSplitter small = new ExportSplitter(ExportTraceServiceRequest.getDescriptor(), ItemInspector::spans, 3000);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      spans.add(span(3, i));
    }
    ExportTraceServiceRequest request = OtlpSamples.traces(resource("svc"), scope("s"), spans);

    SplitResult split = small.split(request.toByteArray());

    assertThat(split.recordCount).isGreaterThan(1);
    List<Span> written = new ArrayList<>();
    for (int i = 0; i < split.recordCount; i++) {
      assertThat(split.values[i].length).isLessThanOrEqualTo(3000);
      assertThat(new String(split.keys[i], US_ASCII)).isEqualTo(hex(traceId(3)));
      ExportTraceServiceRequest record = ExportTraceServiceRequest.parseFrom(split.values[i]);
      assertThat(record.getResourceSpans(0).getResource()).isEqualTo(resource("svc"));
      written.addAll(spansOf(record));
    }
    assertThat(written).containsExactlyElementsOf(spans);
  }

  @Test
  void shouldRejectAnItemLargerThanTheRecordLimit() throws Exception {
    ExportSplitter small = new ExportSplitter(ExportTraceServiceRequest.getDescriptor(), ItemInspector::spans, 3000);
    Span huge = span(4, 1).toBuilder().setName("x".repeat(5000)).build();
    SplitResult split = small.split(OtlpSamples.traces(resource("svc"), scope("s"), List.of(huge, span(4, 2)))
        .toByteArray());

    assertThat(split.rejectedByReason).containsExactlyEntriesOf(Map.of(RejectReason.TOO_LARGE, 1L));
    assertThat(split.recordCount).isEqualTo(1);
    assertThat(spansOf(ExportTraceServiceRequest.parseFrom(split.values[0]))).containsExactly(span(4, 2));
  }

  @Test
  void shouldKeyLogsByTraceIdWhenPresentElseByResource() throws Exception {
    List<LogRecord> records = List.of(
        OtlpSamples.logRecord("with trace", traceId(1), spanId(1)),
        OtlpSamples.logRecord("no trace", null, null),
        OtlpSamples.logRecord("zero ids mean no trace", ByteString.copyFrom(new byte[16]), ByteString.copyFrom(new byte[8])),
        OtlpSamples.logRecord("bad trace", ByteString.copyFrom(new byte[5]), null),
        OtlpSamples.logRecord("bad span", traceId(1), ByteString.copyFrom(new byte[3])));
    ExportLogsServiceRequest request = OtlpSamples.logs(resource("svc"), records);

    SplitResult split = logs.split(request.toByteArray());
    SplitResult again = logs.split(OtlpSamples.logs(resource("svc"), List.of(records.get(1))).toByteArray());
    SplitResult otherResource = logs.split(OtlpSamples.logs(resource("other"), List.of(records.get(1))).toByteArray());

    assertThat(split.acceptedItems).isEqualTo(3);
    assertThat(split.rejectedByReason).containsExactlyInAnyOrderEntriesOf(Map.of(
        RejectReason.INVALID_TRACE_ID, 1L, RejectReason.INVALID_SPAN_ID, 1L));
    assertThat(split.recordCount).isEqualTo(2);
    Map<String, List<String>> bodiesByKey = new HashMap<>();
    for (int i = 0; i < split.recordCount; i++) {
      ExportLogsServiceRequest record = ExportLogsServiceRequest.parseFrom(split.values[i]);
      bodiesByKey.put(new String(split.keys[i], US_ASCII), record.getResourceLogs(0).getScopeLogs(0).getLogRecordsList()
          .stream().map(l -> l.getBody().getStringValue()).toList());
    }
    String resourceKey = new String(again.keys[0], US_ASCII);
    assertThat(bodiesByKey).containsExactlyInAnyOrderEntriesOf(Map.of(
        hex(traceId(1)), List.of("with trace"),
        resourceKey, List.of("no trace", "zero ids mean no trace")));
    assertThat(resourceKey).matches("[0-9a-f]{16}").isNotEqualTo(new String(otherResource.keys[0], US_ASCII));
    // The shared rule, which the pipelines' OTLP output topics use too, gives the same keys.
    long resourceHash = OtlpRecordKeys.resourceHash(resource("svc"));
    assertThat(OtlpRecordKeys.logKey(records.get(1), resourceHash)).isEqualTo(resourceKey);
    assertThat(OtlpRecordKeys.logKey(records.get(2), resourceHash)).isEqualTo(resourceKey);
    assertThat(OtlpRecordKeys.logKey(records.get(0), resourceHash)).isEqualTo(hex(traceId(1)));
  }

  @Test
  void shouldSplitMetricsByResourceAndNameAndCountDataPoints() throws Exception {
    List<Metric> list = List.of(
        OtlpSamples.gauge("cpu", 1, 2, 3),
        OtlpSamples.counter("requests", 5),
        OtlpSamples.histogram("latency"),
        OtlpSamples.gauge("cpu", 4),
        OtlpSamples.gauge("", 1, 2));
    SplitResult split = metrics.split(OtlpSamples.metrics(resource("svc"), list).toByteArray());

    assertThat(split.acceptedItems).isEqualTo(6);
    assertThat(split.rejectedByReason).containsExactlyEntriesOf(Map.of(RejectReason.MISSING_METRIC_NAME, 2L));
    assertThat(split.recordCount).isEqualTo(3);
    Map<String, List<String>> namesByKey = new HashMap<>();
    for (int i = 0; i < split.recordCount; i++) {
      ExportMetricsServiceRequest record = ExportMetricsServiceRequest.parseFrom(split.values[i]);
      namesByKey.put(new String(split.keys[i], US_ASCII), record.getResourceMetrics(0).getScopeMetrics(0)
          .getMetricsList().stream().map(Metric::getName).toList());
      assertThat(record.getResourceMetrics(0).getResource()).isEqualTo(resource("svc"));
    }
    assertThat(namesByKey.values()).containsExactlyInAnyOrder(List.of("cpu", "cpu"), List.of("requests"), List.of("latency"));
    // Stable: the same resource and name give the same key in another request.
    SplitResult again = metrics.split(OtlpSamples.metrics(resource("svc"), List.of(OtlpSamples.counter("requests", 9)))
        .toByteArray());
    assertThat(namesByKey).containsKey(new String(again.keys[0], US_ASCII));
    assertThat(new String(again.keys[0], US_ASCII)).as("the shared rule")
        .isEqualTo(OtlpRecordKeys.metricKey(OtlpRecordKeys.resourceHash(resource("svc")), "requests"));
  }

  @Test
  void shouldAcceptAnEmptyRequest() throws Exception {
    SplitResult split = traces.split(new byte[0]);
    assertThat(split.recordCount).isZero();
    assertThat(split.acceptedItems).isZero();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
