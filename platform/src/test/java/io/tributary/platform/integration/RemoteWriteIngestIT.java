package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.PromQl;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.Roles;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.kafka.EmbeddedKafkaRole;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.roles.StartedRoles;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.testsupport.TestTopics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus remote_write into the gateway, end to end with real senders: a real Prometheus (Debian's
 * 2.42) and a real vmagent scrape one target (a counter, a gauge and a classic histogram in the text
 * format) and remote-write to {@code tributary dev}'s gateway; the metrics pipeline and the
 * remote_write sink carry the series into a real VictoriaMetrics. The same PromQL answers the same on
 * the scraping Prometheus (before) and on VictoriaMetrics (after), label for label; the raw topic shows
 * the counter as a monotonic sum and the histogram reassembled into histogram points.
 */
class RemoteWriteIngestIT {

  private static final String PROMETHEUS_JOB = "rwi-prometheus";
  private static final String VMAGENT_JOB = "rwi-vmagent";
  /**
   * The instance label both senders give the target. Not its 127.0.0.1 address: the shipped pipeline
   * configuration masks IPv4 addresses in every attribute value, service.instance.id included.
   */
  private static final String INSTANCE = "shop-7f9c:9100";
  /** Constant values, so that "before" and "after" agree whichever scrape each side last saw. */
  private static final String EXPOSITION = """
      # HELP rwi_orders_total Orders placed.
      # TYPE rwi_orders_total counter
      rwi_orders_total{shop="eu"} 1027
      rwi_orders_total{shop="us"} 3
      # HELP rwi_queue_depth Items waiting.
      # TYPE rwi_queue_depth gauge
      rwi_queue_depth 42.5
      # HELP rwi_latency_seconds Request latency.
      # TYPE rwi_latency_seconds histogram
      rwi_latency_seconds_bucket{route="/pay",le="0.1"} 5
      rwi_latency_seconds_bucket{route="/pay",le="0.5"} 9
      rwi_latency_seconds_bucket{route="/pay",le="+Inf"} 11
      rwi_latency_seconds_sum{route="/pay"} 3.25
      rwi_latency_seconds_count{route="/pay"} 11
      """;
  private static final List<String> QUERIES = List.of(
      "rwi_orders_total{job=\"%s\"}",
      "rwi_queue_depth{job=\"%s\"}",
      "rwi_latency_seconds_bucket{job=\"%s\"}",
      "rwi_latency_seconds_sum{job=\"%s\"}",
      "rwi_latency_seconds_count{job=\"%s\"}",
      "histogram_quantile(0.9, sum by (le) (rwi_latency_seconds_bucket{job=\"%s\"}))",
      "up{job=\"%s\"}");

  @TempDir
  Path temp;

  @Test
  void shouldCarryWhatPrometheusAndVmagentScrapedIntoTheRemoteWriteStoreWithTheSameValues() throws Exception {
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/metrics", exchange -> {
      byte[] body = EXPOSITION.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    target.start();
    String targetAddress = "127.0.0.1:" + target.getAddress().getPort();
    try (ExternalServer victoria = RequiredBackend.get(() -> ExternalServer.victoriaMetrics().build()).start()) {
      RoleContext context = DevOnFreePorts.context(temp, "--no-elasticsearch",
          "--remote-write-url", victoria.baseUrl() + "api/v1/write");
      try (StartedRoles started = Roles.REGISTRY.start(Roles.DEV, context)) {
        OtlpGateway gateway = context.require(GatewayRole.GATEWAY);
        String bootstrap = context.require(EmbeddedKafkaRole.BROKER).bootstrapServers();
        String writeUrl = "http://127.0.0.1:" + gateway.httpPort() + "/api/v1/write";
        try (ExternalServer prometheus = RequiredBackend.get(() -> ExternalServer.prometheus()
                .file("prometheus.yml", prometheusConfig(targetAddress, writeUrl)).build()).start();
            ExternalServer vmagent = RequiredBackend.get(() -> ExternalServer.vmagent(
                scrapeConfig(VMAGENT_JOB, targetAddress), writeUrl).build()).start()) {
          URI before = prometheus.baseUrl();
          URI after = victoria.baseUrl();
          for (String query : QUERIES) {
            String fromPrometheus = String.format(query, PROMETHEUS_JOB);
            await("Prometheus scraped " + fromPrometheus).atMost(Duration.ofSeconds(60))
                .until(() -> !PromQl.query(before, fromPrometheus, Instant.now()).isEmpty());
            Map<Map<String, String>, Double> expected = results(before, fromPrometheus, Map.of());
            for (String job : List.of(PROMETHEUS_JOB, VMAGENT_JOB)) {
              String q = String.format(query, job);
              // vmagent scraped the same target: Prometheus' answer, under vmagent's job.
              Map<Map<String, String>, Double> want = job.equals(PROMETHEUS_JOB) ? expected
                  : results(before, fromPrometheus, Map.of("job", VMAGENT_JOB));
              await(q + " in VictoriaMetrics as in Prometheus").atMost(Duration.ofSeconds(180))
                  .pollInterval(Duration.ofSeconds(2))
                  .untilAsserted(() -> assertThat(withoutTenant(results(after, q, Map.of()))).as(q).isEqualTo(want));
            }
          }
          assertThat(expected(before)).as("the target's values, as Prometheus scraped them")
              .containsEntry(Map.of("__name__", "rwi_orders_total", "job", PROMETHEUS_JOB, "instance", INSTANCE,
                  "shop", "eu"), 1027.0);
          assertRawTypes(bootstrap);
          assertEveryRequestAccepted(gateway.httpPort());
        }
      }
    } finally {
      target.stop(0);
    }
  }

