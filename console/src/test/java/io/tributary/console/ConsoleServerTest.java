package io.tributary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The console's server without its backends: pages and bundled files are served from the jar,
 * authentication guards the API, and bad input or a missing Elasticsearch get answers that say what
 * to do.
 */
class ConsoleServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void shouldServeThePagesAndTheBundledFrontEndFromTheJar() throws Exception {
    try (ConsoleServer console = ConsoleServer.start(config(Map.of(), Optional.empty()))) {
      for (String page : new String[] {"/", "/traces", "/traces/0af7651916cd43dd8448eb211c80319c", "/llm", "/alerts"}) {
        HttpResponse<String> response = get(console, page, null);
        assertThat(response.statusCode()).as(page).isEqualTo(200);
        assertThat(response.body()).as(page).contains("<script type=\"module\" src=\"/static/app.js\"></script>");
      }
      HttpResponse<String> uplot = get(console, "/static/uPlot.iife.min.js", null);
      assertThat(uplot.statusCode()).isEqualTo(200);
      assertThat(uplot.body()).contains("uPlot");
      assertThat(get(console, "/static/app.js", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void shouldAskForAnApiKeyWhenAuthenticationIsOnAndNameTheTenant() throws Exception {
    try (ConsoleServer console = ConsoleServer.start(config(Map.of("k-acme", "acme"), Optional.empty()))) {
      assertThat(get(console, "/api/session", null).body()).isEqualTo("{\"authentication\":true,\"tenant\":null}");
      assertThat(get(console, "/api/session", "k-acme").body()).isEqualTo("{\"authentication\":true,\"tenant\":\"acme\"}");

      HttpResponse<String> anonymous = get(console, "/api/traces", null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("send an API key of the gateway as 'Authorization: Bearer <key>'");
      HttpResponse<String> wrong = get(console, "/api/overview", "nope");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("unknown API key");
      assertThat(get(console, "/api/overview", "k-acme").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void shouldAnswerBadParametersAndAMissingElasticsearchClearly() throws Exception {
    try (ConsoleServer console = ConsoleServer.start(config(Map.of(), Optional.empty()))) {
      HttpResponse<String> badStatus = get(console, "/api/traces?status=BROKEN", null);
      assertThat(badStatus.statusCode()).isEqualTo(400);
      assertThat(badStatus.body()).contains("status: BROKEN (expected: OK, ERROR or UNSET)");
      HttpResponse<String> badId = get(console, "/api/traces/not-a-trace", null);
      assertThat(badId.statusCode()).isEqualTo(400);
      assertThat(badId.body()).contains("32 lowercase hex characters");
      HttpResponse<String> noElasticsearch = get(console, "/api/traces?service=x", null);
      assertThat(noElasticsearch.statusCode()).isEqualTo(502);
      assertThat(noElasticsearch.body()).contains("no Elasticsearch is configured", "--elasticsearch-url");
    }
  }

  @Test
  void shouldSayWhichElasticsearchCannotBeReached() throws Exception {
    URI closed = URI.create("http://127.0.0.1:1");
    try (ConsoleServer console = ConsoleServer.start(config(Map.of(), Optional.of(closed)))) {
      HttpResponse<String> response = get(console, "/api/alerts", null);
      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.body()).contains("Elasticsearch http://127.0.0.1:1/ cannot be reached");
    }
  }

  private static ConsoleConfig config(Map<String, String> keys, Optional<URI> elasticsearch) {
    return new ConsoleConfig("127.0.0.1", 0, elasticsearch, Optional.empty(), Optional.empty(), Map.of(), keys,
        Duration.ofSeconds(1));
  }

  private static HttpResponse<String> get(ConsoleServer console, String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(console.url().resolve(path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
