package io.tributary.processors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Generates telemetry with personal data and secrets planted in every place redaction covers
 * (resource and scope attributes, span, event and link attributes, status messages, string and
 * nested log bodies, metric labels and exemplar attributes, and gen_ai prompt/completion keys), runs
 * it through the real topologies with the shipped defaults, and proves that no planted value
 * survives while every other value comes out exactly as it went in.
 *
 * <p>The expected output is built from the model (each generated string knows its masked form), not
 * by the code under test.
 */
class RedactionPropertyTest {

  private static final String TENANT = "acme";
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final List<String> DROPPED_KEYS = List.of("gen_ai.prompt", "gen_ai.completion",
      "gen_ai.prompt.0.content", "gen_ai.completion.3.content", "GEN_AI.PROMPT", "http.request.header.authorization",
      "http.request.header.cookie", "gen_ai.input.messages");

  private Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, ?> output;

  @BeforeProperty
  void createStateDir() throws IOException {
    stateDir = Files.createTempDirectory("tributary-property");
  }

  @AfterProperty
  void close() throws IOException {
    if (driver != null) {
      driver.close();
      driver = null;
    }
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = 150)
  void shouldLeaveNoPlantedPiiInSpansAndKeepEverythingElse(@ForAll("traces") TraceModel trace) {
    Topics topics = Topics.traces();
    // Sampling off: every span comes out at once, so each try sees all it sent (sampling only drops).
    PipelineConfig unsampled = PipelineConfig.getDefault()
        .withSampling(SamplingConfig.builder().enabled(false).build());
    var out = run(() -> TracesTopology.build(unsampled, topics), topics, trace.request().toByteArray(), Span.class);

    List<KeyValue<String, Span>> written = out.readKeyValuesToList();
    assertThat(written).extracting(kv -> kv.key).containsOnly(TRACE_ID);
    assertThat(written).extracting(kv -> kv.value).containsExactlyElementsOf(trace.expected());
    assertNoneSurvives(trace.planted(), written.stream().map(kv -> kv.value).toList());
    assertThat(out.isEmpty()).isTrue();
  }

  @Property(tries = 150)
  void shouldLeaveNoPlantedPiiInLogsAndKeepEverythingElse(@ForAll("logs") LogsModel logs) {
    Topics topics = Topics.logs();
    var out = run(() -> LogsTopology.build(PipelineConfig.getDefault(), topics), topics, logs.request().toByteArray(),
        LogRecord.class);

    List<LogRecord> written = out.readValuesToList();
    assertThat(written).containsExactlyElementsOf(logs.expected());
    assertNoneSurvives(logs.planted(), written);
    assertThat(out.isEmpty()).isTrue();
  }

  @Property(tries = 150)
  void shouldLeaveNoPlantedPiiInMetricLabelsAndKeepEverythingElse(@ForAll("metrics") MetricsModel metrics) {
    Topics topics = Topics.metrics();
    var out = run(() -> MetricsTopology.build(PipelineConfig.getDefault(), topics), topics,
        metrics.request().toByteArray(), MetricPoint.class);

    List<KeyValue<String, MetricPoint>> written = out.readKeyValuesToList();
    assertThat(written).extracting(kv -> kv.value).containsExactlyElementsOf(metrics.expected());
    assertThat(written).allSatisfy(kv -> assertThat(kv.key).isEqualTo(kv.value.getSeriesId()));
    assertNoneSurvives(metrics.planted(), written.stream().map(kv -> kv.value).toList());
    assertThat(out.isEmpty()).isTrue();
  }

  /** One driver per property (built on its first try), so a try costs one record, not a topology. */
  @SuppressWarnings("unchecked")
  private <T extends org.apache.avro.specific.SpecificRecord> TestOutputTopic<String, T> run(
      Supplier<Topology> topology, Topics topics, byte[] request, Class<T> type) {
    if (driver == null) {
      driver = TestDrivers.driver(topology.get(), stateDir);
      raw = TestDrivers.rawInput(driver, topics);
      output = TestDrivers.output(driver, topics, type);
    }
    raw.pipeInput(new TestRecord<>(TRACE_ID, request, TestDrivers.tenantHeaders(TENANT), T));
    return (TestOutputTopic<String, T>) output;
  }

