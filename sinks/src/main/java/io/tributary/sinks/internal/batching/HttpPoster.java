package io.tributary.sinks.internal.batching;

import static java.util.Objects.requireNonNull;

import io.tributary.sinks.internal.Backoff;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * POSTs request bodies to a store and turns the answer into a {@link SendOutcome}: I/O errors and
 * timeouts are retried; 401, 403, 404 and 405 are fatal (no batch gets past a wrong URL or
 * refused credentials, so dead-lettering every record would only hide the problem); the sink's
 * {@link Classifier} decides the rest. Thread-safe; HTTP/1.1 with pooled keep-alive connections.
 *
 * <p>Blocking I/O on the calling (shard) thread: the request is written and its answer read by the
 * thread that waits for it. A client with its own selector and executor threads hands every
 * request and answer across them; in the remote_write benchmark that cost the sink's JVM about a
 * third more CPU per sample, on machines where the sink shares its cores with the store.
 */
public final class HttpPoster implements AutoCloseable {

  /** How much of an error body is quoted in logs and dead-letter reasons. */
  public static final int MAX_MESSAGE_CHARS = 1000;

  /** Connections kept per store: more than any sink's shards of one task. */
  private static final int MAX_CONNECTIONS = 256;

  /** The store's answer: status, body and headers. */
  public record Answer(int status, byte[] body, Map<String, String> headers) {
    public Answer {
      body = body == null ? new byte[0] : body;
      headers = Map.copyOf(headers);
    }

    /** A header's value; names are matched in any case. */
    public Optional<String> header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return Optional.of(e.getValue());
        }
      }
      return Optional.empty();
    }
  }

  /** Decides what a status other than the fatal ones means for the batch. */
  @FunctionalInterface
  public interface Classifier {
    SendOutcome classify(Answer answer);
  }

  private final CloseableHttpClient client;
  private final Duration requestTimeout;
  private final Map<String, String> headers;
  /** Requests being sent, cancelled by {@link #close}: blocking reads end only when their connection does. */
  private final Set<HttpPost> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** {@code headers}: sent with every request (authorization, user-set headers). */
  public HttpPoster(Duration connectTimeout, Duration requestTimeout, Map<String, String> headers) {
    this(connectTimeout, requestTimeout, headers, null);
  }

  /** Like {@link #HttpPoster(Duration, Duration, Map)}, with its own TLS context ({@code null}: the JVM's). */
  public HttpPoster(Duration connectTimeout, Duration requestTimeout, Map<String, String> headers, SSLContext tls) {
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(requestTimeout, "requestTimeout");
    PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(MAX_CONNECTIONS)
        .setMaxConnPerRoute(MAX_CONNECTIONS)
        // https with the sink's own CA / client certificate, else as the JVM is set up for it: javax.net.ssl
        // trust and key stores (mTLS), protocols, cipher suites
        .setTlsSocketStrategy(tls == null ? DefaultClientTlsStrategy.createSystemDefault()
            : new DefaultClientTlsStrategy(tls))
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(connectTimeout))
            .setSocketTimeout(Timeout.of(requestTimeout))
            .build())
        .build();
    this.client = HttpClients.custom()
        .setConnectionManager(connections)
        .setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(Timeout.of(requestTimeout))
            .setConnectionRequestTimeout(Timeout.of(requestTimeout))
            .build())
        .disableAutomaticRetries() // the shards retry, with backoff and counted
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAuthCaching()
        .evictIdleConnections(Timeout.ofSeconds(30))
        .build();
    this.requestTimeout = requestTimeout;
    this.headers = Map.copyOf(headers);
  }

  /** POSTs {@code body} with the common headers plus {@code requestHeaders}. */
  public SendOutcome post(URI uri, byte[] body, Map<String, String> requestHeaders, Classifier classifier) {
    return post(uri, body, body.length, requestHeaders, classifier);
  }

  /**
   * POSTs the first {@code length} bytes of {@code body}. The request is written before this
   * returns, so a caller may reuse {@code body} for its next request whatever the answer.
   */
  public SendOutcome post(URI uri, byte[] body, int length, Map<String, String> requestHeaders,
      Classifier classifier) {
    Answer answer;
    try {
      answer = exchange(uri, body, length, requestHeaders);
    } catch (SocketTimeoutException e) {
      return SendOutcome.retry(uri + " did not answer within " + requestTimeout.toMillis() + " ms (request.timeout.ms)");
    } catch (IOException e) {
      return SendOutcome.retry(closed ? "closed" : uri + " not reachable: " + e);
    }
    Optional<String> fatal = fatalReason(uri, answer);
    if (fatal.isPresent()) {
      return new SendOutcome.Fatal(fatal.get());
    }
    return classifier.classify(answer);
  }

  /**
   * Why no request to {@code uri} can succeed as configured, when its answer says so (401, 403: refused
   * credentials or privileges; 404, 405: no such endpoint), whatever the body: such an answer stops the
   * task rather than dead-letter every record. Empty for any other answer.
   */
  public static Optional<String> fatalReason(URI uri, Answer answer) {
    int status = answer.status();
    if (status == 401 || status == 403 || status == 404 || status == 405) {
      return Optional.of(uri + " answered " + status + ": " + message(answer)
          + " (check the connector's URL and credentials)");
    }
    return Optional.empty();
  }

  /**
   * POSTs the first {@code length} bytes of {@code body} and returns the store's answer, whatever its
   * status, for a sink that reads every status itself (one that writes to several targets). Throws
   * when no answer came: {@link SocketTimeoutException} after the request timeout, another
   * {@link IOException} when the store is not reachable or the poster was closed meanwhile.
   */
  public Answer exchange(URI uri, byte[] body, int length, Map<String, String> requestHeaders) throws IOException {
    HttpPost request = new HttpPost(uri);
    headers.forEach(request::setHeader);
    requestHeaders.forEach(request::setHeader);
    request.setEntity(new ByteArrayEntity(body, 0, length, null));
    inFlight.add(request);
    if (closed) {
      request.cancel(); // close() ran before the request was registered, so it could not cancel it
    }
    try {
      return client.execute(request, HttpPoster::answer);
    } catch (IllegalStateException e) {
      if (!closed) {
        throw e;
      }
      throw new IOException("closed", e); // cancelled mid-way, or the pool already shut down
    } finally {
      inFlight.remove(request);
    }
  }

  private static Answer answer(ClassicHttpResponse response) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    for (Header header : response.getHeaders()) {
      h.putIfAbsent(header.getName(), header.getValue());
    }
    byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
    return new Answer(response.getCode(), body, h);
  }

  /** The store's message: the response body as text, shortened. */
  public static String message(Answer answer) {
    String text = new String(answer.body(), StandardCharsets.UTF_8).strip();
    return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text;
  }

  /** A retry honouring the answer's {@code Retry-After} (seconds), if it has one. */
  public static SendOutcome.Retry retry(Answer answer, String reason) {
    return new SendOutcome.Retry(reason, Backoff.parseRetryAfter(answer.header("Retry-After").orElse(null)));
  }

  /** Closes every connection at once, in use or not: a request in flight ends with a retry outcome. */
  @Override
  public void close() {
    closed = true;
    inFlight.forEach(HttpPost::cancel);
    client.close(CloseMode.IMMEDIATE);
  }
}
