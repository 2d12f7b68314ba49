package io.tributary.sinks.elasticsearch.internal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import java.net.URI;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import java.time.Duration;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the elasticsearch-java client the sink writes with.
 *
 * <p>One transport, decided: the other sinks POST through {@code HttpPoster} (Apache HttpClient 5,
 * classic, blocking on the shard thread). Elasticsearch keeps the client's own {@code Rest5Client}
 * transport (Apache HttpClient 5 too, async), because it is what the typed client is built for:
 * it spreads requests over the nodes of {@code connection.urls} and avoids a failed node for a
 * while, speaks the API's compatibility headers and decodes bulk responses and errors into the
 * types {@link BulkSender} reads per document. Putting those requests through {@code HttpPoster}
 * would mean writing that node selection again. What is shared is everything around the
 * connection: the same options and their values ({@code HttpSinkOptions.Settings}: authorization
 * and extra headers, connect and request timeouts), and the same delivery engine above it. Sharing
 * one connection pool between the two would couple unrelated stores' limits, and a pool is per
 * store anyway.
 */
public final class ElasticsearchClients {

  private ElasticsearchClients() {}

  /**
   * A client for {@code urls} with the shared connection settings (the {@code Authorization} header
   * the auth options make, extra headers, timeouts, the TLS files). Connections per node are enough for
   * {@code maxInFlight} concurrent bulk requests. The client's own OpenTelemetry instrumentation is
   * off: a telemetry pipeline must not trace its own writes into itself.
   */
  public static ElasticsearchClient create(List<URI> urls, HttpSinkOptions.Settings settings, boolean compression,
      int maxInFlight) {
    Duration connectTimeout = settings.connectTimeout();
    Duration readTimeout = settings.requestTimeout();
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
    if (settings.tls() != null) {
      builder.setSSLContext(settings.tls());
    }
    if (!settings.headers().isEmpty()) {
      builder.setDefaultHeaders(settings.headers().entrySet().stream()
          .map(e -> (Header) new BasicHeader(e.getKey(), e.getValue())).toArray(Header[]::new));
    }
    Rest5ClientTransport transport = new Rest5ClientTransport(builder.build(), new JacksonJsonpMapper(), null,
        NoopInstrumentation.INSTANCE);
    return new ElasticsearchClient(transport);
  }
}
