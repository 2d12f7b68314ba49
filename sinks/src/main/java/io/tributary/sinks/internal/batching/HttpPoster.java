package io.tributary.sinks.internal.batching;

import static java.util.Objects.requireNonNull;

import io.tributary.sinks.internal.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs request bodies to a store and turns the answer into a {@link SendOutcome}: I/O errors and
 * timeouts are retried; 401, 403, 404 and 405 are fatal (no batch gets past a wrong URL or
 * refused credentials, so dead-lettering every record would only hide the problem); the sink's
 * {@link Classifier} decides the rest. Thread-safe; HTTP/1.1 with pooled connections.
 */
public final class HttpPoster {

  /** How much of an error body is quoted in logs and dead-letter reasons. */
  public static final int MAX_MESSAGE_CHARS = 1000;

  /** Decides what a status other than the fatal ones means for the batch. */
  @FunctionalInterface
  public interface Classifier {
    SendOutcome classify(HttpResponse<byte[]> response);
  }

  private final HttpClient client;
  private final Duration requestTimeout;
  private final Map<String, String> headers;

  /** {@code headers}: sent with every request (authorization, user-set headers). */
  public HttpPoster(Duration connectTimeout, Duration requestTimeout, Map<String, String> headers) {
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(requireNonNull(connectTimeout, "connectTimeout"))
        .build();
    this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout");
    this.headers = Map.copyOf(headers);
  }

  /** POSTs {@code body} with the common headers plus {@code requestHeaders}. */
  public SendOutcome post(URI uri, byte[] body, Map<String, String> requestHeaders, Classifier classifier) {
    return post(uri, body, body.length, requestHeaders, classifier);
  }

  /**
   * POSTs the first {@code length} bytes of {@code body}. The client copies them when it starts
   * sending; a caller reusing {@code body} for its next request does so only after a 2xx answer
   * (the store read the whole body), as a request that failed may still be read from.
   */
  public SendOutcome post(URI uri, byte[] body, int length, Map<String, String> requestHeaders,
      Classifier classifier) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
    headers.forEach(request::header);
    requestHeaders.forEach(request::header);
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return SendOutcome.retry(uri + " not reachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendOutcome.retry("interrupted");
    }
    int status = response.statusCode();
    if (status == 401 || status == 403 || status == 404 || status == 405) {
      return new SendOutcome.Fatal(uri + " answered " + status + ": " + message(response)
          + " (check the connector's URL and credentials)");
    }
    return classifier.classify(response);
  }

  /** The store's message: the response body as text, shortened. */
  public static String message(HttpResponse<byte[]> response) {
    String text = new String(response.body() == null ? new byte[0] : response.body(), StandardCharsets.UTF_8).strip();
    return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text;
  }

  /** A retry honouring the response's {@code Retry-After} (seconds), if it has one. */
  public static SendOutcome.Retry retry(HttpResponse<byte[]> response, String reason) {
    return new SendOutcome.Retry(reason,
        Backoff.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null)));
  }
}
