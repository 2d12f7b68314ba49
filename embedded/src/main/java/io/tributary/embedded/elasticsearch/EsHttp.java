package io.tributary.embedded.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * What the tests ask Elasticsearch, over plain HTTP (independent of the client the sink uses):
 * counts, searches and plain GETs against {@link EmbeddedElasticsearch#httpUrl()}.
 */
public final class EsHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http;
  private final String authorization;

  public EsHttp(URI base) {
    this(base, null, null);
  }

  /** With security on: {@code tls} trusts the node's certificate, {@code authorization} is sent with every request. */
  public EsHttp(URI base, SSLContext tls, String authorization) {
    this.base = base;
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      client.sslContext(tls);
    }
    this.http = client.build();
    this.authorization = authorization;
  }

  /** Documents in the indices matching {@code pattern} (refreshed first); 0 if none exist yet. */
  public long count(String pattern) {
    send("POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    JsonNode r = send("GET", "/" + pattern + "/_count?ignore_unavailable=true&allow_no_indices=true", null);
    return r.path("count").asLong(-1);
  }

  /** The hits of a query (up to 10 000). */
  public List<JsonNode> search(String pattern, String query) {
    send("POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    JsonNode r = send("POST", "/" + pattern + "/_search?size=10000", "{\"query\":" + query + "}");
    List<JsonNode> hits = new ArrayList<>();
    r.path("hits").path("hits").forEach(hits::add);
    return hits;
  }

  /** The ids of every document in {@code pattern}, however many (scrolled 10 000 at a time). */
  public List<String> ids(String pattern) {
    send("POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    List<String> ids = new ArrayList<>();
    JsonNode page = send("POST", "/" + pattern + "/_search?scroll=1m&size=10000&_source=false",
        "{\"query\":{\"match_all\":{}},\"sort\":[\"_doc\"]}");
    while (page.path("hits").path("hits").size() > 0) {
      page.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
      page = send("POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + page.path("_scroll_id").asText() + "\"}");
    }
    if (page.hasNonNull("_scroll_id")) {
      send("DELETE", "/_search/scroll", "{\"scroll_id\":\"" + page.path("_scroll_id").asText() + "\"}");
    }
    return ids;
  }

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  /** {@code POST path} with a JSON body (e.g. to create an API key). */
  public JsonNode post(String path, String body) {
    return send("POST", path, body);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
