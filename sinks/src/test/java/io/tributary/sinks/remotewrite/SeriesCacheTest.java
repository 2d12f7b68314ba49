package io.tributary.sinks.remotewrite;

import static io.tributary.sinks.MetricPoints.T0;
import static io.tributary.sinks.MetricPoints.gauge;
import static io.tributary.sinks.MetricPoints.resource;
import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {

  private static final Resource CHECKOUT = resource("shop", "checkout", "c-1", "host.name", "node-7");
  private static final List<SeriesCache.SeriesSlot> SLOTS = List.of(new SeriesCache.SeriesSlot("", null, 0,
      new Series(new String[] {"__name__", "g"})));

  private final SeriesCache cache = new SeriesCache();

  @Test
  void shouldFindAKnownSeriesForANewPointWithTheSameLabelInputs() {
    MetricPoint first = gauge(CHECKOUT, "g", null, T0, 1, kv("k", "v"));
    assertThat(cache.get(first)).isNull();
    cache.put(first, null, SLOTS);

    SeriesCache.KnownSeries known = cache.get(gauge(CHECKOUT, "g", null, T0.plusSeconds(10), 2, kv("k", "v")));
    assertThat(known).isNotNull();
    assertThat(known.slots).isSameAs(SLOTS);
  }

  @Test
  void shouldNotTrustASeriesIdThatComesWithOtherLabelInputs() {
    MetricPoint first = gauge(CHECKOUT, "g", null, T0, 1, kv("k", "v"));
    cache.put(first, null, SLOTS);
    MetricPoint sameIdOtherInstance = MetricPoint.newBuilder(gauge(resource("shop", "checkout", "c-2", "host.name",
        "node-8"), "g", null, T0.plusSeconds(10), 2, kv("k", "v"))).setSeriesId(first.getSeriesId()).build();
    MetricPoint sameIdOtherValue = MetricPoint.newBuilder(gauge(CHECKOUT, "g", null, T0.plusSeconds(20), 3,
        kv("k", "w"))).setSeriesId(first.getSeriesId()).build();

    assertThat(cache.get(sameIdOtherInstance)).isNull();
    assertThat(cache.get(sameIdOtherValue)).isNull();
  }

  @Test
  void shouldKeepTheTargetInfoOfTheEntryItReplaces() {
    MetricPoint first = gauge(CHECKOUT, "g", null, T0, 1);
    cache.put(first, null, SLOTS);
    SeriesCache.KnownSeries old = cache.get(first);
    old.targetInfo = new TargetInfoEmitter.Target(null);

    MetricPoint next = gauge(CHECKOUT, "g", null, T0.plusSeconds(10), 1);
    cache.put(next, old, List.of());
    assertThat(cache.get(next).targetInfo).isSameAs(old.targetInfo);
  }

  @Test
  void shouldHandOutTheEntryOfThePointLastTranslatedOnly() {
    MetricPoint first = gauge(CHECKOUT, "g", null, T0, 1);
    MetricPoint second = gauge(CHECKOUT, "g", null, T0.plusSeconds(10), 2);
    cache.put(first, null, SLOTS);
    SeriesCache.KnownSeries entry = cache.lastEntry(first);
    assertThat(entry).isNotNull();
    assertThat(cache.lastEntry(second)).isNull();

    cache.reused(second, entry);
    assertThat(cache.lastEntry(second)).isSameAs(entry);
    assertThat(cache.lastEntry(first)).isNull();
  }
}
