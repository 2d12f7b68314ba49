package io.tributary.sinks.elasticsearch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.schemas.Signal;
import java.util.EnumSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final DataStreamNames names = new DataStreamNames("tributary", "{tenant}");

  @Test
  void shouldMakeOneDataStreamTemplatePerSignal() throws Exception {
    Map<String, String> templates = new IndexTemplates(names, 200, 1, OptionalInt.of(0))
        .templates(EnumSet.allOf(Signal.class));

    assertThat(templates).containsOnlyKeys("traces-tributary", "logs-tributary", "metrics-tributary",
        "logs-tributary.alerts");
    JsonNode traces = JSON.readTree(templates.get("traces-tributary"));
    assertThat(traces.path("index_patterns").get(0).asText()).isEqualTo("traces-tributary-*");
    assertThat(traces.path("data_stream").isObject()).isTrue();
    assertThat(traces.path("priority").asInt()).isEqualTo(200);
    assertThat(traces.at("/template/settings/index/number_of_replicas").asInt()).isZero();
    JsonNode mappings = traces.at("/template/mappings");
    assertThat(mappings.path("dynamic").asBoolean(true)).isFalse();
    assertThat(mappings.at("/properties/@timestamp/type").asText()).isEqualTo("date_nanos");
    assertThat(mappings.at("/properties/trace_id/type").asText()).isEqualTo("keyword");
    assertThat(mappings.at("/properties/attributes/type").asText()).isEqualTo("flattened");
    assertThat(mappings.at("/properties/resource/properties/attributes/type").asText()).isEqualTo("flattened");
    assertThat(mappings.at("/properties/service/properties/name/type").asText()).isEqualTo("keyword");
    assertThat(mappings.at("/properties/duration/type").asText()).isEqualTo("long");
  }

  @Test
  void shouldLeaveReplicasToElasticsearchUnlessSet() throws Exception {
    String body = new IndexTemplates(names, 200, 2, OptionalInt.empty()).templates(Set.of(Signal.METRICS))
        .get("metrics-tributary");
    JsonNode index = JSON.readTree(body).at("/template/settings/index");

    assertThat(index.has("number_of_replicas")).isFalse();
    assertThat(index.path("number_of_shards").asInt()).isEqualTo(2);
    assertThat(JSON.readTree(body).at("/template/mappings/properties/histogram/enabled").asBoolean(true)).isFalse();
  }
}
