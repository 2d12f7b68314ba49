package io.tributary.sinks.remotewrite;

import static io.tributary.sinks.MetricPoints.T0;
import static io.tributary.sinks.MetricPoints.counter;
import static io.tributary.sinks.MetricPoints.gauge;
import static io.tributary.sinks.MetricPoints.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.sinks.MetricPoints;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetInfoEmitterTest {

  private static final Resource CHECKOUT = resource("shop", "checkout", "c-1", "host.name", "node-7");
  private static final MetricPointTranslator.Options DEFAULTS = MetricPointTranslator.Options.defaults();

  private final TargetInfoEmitter emitter = new TargetInfoEmitter(DEFAULTS, new SeriesNaming(DEFAULTS));

  @Test
  void shouldWriteTargetInfoOncePerIntervalWithTheOtherResourceAttributes() {
    RemoteWriteSample info = emitter.forPoint(gauge(CHECKOUT, "g", null, T0, 1), null).orElseThrow();
    assertThat(info.series().labels()).containsExactly("__name__", "target_info", "host_name", "node-7",
        "instance", "c-1", "job", "shop/checkout");
    assertThat(info.value()).isEqualTo(1);
    assertThat(info.timestampMs()).isEqualTo(T0.toEpochMilli());
    assertThat(emitter.forPoint(gauge(CHECKOUT, "g", null, T0.plusSeconds(59), 1), null)).isEmpty();
    assertThat(emitter.forPoint(gauge(CHECKOUT, "g", null, T0.plusSeconds(60), 1), null)).isPresent();
    assertThat(emitter.forPoint(gauge(resource(null, "bare", "b-1"), "g", null, T0, 1), null))
        .as("no attributes beyond job and instance").isEmpty();
  }

  @Test
  void shouldWriteNoneForAPointWithoutRecordedValue() {
    MetricPoint noValue = MetricPoints.base("default", CHECKOUT, "up", null, MetricType.GAUGE, T0)
        .setValue(new NumberValue(0.0)).setFlags(1).build();
    assertThat(emitter.forPoint(noValue, null)).isEmpty();
  }

  @Test
  void shouldWriteNoneWhenTurnedOff() {
    MetricPointTranslator.Options off = new MetricPointTranslator.Options(false, false, false, 60_000,
        Set.of("host.name"), "tenant");
    TargetInfoEmitter plain = new TargetInfoEmitter(off, new SeriesNaming(off));
    assertThat(plain.enabled()).isFalse();
    assertThat(plain.forPoint(counter(CHECKOUT, "http.requests", "{request}", T0, 1), null)).isEmpty();
  }

  @Test
  void shouldKeepTheTargetInfoInTheSeriesEntryAndShareTheIntervalOfItsResource() {
    MetricPoint point = gauge(CHECKOUT, "g", null, T0, 1);
    SeriesCache.KnownSeries entry = new SeriesCache.KnownSeries(point, List.of());

    assertThat(emitter.forPoint(point, entry)).isPresent();
    assertThat(entry.targetInfo).isNotNull();
    assertThat(emitter.due(entry.targetInfo, T0.plusSeconds(30).toEpochMilli())).isEmpty();
    assertThat(emitter.forPoint(gauge(CHECKOUT, "other", null, T0.plusSeconds(30), 1), null))
        .as("another series of the same resource").isEmpty();
    assertThat(emitter.due(entry.targetInfo, T0.plusSeconds(60).toEpochMilli())).isPresent();
  }
}
