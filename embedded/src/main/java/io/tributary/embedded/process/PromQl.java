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
import javax.net.ssl.SSLContext;

/**
 * Instant PromQL queries ({@code /api/v1/query}) and exemplar queries over HTTP, as Grafana would
 * ask them, against a Prometheus or VictoriaMetrics such as {@link ExternalServer#prometheus()}
 * starts. For tests.
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
    return query(base, promql, time, HTTP, null);
  }

  /** Like {@link #query(URI, String, Instant)}, against a store with TLS ({@code tls} trusts it) and credentials. */
  public static List<Result> query(URI base, String promql, Instant time, SSLContext tls, String authorization) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build();
    return query(base, promql, time, client, authorization);
  }

  private static List<Result> query(URI base, String promql, Instant time, HttpClient client, String authorization) {
    JsonNode data = get(client, authorization, base, "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + seconds(time) + "&nocache=1", promql);
    List<Result> results = new ArrayList<>();
    for (JsonNode r : data.path("result")) {
      results.add(new Result(labels(r.path("metric")), Double.parseDouble(r.path("value").get(1).asText())));
    }
    return results;
  }

  /** One exemplar: the labels of its series, its own labels, its value and time. */
  public record Exemplar(Map<String, String> seriesLabels, Map<String, String> labels, double value, Instant time) {}

  /**
   * The exemplars of the series {@code selector} selects, from {@code start} to {@code end}
   * ({@code /api/v1/query_exemplars}; Prometheus keeps them with {@code --enable-feature=exemplar-storage}).
   */
  public static List<Exemplar> exemplars(URI base, String selector, Instant start, Instant end) {
    JsonNode data = get(HTTP, null, base, "/api/v1/query_exemplars?query=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
        + "&start=" + seconds(start) + "&end=" + seconds(end), selector);
    List<Exemplar> exemplars = new ArrayList<>();
    for (JsonNode series : data) {
      Map<String, String> seriesLabels = labels(series.path("seriesLabels"));
      for (JsonNode e : series.path("exemplars")) {
        long millis = Math.round(e.path("timestamp").asDouble() * 1000);
        exemplars.add(new Exemplar(seriesLabels, labels(e.path("labels")), Double.parseDouble(e.path("value").asText()),
            Instant.ofEpochMilli(millis)));
      }
    }
    return exemplars;
  }

  private static String seconds(Instant time) {
    return time.getEpochSecond() + "." + String.format("%03d", time.getNano() / 1_000_000);
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** The {@code data} of a successful answer to {@code pathAndQuery}. */
  private static JsonNode get(HttpClient client, String authorization, URI base, String pathAndQuery, String what) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET()
          .timeout(Duration.ofSeconds(10));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(what + " -> HTTP " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body()).path("data");
    } catch (IOException e) {
      throw new IllegalStateException("query " + what + " failed: " + e, e);
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
