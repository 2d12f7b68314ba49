package io.tributary.processors.internal.normalize;

import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class StableIdsTest {

  private static final List<KeyValue> RESOURCE = List.of(kv("service.name", "checkout"), kv("host.name", "h1"));
  private static final List<KeyValue> LABELS = List.of(kv("route", "/a"), kv("code", 200L));

  @Test
  void shouldKeepTheSeriesIdOfEveryReleaseStable() {
    // Golden values: the ids are record keys in telemetry.metrics and telemetry.logs; a change here
    // re-keys every series. Change the encoding only on purpose.
    assertThat(StableIds.seriesId("acme", RESOURCE, "http.requests", LABELS)).isEqualTo(GOLDEN_SERIES_ID);
    assertThat(StableIds.resourceId("acme", new Resource(RESOURCE, 0, null))).isEqualTo(GOLDEN_RESOURCE_ID);
  }

  @Test
  void shouldIgnoreAttributeOrder() {
    assertThat(StableIds.seriesId("acme", RESOURCE.reversed(), "http.requests", LABELS.reversed()))
        .isEqualTo(StableIds.seriesId("acme", RESOURCE, "http.requests", LABELS));
  }

  @Test
  void shouldTellApartWhatEachPartContributes() {
    String id = StableIds.seriesId("acme", RESOURCE, "http.requests", LABELS);

    assertThat(StableIds.seriesId("other", RESOURCE, "http.requests", LABELS)).as("tenant").isNotEqualTo(id);
    assertThat(StableIds.seriesId("acme", List.of(), "http.requests", LABELS)).as("resource").isNotEqualTo(id);
    assertThat(StableIds.seriesId("acme", RESOURCE, "http.request", LABELS)).as("name").isNotEqualTo(id);
    assertThat(StableIds.seriesId("acme", RESOURCE, "http.requests", List.of(kv("route", "/a"), kv("code", "200"))))
        .as("a label's type").isNotEqualTo(id);
    assertThat(StableIds.seriesId("acme", List.of(kv("a", "bc")), "m", List.of()))
        .as("no collision by concatenation")
        .isNotEqualTo(StableIds.seriesId("acme", List.of(kv("ab", "c")), "m", List.of()));
  }

  // Computed independently of this code from the documented encoding: SHA-256 over a kind byte
  // ('S' series, 'R' resource), length-prefixed UTF-8 strings, key-sorted attributes with a count,
  // type-tagged values (1 string, 3 long as 8 big-endian bytes); first 16 bytes in hex.
  private static final String GOLDEN_SERIES_ID = "0f864776b2af40d7560e157f61981f7a";
  private static final String GOLDEN_RESOURCE_ID = "0f58d87339a987e5a427da1077397f15";
}
