package io.tributary.interop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Reads counters from a Prometheus text endpoint (the gateway's {@code /metrics}, a Collector's or
 * Jaeger's own telemetry): the sum of every sample of a metric whose labels include the given ones.
 */
final class PrometheusText {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();
  /** A pooled connection the server has just closed fails once; the next attempt opens a new one. */
  private static final int ATTEMPTS = 3;

  private PrometheusText() {}

  /**
   * Sum of the samples of {@code metric} (or {@code metric_total}: exporters differ on the counter suffix)
   * at {@code url} carrying every label of {@code labels}; 0 if none.
   */
  static double sum(URI url, String metric, Map<String, String> labels) {
    String body = read(url);
    double sum = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || !(isSampleOf(line, metric) || isSampleOf(line, metric + "_total"))) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      if (labels.entrySet().stream().allMatch(l -> series.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
        sum += Double.parseDouble(line.substring(space + 1));
      }
    }
    return sum;
  }

  private static String read(URI url) {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("cannot read metrics at " + url + ": " + last.getMessage(), last);
  }

  private static boolean isSampleOf(String line, String metric) {
    return line.startsWith(metric + "{") || line.startsWith(metric + " ");
  }
}