  /** Every string anywhere in the output (keys, values, names, bodies), compared without escaping. */
  private static void assertNoneSurvives(List<String> planted, List<? extends IndexedRecord> written) {
    List<String> strings = new ArrayList<>();
    written.forEach(record -> collectStrings(record, strings));
    for (String pii : planted) {
      assertThat(strings).as("planted value %s", pii).noneMatch(s -> s.contains(pii));
    }
  }

  private static void collectStrings(Object value, List<String> into) {
    if (value instanceof CharSequence s) {
      into.add(s.toString());
    } else if (value instanceof IndexedRecord record) {
      for (int i = 0; i < record.getSchema().getFields().size(); i++) {
        collectStrings(record.get(i), into);
      }
    } else if (value instanceof List<?> list) {
      list.forEach(v -> collectStrings(v, into));
    }
  }

  // ---------------------------------------------------------------- the model

  /** A string as sent, as it must come out, and the secrets planted in it. */
  record Text(String raw, String redacted, List<String> planted) {
    static Text clean(String text) {
      return new Text(text, text, List.of());
    }
  }

  /** An attribute value of any OTLP type. */
  sealed interface Val permits Str, Scalar, Arr, Kvs {
    io.opentelemetry.proto.common.v1.AnyValue otlp();

    io.tributary.schemas.avro.AnyValue expected();

    List<String> planted();
  }

  record Str(Text text) implements Val {
    public io.opentelemetry.proto.common.v1.AnyValue otlp() {
      return io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(text.raw()).build();
    }

    public io.tributary.schemas.avro.AnyValue expected() {
      return new io.tributary.schemas.avro.AnyValue(text.redacted());
    }

    public List<String> planted() {
      return text.planted();
    }
  }

  /** Longs, doubles, booleans and bytes: never changed. */
  record Scalar(Object value) implements Val {
    public io.opentelemetry.proto.common.v1.AnyValue otlp() {
      var builder = io.opentelemetry.proto.common.v1.AnyValue.newBuilder();
      return switch (value) {
        case Long l -> builder.setIntValue(l).build();
        case Double d -> builder.setDoubleValue(d).build();
        case Boolean b -> builder.setBoolValue(b).build();
        case byte[] bytes -> builder.setBytesValue(ByteString.copyFrom(bytes)).build();
        default -> throw new IllegalStateException(value.toString());
      };
    }

    public io.tributary.schemas.avro.AnyValue expected() {
      return new io.tributary.schemas.avro.AnyValue(value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value);
    }

    public List<String> planted() {
      return List.of();
    }
  }

  record Arr(List<Val> values) implements Val {
    public io.opentelemetry.proto.common.v1.AnyValue otlp() {
      var array = io.opentelemetry.proto.common.v1.ArrayValue.newBuilder();
      values.forEach(v -> array.addValues(v.otlp()));
      return io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setArrayValue(array).build();
    }

    public io.tributary.schemas.avro.AnyValue expected() {
      return new io.tributary.schemas.avro.AnyValue(new io.tributary.schemas.avro.ArrayValue(
          values.stream().map(Val::expected).toList()));
    }

    public List<String> planted() {
      return values.stream().flatMap(v -> v.planted().stream()).toList();
    }
  }

  record Kvs(List<Attr> attrs) implements Val {
    public io.opentelemetry.proto.common.v1.AnyValue otlp() {
      return io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setKvlistValue(
          io.opentelemetry.proto.common.v1.KeyValueList.newBuilder().addAllValues(otlpAttributes(attrs))).build();
    }

    public io.tributary.schemas.avro.AnyValue expected() {
      return new io.tributary.schemas.avro.AnyValue(new io.tributary.schemas.avro.KeyValueList(expectedAttributes(attrs)));
    }

    public List<String> planted() {
      return planted(attrs);
    }

    static List<String> planted(List<Attr> attrs) {
      return attrs.stream().flatMap(a -> a.value().planted().stream()).toList();
    }
  }

  /** An attribute; {@code dropped} when its key is one the defaults drop. */
  record Attr(String key, Val value, boolean dropped) {}

