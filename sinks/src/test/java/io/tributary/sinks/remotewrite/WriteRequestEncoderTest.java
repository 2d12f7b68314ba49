package io.tributary.sinks.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.prometheus.RemoteWriteFormatException;
import io.tributary.schemas.prometheus.RemoteWriteRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class WriteRequestEncoderTest {

  private static final Series UP_A = new Series(new String[] {"__name__", "up", "instance", "a", "job", "api"});
  private static final Series UP_B = new Series(new String[] {"__name__", "up", "instance", "b", "job", "api"});

  @Test
  void shouldEncodeOneTimeSeriesPerSeriesWithSamplesInOrder() throws IOException, RemoteWriteFormatException {
    List<RemoteWriteSample> samples = List.of(
        new RemoteWriteSample(UP_A, 1_000, 1),
        new RemoteWriteSample(UP_B, 1_000, 0),
        new RemoteWriteSample(UP_A, 2_000, 0.5),
        new RemoteWriteSample(UP_A, 3_000, RemoteWriteSample.STALE_NAN));

    List<DecodedSeries> decoded = decode(WriteRequestEncoder.encode(samples));

    assertThat(decoded).hasSize(2);
    assertThat(decoded.get(0).labels()).containsExactly(Map.entry("__name__", "up"), Map.entry("instance", "a"),
        Map.entry("job", "api"));
    assertThat(decoded.get(0).samples()).containsExactly(new long[] {1_000, bits(1)}, new long[] {2_000, bits(0.5)},
        new long[] {3_000, 0x7ff0000000000002L});
    assertThat(decoded.get(1).labels()).contains(Map.entry("instance", "b"));
    assertThat(decoded.get(1).samples()).containsExactly(new long[] {1_000, bits(0)});
  }

  @Test
  void shouldEncodeExemplarsAfterTheSamplesOfTheirSeries() throws IOException, RemoteWriteFormatException {
    Series ids = new Series(new String[] {"span_id", "b7ad6b7169203331", "trace_id", "0af7651916cd43dd8448eb211c80319c"});
    List<RemoteWriteSample> samples = List.of(
        new RemoteWriteSample(UP_A, 1_000, 1, List.of(new RemoteWriteExemplar(ids, 0.25, 900))),
        new RemoteWriteSample(UP_B, 1_000, 0),
        new RemoteWriteSample(UP_A, 2_000, 2, List.of(new RemoteWriteExemplar(ids, 0, 0),
            new RemoteWriteExemplar(new Series(new String[0]), -3, 1_999))));

    List<DecodedSeries> decoded = decode(WriteRequestEncoder.encode(samples));

    assertThat(decoded).hasSize(2);
    assertThat(decoded.get(0).samples()).containsExactly(new long[] {1_000, bits(1)}, new long[] {2_000, bits(2)});
    assertThat(decoded.get(0).exemplars()).containsExactly(
        "span_id=b7ad6b7169203331,trace_id=0af7651916cd43dd8448eb211c80319c|0.25@900",
        "span_id=b7ad6b7169203331,trace_id=0af7651916cd43dd8448eb211c80319c|0.0@0",
        "|-3.0@1999");
    assertThat(decoded.get(1).exemplars()).isEmpty();
    WriteRequestEncoder reused = new WriteRequestEncoder();
    reused.compress(samples);
    assertThat(Snappy.uncompress(java.util.Arrays.copyOf(reused.compressed(), reused.compressedLength())))
        .isEqualTo(WriteRequestEncoder.encode(samples));
  }

  @Test
  void shouldCompressWithSnappysBlockFormat() throws IOException, RemoteWriteFormatException {
    List<RemoteWriteSample> samples = List.of(new RemoteWriteSample(UP_A, 42, 7));
    byte[] compressed = WriteRequestEncoder.encodeCompressed(samples);
    assertThat(Snappy.isValidCompressedBuffer(compressed)).isTrue();
    assertThat(decode(Snappy.uncompress(compressed))).singleElement()
        .satisfies(s -> assertThat(s.samples()).containsExactly(new long[] {42, bits(7)}));
  }

  @Test
  void shouldEncodeEachBatchAsAFreshEncoderWouldWhenReused() throws IOException, RemoteWriteFormatException {
    List<RemoteWriteSample> big = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      big.add(new RemoteWriteSample(new Series(new String[] {"__name__", "up", "instance", "i-" + (i % 70)}), i, i));
    }
    List<RemoteWriteSample> small = List.of(new RemoteWriteSample(UP_B, 5, 1), new RemoteWriteSample(UP_A, 6, 2));
    WriteRequestEncoder encoder = new WriteRequestEncoder();

    for (List<RemoteWriteSample> batch : List.of(small, big, small, big.subList(0, 150), big)) {
      encoder.compress(batch);
      byte[] body = java.util.Arrays.copyOf(encoder.compressed(), encoder.compressedLength());
      assertThat(Snappy.uncompress(body)).as("batch of %d", batch.size()).isEqualTo(WriteRequestEncoder.encode(batch));
    }
  }

  @Test
  void shouldTellSeriesApartByTheirLabels() {
    assertThat(new Series(new String[] {"__name__", "up", "job", "api"}))
        .isEqualTo(new Series(new String[] {"__name__", "up", "job", "api"}))
        .isNotEqualTo(new Series(new String[] {"__name__", "up", "job", "web"}))
        .hasToString("up{job=\"api\"}");
  }

  private static long bits(double d) {
    return Double.doubleToRawLongBits(d);
  }

  record DecodedSeries(List<Map.Entry<String, String>> labels, List<long[]> samples, List<String> exemplars) {}

  /** Through the gateway's decoder: what the sink writes, Tributary's own remote_write receiver reads back. */
  private static List<DecodedSeries> decode(byte[] writeRequest) throws RemoteWriteFormatException {
    List<DecodedSeries> result = new ArrayList<>();
    for (RemoteWriteRequest.TimeSeries ts : RemoteWriteRequest.parse(writeRequest, 0, writeRequest.length).timeseries()) {
      result.add(new DecodedSeries(
          ts.labels().stream().map(l -> Map.entry(l.name(), l.value())).toList(),
          ts.samples().stream().map(s -> new long[] {s.timestampMs(), Double.doubleToRawLongBits(s.value())}).toList(),
          ts.exemplars().stream().map(e -> String.join(",", e.labels().stream().map(l -> l.name() + "=" + l.value())
              .toList()) + "|" + e.value() + "@" + e.timestampMs()).toList()));
    }
    return result;
  }
}
