package io.tributary.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.tributary.console.ConsoleConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sampler against a role served over HTTP (a counter that grows on every scrape, a readiness
 * answer that can turn bad): rates, the stage table, health, and a counter reset as a gap.
 */
class ThroughputTest {

  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong step = new AtomicLong(10);
  private final AtomicInteger readiness = new AtomicInteger(200);
  private HttpServer role;

  @BeforeEach
  void startRole() throws Exception {
    role = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    role.createContext("/metrics", exchange -> {
      long value = accepted.addAndGet(step.get());
      byte[] body = ("# TYPE tributary_gateway_spans_accepted_total counter\n"
          + "tributary_gateway_spans_accepted_total " + value + ".0\n"
          + "jvm_threads_live_threads 20.0\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    role.createContext("/health/ready", exchange -> {
      exchange.sendResponseHeaders(readiness.get(), -1);
      exchange.close();
    });
    role.start();
  }

  @AfterEach
  void stopRole() {
    role.stop(0);
  }

  @Test
  void shouldChartTheRateOfARolesCountersAndItsHealth() {
    URI base = URI.create("http://127.0.0.1:" + role.getAddress().getPort());
    ConsoleConfig config = new ConsoleConfig("127.0.0.1", 0, Optional.empty(), Optional.empty(), Optional.empty(),
        Map.of("gateway", base), Map.of(), Duration.ofMillis(200));
    try (Throughput throughput = new Throughput(config)) {
      await("three samples").atMost(Duration.ofSeconds(10)).until(() -> throughput.overview().path("timestamps").size() >= 3);
      ObjectNode overview = throughput.overview();

      JsonNode chart = chart(overview, "gateway · tributary_gateway_spans_accepted_total");
      assertThat(chart.path("unit").asText()).isEqualTo("/s");
      JsonNode values = chart.at("/series/0/values");
      assertThat(values.size()).isEqualTo(overview.path("timestamps").size());
      assertThat(values.get(values.size() - 1).asDouble()).as("10 per 0.2 s").isBetween(20.0, 80.0);
      assertThat(overview.path("stages").toString()).contains("gateway tributary_gateway_spans_accepted_total")
          .doesNotContain("jvm_threads");
      assertThat(health(overview, "gateway").path("healthy").asBoolean()).isTrue();

      readiness.set(503);
      accepted.set(0);
      step.set(0);
      await("the role turns unhealthy").atMost(Duration.ofSeconds(10))
          .until(() -> !health(throughput.overview(), "gateway").path("healthy").asBoolean());
      assertThat(health(throughput.overview(), "gateway").path("problem").asText())
          .isEqualTo("/health/ready answered 503");
      JsonNode afterReset = chart(throughput.overview(), "gateway · tributary_gateway_spans_accepted_total")
          .at("/series/0/values");
      assertThat(afterReset.toString()).as("a counter reset is a gap, never a negative rate").contains("null")
          .doesNotContain("-");
    }
  }

  @Test
  void shouldShowEachSinksDeliveredRetriedAndFailedWithItsTasksSummed() throws Exception {
    // A Connect worker's /metrics: two tasks of one connector, one task of another; delivered grows on each scrape.
    AtomicLong scrapes = new AtomicLong();
    HttpServer connect = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    connect.createContext("/metrics", exchange -> {
      long n = scrapes.incrementAndGet();
      byte[] body = ("# TYPE tributary_sink_items_delivered_total counter\n"
          + "tributary_sink_items_delivered_total{connector=\"es\",task=\"0\"} " + 100 * n + ".0\n"
          + "tributary_sink_items_delivered_total{connector=\"es\",task=\"1\"} " + 50 * n + ".0\n"
          + "tributary_sink_items_delivered_total{connector=\"rw\",task=\"0\"} 7.0\n"
          + "tributary_sink_items_retried_total{connector=\"es\",task=\"0\"} 3.0\n"
          + "tributary_sink_records_failed_total{connector=\"es\",task=\"1\"} 2.0\n"
          + "tributary_sink_requests_total{connector=\"es\",task=\"0\"} 9.0\n"
          + "tributary_sink_buffered_items{connector=\"es\",task=\"0\"} 4.0\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    connect.createContext("/health/ready", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    connect.start();
    URI base = URI.create("http://127.0.0.1:" + connect.getAddress().getPort());
    ConsoleConfig config = new ConsoleConfig("127.0.0.1", 0, Optional.empty(), Optional.empty(), Optional.empty(),
        Map.of("connect", base), Map.of(), Duration.ofMillis(200));
    try (Throughput throughput = new Throughput(config)) {
      await("three samples").atMost(Duration.ofSeconds(10)).until(() -> throughput.overview().path("timestamps").size() >= 3);
      JsonNode sinks = throughput.overview().path("sinks");

      assertThat(sinks).extracting(s -> s.path("connector").asText()).containsExactly("es", "rw");
      JsonNode es = sinks.get(0);
      assertThat(es.path("delivered_total").asLong()).as("both tasks, 150 per scrape").isPositive()
          .isEqualTo(150 * (es.path("delivered_total").asLong() / 150));
      assertThat(es.path("delivered_per_second").asDouble()).as("150 per scrape").isPositive();
      assertThat(es.path("retried_total").asLong()).isEqualTo(3);
      assertThat(es.path("retried_per_second").asDouble()).isZero();
      assertThat(es.path("failed_total").asLong()).isEqualTo(2);
      JsonNode rw = sinks.get(1);
      assertThat(rw.path("delivered_total").asLong()).isEqualTo(7);
      assertThat(rw.path("failed_total").asLong()).as("no series: nothing failed").isZero();
    } finally {
      connect.stop(0);
    }
  }

  private static JsonNode chart(JsonNode overview, String title) {
    for (JsonNode chart : overview.path("charts")) {
      if (chart.path("title").asText().equals(title)) {
        return chart;
      }
    }
    throw new AssertionError("no chart " + title + " in " + overview.path("charts"));
  }

  private static JsonNode health(JsonNode overview, String role) {
    for (JsonNode h : overview.path("health")) {
      if (h.path("role").asText().equals(role)) {
        return h;
      }
    }
    throw new AssertionError("no health of " + role + " in " + overview.path("health"));
  }
}
