package io.tributary.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The few Elasticsearch calls the console makes: {@code _search} on the data streams the
 * Elasticsearch sink writes. A data stream that does not exist yet is an empty result (wildcard
 * patterns), not an error.
 */
final class Elasticsearch {

  static final String TRACES = "traces-*";
  /** Log records; the alerts' data streams ({@code logs-*.alerts-*}) are left out. */
  static final String LOGS = "logs-*,-logs-*.alerts-*";
  static final String ALERTS = "logs-*.alerts-*";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** Elasticsearch did not answer as expected; the console answers 502 with this message. */
  static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final URI base;
  private final String missing;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** {@code missing} says why there is no cluster when {@code base} is empty. */
  Elasticsearch(java.util.Optional<URI> base, String missing) {
    this.base = base.map(URI::toString).map(s -> URI.create(s.endsWith("/") ? s : s + "/")).orElse(null);
    this.missing = missing;
  }

  JsonNode search(String index, ObjectNode body) {
    if (base == null) {
      throw new Unavailable(missing, null);
    }
    URI uri = base.resolve(index + "/_search?ignore_unavailable=true&allow_no_indices=true");
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new Unavailable("Elasticsearch " + uri + " answered " + response.statusCode() + ": "
            + abbreviate(response.body()), null);
      }
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new Unavailable("Elasticsearch " + base + " cannot be reached: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while querying Elasticsearch", e);
    }
  }

  private static String abbreviate(String body) {
    return body.length() > 500 ? body.substring(0, 500) + "..." : body;
  }
}
