package io.tributary.processors.sampling.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.processors.OtlpFixtures;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The span buffer's hand-written encoder writes exactly what the Avro serde writes, and reads back. */
class SpanEncoderTest {

  private static final AvroSerde<Span> SERDE = AvroSerde.forType(Span.class, SerdeConfig.getDefault());

  private final SpanEncoder encoder = new SpanEncoder();

  @Test
  void shouldBeWrittenForTheCurrentSpanSchema() {
    assertThat(SpanEncoder.SCHEMA_MATCHES)
        .as("the Span schema changed: update SpanEncoder to it, then its SCHEMA_FINGERPRINT (until then the"
            + " span buffer falls back to the slower Avro writer)")
        .isTrue();
  }

  @Test
  void shouldWriteTheBytesOfTheAvroSerdeForEveryKindOfField() {
    for (Span span : fixturesAndRandomSpans(42, 300)) {
      byte[] encoded = encoder.encode("t", span);
      assertThat(encoded).as("%s", span).isEqualTo(SERDE.serializer().serialize("t", span));
      assertThat(SERDE.deserializer().deserialize("t", encoded)).isEqualTo(span);
    }
  }

  @Test
  void shouldSetThePolicyAndReadTheTenantInTheEncodedBytesAsAvroWould() {
    List<Span> spans = fixturesAndRandomSpans(7, 100);
    List<String> policies = List.of("errors", "", "política-ñ", "p".repeat(200)); // 200: a two-byte length

    for (Span span : spans) {
      span.setSamplingPolicy(null);
      byte[] buffered = encoder.encode("t", span);
      assertThat(KeptSpanBytes.tenant(buffered)).isEqualTo(span.getTenant().getBytes(StandardCharsets.UTF_8));
      for (String policy : policies) {
        Span kept = Span.newBuilder(span).setSamplingPolicy(policy).build();
        assertThat(KeptSpanBytes.withPolicy(buffered, policy)).as("%s with %s", span, policy)
            .isEqualTo(SERDE.serializer().serialize("t", kept));
      }
    }
  }

  @Test
  void shouldLeaveBytesOfAnotherSchemaOrWithAPolicyToTheCaller() {
    Span span = OtlpFixtures.expectedSpans("acme").get(0);
    byte[] buffered = encoder.encode("t", span);
    byte[] otherSchema = buffered.clone();
    otherSchema[5] ^= 1; // another fingerprint

    assertThat(KeptSpanBytes.withPolicy(otherSchema, "errors")).isNull();
    assertThat(KeptSpanBytes.tenant(otherSchema)).isNull();
    assertThat(KeptSpanBytes.withPolicy(KeptSpanBytes.withPolicy(buffered, "errors"), "latency"))
        .as("a span that has a policy already").isNull();
  }

  @Test
  void shouldLeaveValuesOutsideTheSchemaToTheAvroWriter() {
    Span span = everyValueKind();
    span.setAttributes(List.of(new KeyValue("int", new AnyValue(7)))); // Integer: not in the union

    assertThatThrownBy(() -> encoder.encode("t", span))
        .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
    assertThat(encoder.encode("t", OtlpFixtures.expectedSpans("acme").get(0)))
        .as("and goes on after it").isEqualTo(SERDE.serializer().serialize("t", OtlpFixtures.expectedSpans("acme").get(0)));
  }

