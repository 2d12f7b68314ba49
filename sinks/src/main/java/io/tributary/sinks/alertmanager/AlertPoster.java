package io.tributary.sinks.alertmanager;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * POSTs one JSON body to every target. A body is delivered once one target accepted it (an
 * Alertmanager cluster gossips); it is retriable when every target failed for a reason worth
 * retrying (connection refused, timeout, 429, 5xx), and rejected when a target refused the body
 * itself (another 4xx).
 */
final class AlertPoster {

  /** What became of one body. */
  sealed interface Outcome {
    record Delivered() implements Outcome {}

    record Retriable(String reason, Optional<Duration> retryAfter) implements Outcome {}

    record Rejected(String reason) implements Outcome {}
  }

  private final HttpClient http;
  private final List<URI> targets;
  private final Duration timeout;
  private final Optional<String> authorization;

  AlertPoster(List<URI> targets, Duration timeout, Optional<String> bearerToken, Optional<String> basicAuth) {
    this.targets = List.copyOf(targets);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.authorization = bearerToken.map(t -> "Bearer " + t)
        .or(() -> basicAuth.map(b -> "Basic " + Base64.getEncoder().encodeToString(b.getBytes(StandardCharsets.UTF_8))));
  }

  Outcome post(String json) {
    List<String> retriable = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    Optional<Duration> retryAfter = Optional.empty();
    for (URI target : targets) {
      HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      authorization.ifPresent(a -> request.header("Authorization", a));
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return new Outcome.Delivered();
        }
        String reason = target + " answered " + status + ": " + abbreviate(response.body());
        if (status == 429 || status / 100 == 5) {
          retriable.add(reason);
          retryAfter = retryAfter.or(() -> io.tributary.sinks.internal.Backoff.parseRetryAfter(
              response.headers().firstValue("Retry-After").orElse(null)));
        } else {
          rejected.add(reason);
        }
      } catch (IOException e) {
        retriable.add(target + " unreachable: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        retriable.add(target + ": interrupted");
      }
    }
    if (!retriable.isEmpty()) {
      return new Outcome.Retriable(String.join("; ", retriable), retryAfter);
    }
    return new Outcome.Rejected(String.join("; ", rejected));
  }

  private static String abbreviate(String body) {
    String s = body == null ? "" : body.strip();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