  static List<io.opentelemetry.proto.common.v1.KeyValue> otlpAttributes(List<Attr> attrs) {
    return attrs.stream().map(a -> io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(a.key())
        .setValue(a.value().otlp()).build()).toList();
  }

  static List<io.tributary.schemas.avro.KeyValue> expectedAttributes(List<Attr> attrs) {
    return attrs.stream().filter(a -> !a.dropped())
        .map(a -> new io.tributary.schemas.avro.KeyValue(a.key(), a.value().expected())).toList();
  }

  record EventModel(String name, List<Attr> attrs) {}

  record LinkModel(List<Attr> attrs) {}

  record SpanModel(String name, List<Attr> attrs, List<EventModel> events, List<LinkModel> links, Text status) {}

  record TraceModel(List<Attr> resource, List<Attr> scope, List<SpanModel> spans) {
    ExportTraceServiceRequest request() {
      ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder().setScope(otlpScope(scope));
      for (int i = 0; i < spans.size(); i++) {
        SpanModel s = spans.get(i);
        var span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(bytes(TRACE_ID)).setSpanId(bytes(spanId(i))).setName(s.name())
            .setStartTimeUnixNano(T0).setEndTimeUnixNano(T0 + i)
            .addAllAttributes(otlpAttributes(s.attrs()))
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(s.status().raw()));
        s.events().forEach(e -> span.addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
            .setTimeUnixNano(T0).setName(e.name()).addAllAttributes(otlpAttributes(e.attrs()))));
        s.links().forEach(l -> span.addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
            .setTraceId(bytes(TRACE_ID)).setSpanId(bytes(spanId(99))).addAllAttributes(otlpAttributes(l.attrs()))));
        scopeSpans.addSpans(span);
      }
      return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(otlpResource(resource)).addScopeSpans(scopeSpans)).build();
    }

    List<Span> expected() {
      List<Span> expected = new ArrayList<>();
      for (int i = 0; i < spans.size(); i++) {
        SpanModel s = spans.get(i);
        expected.add(new Span(TENANT, TRACE_ID, spanId(i), null, null, 0, s.name(), SpanKind.SPAN_KIND_UNSPECIFIED,
            T0, T0 + i, expectedAttributes(s.attrs()), 0,
            s.events().stream().map(e -> new SpanEvent(T0, e.name(), expectedAttributes(e.attrs()), 0)).toList(), 0,
            s.links().stream().map(l -> new SpanLink(TRACE_ID, spanId(99), null, expectedAttributes(l.attrs()), 0, 0))
                .toList(), 0,
            new SpanStatus(StatusCode.ERROR, emptyToNull(s.status().redacted())),
            expectedResource(resource), expectedScope(scope), null));
      }
      return expected;
    }

    List<String> planted() {
      List<String> planted = new ArrayList<>(Kvs.planted(resource));
      planted.addAll(Kvs.planted(scope));
      for (SpanModel s : spans) {
        planted.addAll(Kvs.planted(s.attrs()));
        s.events().forEach(e -> planted.addAll(Kvs.planted(e.attrs())));
        s.links().forEach(l -> planted.addAll(Kvs.planted(l.attrs())));
        planted.addAll(s.status().planted());
      }
      return planted;
    }
  }

  record LogModel(Val body, List<Attr> attrs) {}

  record LogsModel(List<Attr> resource, List<Attr> scope, List<LogModel> logs) {
    ExportLogsServiceRequest request() {
      ScopeLogs.Builder scopeLogs = ScopeLogs.newBuilder().setScope(otlpScope(scope));
      logs.forEach(l -> scopeLogs.addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
          .setTimeUnixNano(T0).setBody(l.body().otlp()).addAllAttributes(otlpAttributes(l.attrs()))));
      return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
          .setResource(otlpResource(resource)).addScopeLogs(scopeLogs)).build();
    }

    List<LogRecord> expected() {
      return logs.stream().map(l -> new LogRecord(TENANT, T0, 0L, 0, null, l.body().expected(),
          expectedAttributes(l.attrs()), 0, 0, null, null, null, expectedResource(resource), expectedScope(scope)))
          .toList();
    }

    List<String> planted() {
      List<String> planted = new ArrayList<>(Kvs.planted(resource));
      planted.addAll(Kvs.planted(scope));
      logs.forEach(l -> {
        planted.addAll(l.body().planted());
        planted.addAll(Kvs.planted(l.attrs()));
      });
      return planted;
    }
  }

  record PointModel(long value, List<Attr> labels, List<Attr> exemplarAttrs) {}

  record MetricsModel(List<Attr> resource, List<PointModel> points) {
    ExportMetricsServiceRequest request() {
      Gauge.Builder gauge = Gauge.newBuilder();
      points.forEach(p -> gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T0).setAsInt(p.value())
          .addAllAttributes(otlpAttributes(p.labels()))
          .addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder().setTimeUnixNano(T0).setAsInt(1)
              .addAllFilteredAttributes(otlpAttributes(p.exemplarAttrs())))));
      return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(otlpResource(resource)).addScopeMetrics(ScopeMetrics.newBuilder().setScope(otlpScope(List.of()))
              .addMetrics(Metric.newBuilder().setName("app.requests").setGauge(gauge)))).build();
    }

    List<MetricPoint> expected() {
      return points.stream().map(p -> {
        MetricPoint point = new MetricPoint(TENANT, null, expectedResource(resource), expectedScope(List.of()),
            "app.requests", null, null, MetricType.GAUGE, expectedAttributes(p.labels()), 0L, T0, null, null,
            new NumberValue(p.value()), List.of(new io.tributary.schemas.avro.Exemplar(T0, 1L, null, null,
                expectedAttributes(p.exemplarAttrs()))), 0);
        point.setSeriesId(StableIds.seriesId(point));
        return point;
      }).toList();
    }

    List<String> planted() {
      List<String> planted = new ArrayList<>(Kvs.planted(resource));
      points.forEach(p -> {
        planted.addAll(Kvs.planted(p.labels()));
        planted.addAll(Kvs.planted(p.exemplarAttrs()));
      });
      return planted;
    }
  }

  static io.opentelemetry.proto.resource.v1.Resource otlpResource(List<Attr> attrs) {
    return io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAllAttributes(otlpAttributes(attrs)).build();
  }

  static io.opentelemetry.proto.common.v1.InstrumentationScope otlpScope(List<Attr> attrs) {
    return io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("lib")
        .addAllAttributes(otlpAttributes(attrs)).build();
  }

  static Resource expectedResource(List<Attr> attrs) {
    return new Resource(expectedAttributes(attrs), 0, null);
  }

  static InstrumentationScope expectedScope(List<Attr> attrs) {
    return new InstrumentationScope("lib", null, expectedAttributes(attrs), 0, null);
  }

  static String spanId(int i) {
    return String.format("%016x", i + 1);
  }

  static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<TraceModel> traces() {
    Arbitrary<EventModel> event = Combinators.combine(cleanText(), attrsWithPii()).as(EventModel::new);
    Arbitrary<LinkModel> link = attrsWithPii().map(LinkModel::new);
    Arbitrary<SpanModel> span = Combinators.combine(cleanText(), attrsWithPii(), event.list().ofMinSize(1).ofMaxSize(2),
        link.list().ofMinSize(1).ofMaxSize(2), text(true)).as(SpanModel::new);
    return Combinators.combine(attrsWithPii(), attrsWithPii(), span.list().ofMinSize(1).ofMaxSize(3))
        .as(TraceModel::new);
  }

  @Provide
  Arbitrary<LogsModel> logs() {
    Arbitrary<Val> body = Arbitraries.oneOf(text(true).map(Str::new), attrsWithPii().map(Kvs::new));
    Arbitrary<LogModel> log = Combinators.combine(body, attrsWithPii()).as(LogModel::new);
    return Combinators.combine(attrsWithPii(), attrsWithPii(), log.list().ofMinSize(1).ofMaxSize(3))
        .as(LogsModel::new);
  }

  @Provide
  Arbitrary<MetricsModel> metrics() {
    Arbitrary<PointModel> point = Combinators.combine(Arbitraries.longs(), attrsWithPii(), attrsWithPii())
        .as(PointModel::new);
    return Combinators.combine(attrsWithPii(), point.list().ofMinSize(1).ofMaxSize(3)).as(MetricsModel::new);
  }

  /** Random attributes plus, always, one carrying PII and one under a dropped key. */
  Arbitrary<List<Attr>> attrsWithPii() {
    Arbitrary<Attr> planted = Combinators.combine(cleanKey(), text(true)).as((k, t) -> new Attr(k, new Str(t), false));
    Arbitrary<Attr> droppedKey = Combinators.combine(Arbitraries.of(DROPPED_KEYS), value())
        .as((k, v) -> new Attr(k, v, true));
    return Combinators.combine(attr().list().ofMaxSize(4), planted, droppedKey, Arbitraries.integers().between(0, 4))
        .as((random, pii, dropped, at) -> {
          List<Attr> all = new ArrayList<>(random);
          all.add(Math.min(at, all.size()), pii);
          all.add(dropped);
          return all;
        });
  }

  Arbitrary<Attr> attr() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Combinators.combine(cleanKey(), value()).as((k, v) -> new Attr(k, v, false))),
        Tuple.of(1, Combinators.combine(Arbitraries.of(DROPPED_KEYS), value()).as((k, v) -> new Attr(k, v, true))));
  }

  /** Any value, nested up to two levels (arrays and key/value lists holding PII too). */
  Arbitrary<Val> value() {
    return Arbitraries.recursive(this::scalar, nested -> Arbitraries.oneOf(
        nested.list().ofMaxSize(3).map(Arr::new),
        Combinators.combine(Arbitraries.frequencyOf(Tuple.of(5, cleanKey()), Tuple.of(1, Arbitraries.of(DROPPED_KEYS))),
            nested).as((k, v) -> new Attr(k, v, DROPPED_KEYS.contains(k))).list().ofMaxSize(3).map(Kvs::new)),
        0, 2);
  }

  Arbitrary<Val> scalar() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, text(false).map(Str::new)),
        Tuple.of(1, Arbitraries.longs().map(l -> (Val) new Scalar(l))),
        Tuple.of(1, Arbitraries.doubles().between(-1e9, 1e9).map(d -> (Val) new Scalar(d))),
        Tuple.of(1, Arbitraries.of(true, false).map(b -> (Val) new Scalar(b))),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(b -> (Val) new Scalar(b))));
  }

  Arbitrary<String> cleanKey() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(s -> "app." + s);
  }

  /** Text with one planted secret between clean words ({@code always}), or clean or planted at random. */
  Arbitrary<Text> text(boolean always) {
    Arbitrary<Text> planted = Combinators.combine(cleanText(), pii(), cleanText()).as((before, secret, after) ->
        new Text(join(before, secret.raw(), after), join(before, secret.mask(), after), List.of(secret.raw())));
    return always ? planted
        : Arbitraries.frequencyOf(Tuple.of(2, cleanText().map(Text::clean)), Tuple.of(1, planted));
  }

  private static String join(String before, String middle, String after) {
    StringBuilder s = new StringBuilder(before);
    for (String part : List.of(middle, after)) {
      if (!part.isEmpty()) {
        s.append(s.isEmpty() ? "" : " ").append(part);
      }
    }
    return s.toString();
  }

  /**
   * Words that no built-in pattern can match: letters, at most three digits in a row, '-', '_' and
   * '/', no '@', ':' or '.'.
   */
  Arbitrary<String> cleanText() {
    Arbitrary<String> letters = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .ofMinLength(1).ofMaxLength(10);
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3);
    Arbitrary<String> word = Arbitraries.oneOf(letters, digits,
        Combinators.combine(letters, letters).as((a, b) -> a + "-" + b),
        Combinators.combine(letters, digits).as((a, b) -> a + "_" + b),
        letters.map(a -> "/" + a));
    return word.list().ofMaxSize(5).map(words -> String.join(" ", words))
        .filter(s -> {
          String lower = s.toLowerCase(Locale.ROOT);
          return !lower.contains("eyj") && !lower.contains("aiza") && !lower.contains("bearer");
        });
  }

  /** A secret of one built-in kind and its mask. */
  record Pii(String raw, String mask) {}

  Arbitrary<Pii> pii() {
    return Arbitraries.oneOf(email(), card(), jwt(), bearer(), awsAccessKey(), awsSecretKey(), gcpApiKey(), ipv4(),
        ipv6());
  }

  private static Function<String, Pii> as(String kind) {
    return raw -> new Pii(raw, "[REDACTED:" + kind + "]");
  }

  private static Arbitrary<String> chars(String alphabet, int min, int max) {
    return Arbitraries.strings().withChars(alphabet.toCharArray()).ofMinLength(min).ofMaxLength(max);
  }

  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String DIGITS = "0123456789";
  private static final String BASE64URL = LOWER + UPPER + DIGITS + "-_";

  Arbitrary<Pii> email() {
    return Combinators.combine(chars(LOWER, 1, 8), chars(LOWER + DIGITS, 0, 5), chars(LOWER, 2, 10), chars(LOWER, 2, 6))
        .as((user, tag, domain, tld) -> user + (tag.isEmpty() ? "" : "." + tag) + "@" + domain + "." + tld)
        .map(as("email"));
  }

  Arbitrary<Pii> card() {
    return Combinators.combine(Arbitraries.of("4", "51", "55", "2221", "34", "37", "6011", "65"),
            chars(DIGITS, 18, 18), Arbitraries.of(" ", "-", ""))
        .as((prefix, digits, separator) -> {
          int length = prefix.startsWith("3") ? 15 : 16;
          String body = (prefix + digits).substring(0, length - 1);
          String number = body + luhnCheckDigit(body);
          if (separator.isEmpty()) {
            return number;
          }
          return length == 15
              ? String.join(separator, number.substring(0, 4), number.substring(4, 10), number.substring(10))
              : String.join(separator, number.substring(0, 4), number.substring(4, 8), number.substring(8, 12),
                  number.substring(12));
        })
        .map(as("card"));
  }

  static int luhnCheckDigit(String body) {
    int sum = 0;
    for (int i = body.length() - 1, position = 0; i >= 0; i--, position++) {
      int d = body.charAt(i) - '0';
      if (position % 2 == 0) { // doubled: the check digit will sit to its right
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return (10 - sum % 10) % 10;
  }

  Arbitrary<Pii> jwt() {
    return Combinators.combine(chars(BASE64URL, 10, 30), chars(BASE64URL, 10, 40), chars(BASE64URL, 10, 43))
        .as((header, payload, signature) -> "eyJ" + header + ".eyJ" + payload + "." + signature)
        .map(as("jwt"));
  }

  Arbitrary<Pii> bearer() {
    return Combinators.combine(Arbitraries.of("Bearer ", "bearer ", "BEARER  "), chars(LOWER + UPPER + DIGITS, 15, 39),
            chars(DIGITS, 1, 1))
        .as((scheme, token, digit) -> scheme + token + digit)
        .map(as("bearer"));
  }

  Arbitrary<Pii> awsAccessKey() {
    return Combinators.combine(Arbitraries.of("AKIA", "ASIA"), chars(UPPER + DIGITS, 16, 16)).as(String::concat)
        .map(as("aws-access-key"));
  }

  Arbitrary<Pii> awsSecretKey() {
    return chars(LOWER + UPPER + DIGITS + "/+", 37, 37)
        .map(rest -> "Kq7" + rest) // starts with a letter; upper, lower and digit guaranteed
        .filter(s -> !s.contains("AIza") && !s.contains("eyJ"))
        .map(as("aws-secret-key"));
  }

  Arbitrary<Pii> gcpApiKey() {
    return chars(BASE64URL, 35, 35).map(rest -> "AIza" + rest).map(as("gcp-api-key"));
  }

  Arbitrary<Pii> ipv4() {
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
    return Combinators.combine(octet, octet, octet, octet).as((a, b, c, d) -> a + "." + b + "." + c + "." + d)
        .map(as("ipv4"));
  }

  Arbitrary<Pii> ipv6() {
    Arbitrary<String> group = chars("0123456789abcdef", 1, 4);
    Arbitrary<String> full = group.list().ofSize(7).map(groups -> "2001:" + String.join(":", groups));
    Arbitrary<String> compressed = Combinators.combine(group, group).as((a, b) -> "fe80::" + a + ":" + b);
    Arbitrary<String> documentation = group.map(g -> "2001:db8::" + g);
    return Arbitraries.oneOf(full, compressed, documentation).map(as("ipv6"));
  }
}
