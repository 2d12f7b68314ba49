package io.tributary.sinks.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: attempt {@code n} waits a random time between half and
 * all of {@code min(max, initial * 2^n)}, so many tasks retrying against one store spread out. A
 * server's {@code Retry-After} wins when given, capped at {@code max}.
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff: " + initial + " (expected: > 0)");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max backoff: " + max + " (expected: >= initial " + initial + ")");
    }
  }

  /** The wait before retry number {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt) {
    long initialMs = initial.toMillis();
    long capMs = max.toMillis();
    int shift = Math.min(Math.max(attempt, 0), 30);
    long ceiling = initialMs > (capMs >> shift) ? capMs : Math.min(capMs, initialMs << shift);
    long floor = Math.max(1, ceiling / 2);
    return Duration.ofMillis(floor >= ceiling ? ceiling : ThreadLocalRandom.current().nextLong(floor, ceiling + 1));
  }

  /** The wait before retry {@code attempt}, or the server's Retry-After (capped) when it sent one. */
  public Duration delay(int attempt, Optional<Duration> retryAfter) {
    return retryAfter.filter(d -> !d.isNegative())
        .map(d -> d.compareTo(max) > 0 ? max : d)
        .orElseGet(() -> delay(attempt));
  }

  /**
   * Parses an HTTP {@code Retry-After} value in seconds (the form OTLP receivers, Elasticsearch and
   * Prometheus-compatible stores send); an HTTP-date or garbage yields empty.
   */
  public static Optional<Duration> parseRetryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