  /** The OTLP fixtures, a span with every kind of value, and {@code count} random spans. */
  private static List<Span> fixturesAndRandomSpans(long seed, int count) {
    List<Span> spans = new ArrayList<>(OtlpFixtures.expectedSpans("acme"));
    spans.add(everyValueKind());
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      spans.add(randomSpan(random));
    }
    return spans;
  }

  private static Span everyValueKind() {
    List<KeyValue> attributes = List.of(
        new KeyValue("null", new AnyValue(null)),
        new KeyValue("string", new AnyValue("päth ✓ \uD83D\uDE00")),
        new KeyValue("true", new AnyValue(true)),
        new KeyValue("false", new AnyValue(false)),
        new KeyValue("long", new AnyValue(Long.MIN_VALUE)),
        new KeyValue("negative", new AnyValue(-1L)),
        new KeyValue("double", new AnyValue(-0.0)),
        new KeyValue("nan", new AnyValue(Double.NaN)),
        new KeyValue("bytes", new AnyValue(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff}))),
        new KeyValue("empty-bytes", new AnyValue(ByteBuffer.allocate(0))),
        new KeyValue("array", new AnyValue(new ArrayValue(List.of(new AnyValue(1L), new AnyValue("x"),
            new AnyValue(new ArrayValue(List.of())))))),
        new KeyValue("kvlist", new AnyValue(new KeyValueList(List.of(new KeyValue("inner", new AnyValue(2.5)),
            new KeyValue("deeper", new AnyValue(new KeyValueList(List.of()))))))));
    return new Span("tenant", "0102030405060708090a0b0c0d0e0f10", "1112131415161718", null, "", Integer.MIN_VALUE,
        "", SpanKind.SPAN_KIND_CONSUMER, -1L, Long.MAX_VALUE, attributes, Integer.MAX_VALUE,
        List.of(new SpanEvent(0L, "e", attributes, -5)), -1,
        List.of(new SpanLink("a", "b", null, List.of(), 0, -1), new SpanLink("c", "d", "s", attributes, 1, 2)), 300,
        new SpanStatus(StatusCode.UNSET, ""),
        new Resource(attributes, 64, "https://opentelemetry.io/schemas/1.26.0"),
        new InstrumentationScope("scope", null, List.of(), 0, null), "policy");
  }

  private static Span randomSpan(SplittableRandom r) {
    return new Span(text(r), text(r), text(r), r.nextBoolean() ? null : text(r), r.nextBoolean() ? null : text(r),
        r.nextInt(), text(r), SpanKind.values()[r.nextInt(SpanKind.values().length)], r.nextLong(), r.nextLong(),
        attributes(r, 2), r.nextInt(1 << 20),
        r.nextInt(3) == 0 ? List.of(new SpanEvent(r.nextLong(), text(r), attributes(r, 1), r.nextInt())) : List.of(),
        r.nextInt(),
        r.nextInt(3) == 0 ? List.of(new SpanLink(text(r), text(r), null, attributes(r, 1), r.nextInt(), r.nextInt()))
            : List.of(),
        r.nextInt(), new SpanStatus(StatusCode.values()[r.nextInt(3)], r.nextBoolean() ? null : text(r)),
        new Resource(attributes(r, 1), r.nextInt(), r.nextBoolean() ? null : text(r)),
        new InstrumentationScope(text(r), r.nextBoolean() ? null : text(r), attributes(r, 0), r.nextInt(), null),
        r.nextBoolean() ? null : text(r));
  }

  private static List<KeyValue> attributes(SplittableRandom r, int depth) {
    List<KeyValue> kvs = new ArrayList<>();
    for (int i = r.nextInt(25); i > 0; i--) {
      kvs.add(new KeyValue(text(r), value(r, depth)));
    }
    return kvs;
  }

  private static AnyValue value(SplittableRandom r, int depth) {
    return new AnyValue(switch (r.nextInt(depth > 0 ? 8 : 6)) {
      case 0 -> null;
      case 1 -> text(r);
      case 2 -> r.nextBoolean();
      case 3 -> r.nextLong(-1000, 1000) * (r.nextBoolean() ? 1 : Long.MAX_VALUE / 1000);
      case 4 -> r.nextDouble() * 1e6 - 5e5;
      case 5 -> {
        byte[] b = new byte[r.nextInt(20)];
        r.nextBytes(b);
        yield ByteBuffer.wrap(b);
      }
      case 6 -> {
        List<AnyValue> values = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          values.add(value(r, depth - 1));
        }
        yield new ArrayValue(values);
      }
      default -> new KeyValueList(attributes(r, depth - 1));
    });
  }

  private static String text(SplittableRandom r) {
    StringBuilder s = new StringBuilder();
    for (int i = r.nextInt(200); i > 0; i--) {
      s.appendCodePoint(switch (r.nextInt(4)) {
        case 0 -> r.nextInt(0x20, 0x7f);
        case 1 -> r.nextInt(0xa0, 0x800);
        case 2 -> r.nextInt(0x4e00, 0x9fff);
        default -> r.nextInt(0x1f300, 0x1f600);
      });
    }
    return s.toString();
  }
}
