package io.tributary.embedded.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Instant PromQL queries over HTTP ({@code /api/v1/query}), as Grafana would ask them, against a
 * Prometheus or VictoriaMetrics such as {@link ExternalServer#prometheus()} starts. For tests.
 */
public final class PromQl {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One series of a query result. */
  public record Result(Map<String, String> labels, double value) {}

  private PromQl() {}

  /** The vector {@code promql} evaluates to at {@code time}; VictoriaMetrics' result cache is bypassed. */
  public static List<Result> query(URI base, String promql, Instant time) {
    String url = base.resolve("/api/v1/query") + "?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&time=" + time.getEpochSecond() + "." + String.format("%03d", time.getNano() / 1_000_000) + "&nocache=1";
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET()
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(promql + " -> HTTP " + response.statusCode() + ": " + response.body());
      }
      JsonNode data = JSON.readTree(response.body()).path("data");
      List<Result> results = new ArrayList<>();
      for (JsonNode r : data.path("result")) {
        Map<String, String> labels = new LinkedHashMap<>();
        r.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        results.add(new Result(labels, Double.parseDouble(r.path("value").get(1).asText())));
      }
      return results;
    } catch (IOException e) {
      throw new IllegalStateException("query " + promql + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The single value of a query that must return one series, or NaN when it returns none. */
  public static double value(URI base, String promql, Instant time) {
    List<Result> results = query(base, promql, time);
    if (results.isEmpty()) {
      return Double.NaN;
    }
    if (results.size() > 1) {
      throw new IllegalStateException(promql + " returned " + results.size() + " series: " + results);
    }
    return results.get(0).value();
  }
}
