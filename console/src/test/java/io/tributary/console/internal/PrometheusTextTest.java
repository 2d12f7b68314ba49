package io.tributary.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String TEXT = """
      # HELP tributary_gateway_requests_total OTLP export requests
      # TYPE tributary_gateway_requests_total counter
      tributary_gateway_requests_total{outcome="success",signal="traces",transport="http"} 12.0
      tributary_gateway_requests_total{outcome="refused",signal="traces",transport="http"} 3.0 1733550000000
      tributary_gateway_spans_accepted_total 40.0
      tributary_gateway_inflight_bytes 1024.0
      jvm_gc_pause_seconds_count 2.0
      other_total 5.0
      tributary_weird_total{label="has } and space"} 7.0
      tributary_broken_total not-a-number
      tributary_nan_total NaN
      """;

  @Test
  void shouldReadCountersWithAndWithoutLabelsAndTimestamps() {
    Map<String, Double> counters = PrometheusText.counters(TEXT, name -> name.startsWith("tributary_"));

    assertThat(counters).containsExactly(
        Map.entry("tributary_gateway_requests_total{outcome=\"success\",signal=\"traces\",transport=\"http\"}", 12.0),
        Map.entry("tributary_gateway_requests_total{outcome=\"refused\",signal=\"traces\",transport=\"http\"}", 3.0),
        Map.entry("tributary_gateway_spans_accepted_total", 40.0),
        Map.entry("tributary_weird_total{label=\"has } and space\"}", 7.0));
  }

  @Test
  void shouldSplitFamilyAndLabels() {
    String series = "tributary_sampling_decisions_total{decision=\"kept\",policy=\"errors\"}";

    assertThat(PrometheusText.family(series)).isEqualTo("tributary_sampling_decisions_total");
    assertThat(PrometheusText.labels(series)).isEqualTo("decision=\"kept\",policy=\"errors\"");
    assertThat(PrometheusText.labels("a_total")).isEmpty();
  }

  @Test
  void shouldReadOneLabelsValue() {
    String series = "tributary_sink_items_delivered_total{connector=\"es, \\\"main\\\"\",task=\"0\"}";

    assertThat(PrometheusText.label(series, "connector")).isEqualTo("es, \"main\"");
    assertThat(PrometheusText.label(series, "task")).isEqualTo("0");
    assertThat(PrometheusText.label(series, "tenant")).isNull();
    assertThat(PrometheusText.label("a_total", "task")).isNull();
  }
}
