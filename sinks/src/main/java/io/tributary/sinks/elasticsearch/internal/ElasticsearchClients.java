package io.tributary.sinks.elasticsearch.internal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

/** Builds the elasticsearch-java client the sink writes with. */
public final class ElasticsearchClients {

  private ElasticsearchClients() {}

  /**
   * A client for {@code urls}, authenticating with an API key or a user/password when given (else
   * none), with the given timeouts. Connections per node are enough for {@code maxInFlight}
   * concurrent bulk requests. The client's own OpenTelemetry instrumentation is off: a
   * telemetry pipeline must not trace its own writes into itself.
   */
  public static ElasticsearchClient create(List<URI> urls, String username, String password, String apiKey,
      Duration connectTimeout, Duration readTimeout, boolean compression, int maxInFlight) {
    Rest5ClientBuilder builder = Rest5Client.builder(urls)
        .setCompressionEnabled(compression)
        .setConnectionConfigCallback(c -> c
            .setConnectTimeout(Timeout.ofMilliseconds(connectTimeout.toMillis()))
            .setSocketTimeout(Timeout.ofMilliseconds(readTimeout.toMillis())))
        .setRequestConfigCallback(r -> r
            .setConnectionRequestTimeout(Timeout.ofMilliseconds(connectTimeout.toMillis()))
            .setResponseTimeout(Timeout.ofMilliseconds(readTimeout.toMillis())))
        .setConnectionManagerCallback(m -> m
            .setMaxConnPerRoute(Math.max(10, maxInFlight + 2))
            .setMaxConnTotal(Math.max(30, (maxInFlight + 2) * urls.size())));
    String authorization = authorization(username, password, apiKey);
    if (authorization != null) {
      builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", authorization)});
    }
    Rest5ClientTransport transport = new Rest5ClientTransport(builder.build(), new JacksonJsonpMapper(), null,
        NoopInstrumentation.INSTANCE);
    return new ElasticsearchClient(transport);
  }

  static String authorization(String username, String password, String apiKey) {
    if (apiKey != null && !apiKey.isBlank()) {
      return "ApiKey " + apiKey.trim();
    }
    if (username != null && !username.isBlank()) {
      String pair = username + ":" + (password == null ? "" : password);
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }
}