  /** The counter became a monotonic sum and the histogram histogram points, for both senders. */
  private static void assertRawTypes(String bootstrap) {
    Map<String, Set<String>> kinds = new HashMap<>();
    for (ExportMetricsServiceRequest request : TestTopics.readAll(bootstrap, TopicCatalog.OTLP_METRICS.name(),
        ExportMetricsServiceRequest.parser())) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        String job = rm.getResource().getAttributesList().stream().filter(kv -> kv.getKey().equals("service.name"))
            .map(kv -> kv.getValue().getStringValue()).findFirst().orElse("");
        rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(m ->
            kinds.computeIfAbsent(job + " " + m.getName(), k -> new java.util.TreeSet<>()).add(kind(m))));
      }
    }
    for (String job : List.of(PROMETHEUS_JOB, VMAGENT_JOB)) {
      assertThat(kinds.get(job + " rwi_orders_total")).as(job).containsExactly("monotonic_sum");
      assertThat(kinds.get(job + " rwi_queue_depth")).as(job).containsExactly("gauge");
      assertThat(kinds.get(job + " rwi_latency_seconds")).as(job + ": histogram points, " + kinds).contains("histogram");
    }
  }

  /**
   * No sender had a batch refused: a refused batch is dropped by the sender, and later scrapes of the
   * same constant values would hide that from the PromQL comparison.
   */
  private static void assertEveryRequestAccepted(int httpPort) throws Exception {
    java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    Map<String, Double> byOutcome = new TreeMap<>();
    metrics.body().lines()
        .filter(l -> l.startsWith("tributary_gateway_requests_total{") && l.contains("transport=\"prometheus_remote_write\""))
        .forEach(l -> byOutcome.merge(l.replaceAll(".*outcome=\"([a-z_]+)\".*", "$1"),
            Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum));
    assertThat(byOutcome.get("success")).as("remote_write requests by outcome: %s", byOutcome).isPositive();
    byOutcome.forEach((outcome, count) -> assertThat(count).as("remote_write requests answered %s", outcome)
        .isEqualTo(outcome.equals("success") ? count : 0.0));
  }

  private static String kind(Metric m) {
    return m.hasHistogram() ? "histogram" : m.hasSum() && m.getSum().getIsMonotonic() ? "monotonic_sum"
        : m.hasGauge() ? "gauge" : m.getDataCase().name();
  }

  private static Map<Map<String, String>, Double> expected(URI prometheus) {
    return results(prometheus, String.format(QUERIES.get(0), PROMETHEUS_JOB), Map.of());
  }

  /** The vector by label set, with {@code replace}d label values. */
  private static Map<Map<String, String>, Double> results(URI base, String promql, Map<String, String> replace) {
    return PromQl.query(base, promql, Instant.now()).stream().collect(Collectors.toMap(r -> {
      Map<String, String> labels = new TreeMap<>(r.labels());
      labels.replaceAll((k, v) -> replace.getOrDefault(k, v));
      return Map.copyOf(labels);
    }, PromQl.Result::value));
  }

  /**
   * dev's remote_write sink labels every series with its tenant (the gateway's default tenant here, no API
   * keys): checked, then left out so that the labels compare with Prometheus' own.
   */
  private static Map<Map<String, String>, Double> withoutTenant(Map<Map<String, String>, Double> results) {
    Map<Map<String, String>, Double> untenanted = new HashMap<>();
    results.forEach((labels, value) -> {
      Map<String, String> rest = new TreeMap<>(labels);
      assertThat(rest.remove("tenant")).as("tenant label of %s", labels).isIn(null, "default");
      untenanted.put(Map.copyOf(rest), value);
    });
    return untenanted;
  }

  private static String prometheusConfig(String target, String writeUrl) {
    return """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        %s
        remote_write:
          - url: %s
            queue_config:
              batch_send_deadline: 1s
            metadata_config:
              send_interval: 5s
        """.formatted(scrapeConfig(PROMETHEUS_JOB, target).replace("global:\n  scrape_interval: 1s\n", ""), writeUrl);
  }

  private static String scrapeConfig(String job, String target) {
    return """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: ["%s"]
            relabel_configs:
              - target_label: instance
                replacement: "%s"
        """.formatted(job, target, INSTANCE);
  }
}
