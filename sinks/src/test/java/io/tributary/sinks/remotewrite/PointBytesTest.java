package io.tributary.sinks.remotewrite;

import static io.tributary.sinks.MetricPoints.T0;
import static io.tributary.sinks.MetricPoints.gauge;
import static io.tributary.sinks.MetricPoints.histogram;
import static io.tributary.sinks.MetricPoints.resource;
import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.AggregationTemporality;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.sinks.MetricPoints;
import io.tributary.sinks.remotewrite.MetricPointTranslator.Translated;
import io.tributary.testsupport.AvroValues;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** Points of known series read from their bytes must give what decoding them gives. */
class PointBytesTest {

  private static final String TOPIC = "telemetry.metrics";
  private static final Resource CHECKOUT = resource("shop", "checkout", "c-1", "host.name", "node-7");
  private static final AvroSerde<MetricPoint> SERDE = AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault());

  private final Serializer<MetricPoint> serializer = SERDE.serializer();
  private final Deserializer<MetricPoint> deserializer = SERDE.deserializer();
  private final MetricPointTranslator viaBytes = new MetricPointTranslator(MetricPointTranslator.Options.defaults());
  private final MetricPointTranslator decoding = new MetricPointTranslator(MetricPointTranslator.Options.defaults());
  private final PointBytes pointBytes = new PointBytes();
  /** Whether the last {@link #translate} read the point from its bytes. */
  private boolean readFromBytes;

  @Test
  void shouldTranslateAPointOfAKnownSeriesFromItsBytesAsDecodingDoes() {
    for (int i = 0; i < 3; i++) {
      MetricPoint point = gauge(CHECKOUT, "queue.depth", "{message}", T0.plusSeconds(70L * i), i + 0.5,
          kv("queue.name", "orders"), kv("partition", 3L));

      Translated read = translate(point);

      assertThat(readFromBytes).as("point %d read from bytes", i).isEqualTo(i > 0);
      assertSame(read, point);
    }
  }

  @Test
  void shouldReadTheValueTimeAndFlagsOfEachPoint() {
    translate(counter(T0, 5L));
    Translated known = translate(counter(T0.plusSeconds(10), 7L));
    assertThat(readFromBytes).isTrue();
    assertThat(known.samples()).singleElement().satisfies(s -> {
      assertThat(s.series().metricName()).isEqualTo("http_requests_total");
      assertThat(s.timestampMs()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
      assertThat(s.value()).isEqualTo(7);
    });

    MetricPoint stale = MetricPoint.newBuilder(counter(T0.plusSeconds(20), 7L)).setFlags(1).build();
    Translated marker = translate(stale);
    assertThat(readFromBytes).isTrue();
    assertThat(Double.doubleToRawLongBits(marker.samples().get(0).value())).isEqualTo(0x7ff0000000000002L);
    assertThat(marker.targetInfo()).isNull();
  }

  @Test
  void shouldDecodeACounterWithExemplarsAndReadAGaugeWithExemplarsFromItsBytes() {
    List<Exemplar> exemplars = List.of(
        new Exemplar(AvroValues.nanos(T0.plusSeconds(9)), 1.5, "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331", List.of(kv("user", "u-1"))),
        new Exemplar(AvroValues.nanos(T0.plusSeconds(8)), 2L, null, null, List.of()));
    MetricPoint first = counter(T0, 5L);
    assertSame(translate(first), first);
    MetricPoint withExemplars = MetricPoint.newBuilder(counter(T0.plusSeconds(10), 9L))
        .setExemplars(exemplars).setFlags(0).build();

    Translated t = translate(withExemplars);

    assertThat(readFromBytes).as("a counter's exemplars are written: decoded").isFalse();
    assertSame(t, withExemplars);
    assertThat(t.samples().get(0).value()).isEqualTo(9);
    assertThat(t.samples().get(0).exemplars()).hasSize(2);
    MetricPoint next = counter(T0.plusSeconds(20), 10L);
    assertSame(translate(next), next);
    assertThat(readFromBytes).as("the series is still known by its bytes").isTrue();

    MetricPoint gauge = gauge(CHECKOUT, "g", null, T0, 1, kv("k", "v"));
    translate(gauge);
    MetricPoint gaugeWithExemplars = MetricPoint.newBuilder(gauge(CHECKOUT, "g", null, T0.plusSeconds(10), 2,
        kv("k", "v"))).setExemplars(exemplars).build();
    Translated g = translate(gaugeWithExemplars);
    assertThat(readFromBytes).as("a gauge's exemplars are dropped: read from its bytes").isTrue();
    assertSame(g, gaugeWithExemplars);
  }

  @Test
  void shouldDecodeAPointWhoseLabelBytesDifferFromItsSeriesIds() {
    MetricPoint first = gauge(CHECKOUT, "g", null, T0, 1, kv("k", "v"));
    assertSame(translate(first), first);
    MetricPoint otherLabels = MetricPoint.newBuilder(gauge(CHECKOUT, "g", null, T0.plusSeconds(10), 2, kv("k", "w")))
        .setSeriesId(first.getSeriesId()).build();

    Translated t = translate(otherLabels);

    assertThat(readFromBytes).isFalse();
    assertThat(t.samples().get(0).series().label("k")).isEqualTo("w");
    assertSame(t, otherLabels);
    translate(MetricPoint.newBuilder(otherLabels).setTimeUnixNano(otherLabels.getTimeUnixNano() + 1).build());
    assertThat(readFromBytes).as("the series id now stands for the other labels").isTrue();
  }

  @Test
  void shouldLeaveDeltaHistogramAndInvalidPointsToDecoding() {
    MetricPoint counter = counter(T0, 1L);
    translate(counter);
    MetricPoint delta = MetricPoint.newBuilder(counter).setTimeUnixNano(counter.getTimeUnixNano() + 1)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).build();
    assertThat(readKnown(delta)).isNull();
    MetricPoint noTime = MetricPoint.newBuilder(counter).setTimeUnixNano(0).build();
    assertThat(readKnown(noTime)).isNull();

    MetricPoint h = histogram(CHECKOUT, "h", null, T0, List.of(1.0), List.of(1L, 2L), 3);
    translate(h);
    assertThat(readKnown(MetricPoint.newBuilder(h).setTimeUnixNano(h.getTimeUnixNano() + 1).build())).isNull();
  }

  @Test
  void shouldNotReadOtherWireFormatsOrBrokenRecords() {
    MetricPoint point = counter(T0, 1L);
    byte[] bytes = serializer.serialize(TOPIC, point);
    translate(point);

    byte[] confluent = new byte[bytes.length - 5];
    System.arraycopy(bytes, 10, confluent, 5, bytes.length - 10);
    assertThat(pointBytes.readId(confluent)).isFalse();
    byte[] otherSchema = bytes.clone();
    otherSchema[5] ^= 1;
    assertThat(pointBytes.readId(otherSchema)).isFalse();

    byte[] next = serializer.serialize(TOPIC, counter(T0.plusSeconds(10), 2L));
    for (int length = 0; length < next.length; length++) {
      byte[] truncated = Arrays.copyOf(next, length);
      assertThat(pointBytes.readId(truncated) ? viaBytes.knownSamples(pointBytes) : null)
          .as("truncated to %d of %d bytes", length, next.length).isNull();
    }
    assertThat(pointBytes.readId(next) ? viaBytes.knownSamples(pointBytes) : null).isNotNull();
  }

  private MetricPoint counter(java.time.Instant time, long value) {
    return MetricPoints.counter(CHECKOUT, "http.requests", "{request}", time, value, kv("code", "200"));
  }

  /** The known-series path alone: null when the point would be decoded. */
  private Translated readKnown(MetricPoint point) {
    return pointBytes.readId(serializer.serialize(TOPIC, point)) ? viaBytes.knownSamples(pointBytes) : null;
  }

  /** What the task does with a record: read it from its bytes when its series is known, decode it otherwise. */
  private Translated translate(MetricPoint point) {
    byte[] bytes = serializer.serialize(TOPIC, point);
    boolean read = pointBytes.readId(bytes);
    Translated t = read ? viaBytes.knownSamples(pointBytes) : null;
    readFromBytes = t != null;
    if (t == null) {
      MetricPoint decoded = deserializer.deserialize(TOPIC, bytes);
      t = new Translated(viaBytes.samples(decoded), viaBytes.targetInfo(decoded).orElse(null),
          decoded.getTenant().toString());
      if (read) {
        viaBytes.rememberLabelBytes(decoded, pointBytes);
      }
    }
    return t;
  }

  /** {@code t} is what the decoding path makes of {@code point}. */
  private void assertSame(Translated t, MetricPoint point) {
    List<RemoteWriteSample> expected = decoding.samples(point);
    assertThat(t.samples()).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(t.samples().get(i).series()).isEqualTo(expected.get(i).series());
      assertThat(t.samples().get(i).timestampMs()).isEqualTo(expected.get(i).timestampMs());
      assertThat(Double.doubleToRawLongBits(t.samples().get(i).value()))
          .isEqualTo(Double.doubleToRawLongBits(expected.get(i).value()));
      assertThat(t.samples().get(i).exemplars()).isEqualTo(expected.get(i).exemplars());
    }
    RemoteWriteSample info = decoding.targetInfo(point).orElse(null);
    if (info == null) {
      assertThat(t.targetInfo()).isNull();
    } else {
      assertThat(t.targetInfo()).isNotNull();
      assertThat(t.targetInfo().series()).isEqualTo(info.series());
      assertThat(t.targetInfo().timestampMs()).isEqualTo(info.timestampMs());
    }
    assertThat(t.tenant()).isEqualTo(point.getTenant().toString());
  }
}
