package io.tributary.sinks.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusNamingTest {

  @Test
  void shouldAddUnitAndTypeSuffixesAsTheSpecificationSays() {
    assertThat(PrometheusNaming.metricName("http.server.request.duration", "s", false, false, true))
        .isEqualTo("http_server_request_duration_seconds");
    assertThat(PrometheusNaming.metricName("system.memory.usage", "By", false, true, true))
        .isEqualTo("system_memory_usage_bytes");
    assertThat(PrometheusNaming.metricName("http.server.requests", "{request}", true, false, true))
        .isEqualTo("http_server_requests_total");
    assertThat(PrometheusNaming.metricName("process.cpu.time", "s", true, false, true))
        .isEqualTo("process_cpu_time_seconds_total");
    assertThat(PrometheusNaming.metricName("cpu.utilization", "1", false, true, true)).isEqualTo("cpu_utilization_ratio");
    assertThat(PrometheusNaming.metricName("errors", "1", true, false, true)).isEqualTo("errors_total");
    assertThat(PrometheusNaming.metricName("network.io", "By/s", false, true, true))
        .isEqualTo("network_io_bytes_per_second");
    assertThat(PrometheusNaming.metricName("queue.rate", "{message}/s", false, true, true))
        .isEqualTo("queue_rate_per_second");
    assertThat(PrometheusNaming.metricName("latency", "ms", false, false, true)).isEqualTo("latency_milliseconds");
    assertThat(PrometheusNaming.metricName("odd", "widgets", false, true, true)).isEqualTo("odd_widgets");
  }

  @Test
  void shouldNotRepeatSuffixesTheNameAlreadyHas() {
    assertThat(PrometheusNaming.metricName("requests_total", null, true, false, true)).isEqualTo("requests_total");
    assertThat(PrometheusNaming.metricName("duration_seconds", "s", false, false, true)).isEqualTo("duration_seconds");
    assertThat(PrometheusNaming.metricName("used_bytes_total", "By", true, false, true)).isEqualTo("used_bytes_total");
    assertThat(PrometheusNaming.metricName("load_ratio", "1", false, true, true)).isEqualTo("load_ratio");
  }

  @Test
  void shouldOnlySanitizeWhenSuffixesAreOff() {
    assertThat(PrometheusNaming.metricName("http.server.requests", "s", true, false, false))
        .isEqualTo("http_server_requests");
  }

  @Test
  void shouldSanitizeMetricNames() {
    assertThat(PrometheusNaming.sanitizeMetricName("my-app..requests/sec")).isEqualTo("my_app_requests_sec");
    assertThat(PrometheusNaming.sanitizeMetricName("2xx.count")).isEqualTo("_2xx_count");
    assertThat(PrometheusNaming.sanitizeMetricName("ns:recorded_rule")).isEqualTo("ns:recorded_rule");
    assertThat(PrometheusNaming.sanitizeMetricName("café")).isEqualTo("caf");
    assertThat(PrometheusNaming.sanitizeMetricName("...")).isEqualTo("_");
  }

  @Test
  void shouldSanitizeLabelNames() {
    assertThat(PrometheusNaming.labelName("http.route")).isEqualTo("http_route");
    assertThat(PrometheusNaming.labelName("k8s.pod.name")).isEqualTo("k8s_pod_name");
    assertThat(PrometheusNaming.labelName("0day")).isEqualTo("key_0day");
    assertThat(PrometheusNaming.labelName("_private")).isEqualTo("key_private");
    assertThat(PrometheusNaming.labelName("__name__")).isEqualTo("key__name__");
    assertThat(PrometheusNaming.labelName("a:b")).isEqualTo("a_b");
  }

  @Test
  void shouldFormatBoundsTheSameWayEveryTime() {
    assertThat(PrometheusNaming.formatFloat(0.1)).isEqualTo("0.1");
    assertThat(PrometheusNaming.formatFloat(1.0)).isEqualTo("1");
    assertThat(PrometheusNaming.formatFloat(250)).isEqualTo("250");
    assertThat(PrometheusNaming.formatFloat(1e-9)).isEqualTo("0.000000001");
    assertThat(PrometheusNaming.formatFloat(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(PrometheusNaming.formatFloat(-0.0)).isEqualTo("0");
  }
}
