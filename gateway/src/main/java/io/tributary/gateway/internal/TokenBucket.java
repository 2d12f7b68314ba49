package io.tributary.gateway.internal;

/**
 * A token bucket holding at most one second of its rate, refilled continuously from the clock the
 * caller passes in. A cost larger than the bucket is let through once the bucket is full and leaves it
 * in debt, so requests of any size pass at the configured average rate instead of never. Not
 * thread-safe: its owner synchronizes.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final long ratePerSecond;
  private final double capacity;
  private double tokens;
  private long lastRefillNanos;

  TokenBucket(long ratePerSecond, long nowNanos) {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("ratePerSecond: " + ratePerSecond + " (expected: >= 1)");
    }
    this.ratePerSecond = ratePerSecond;
    this.capacity = ratePerSecond;
    this.tokens = capacity;
    this.lastRefillNanos = nowNanos;
  }

  long ratePerSecond() {
    return ratePerSecond;
  }

  /** 0 when {@code cost} can be taken at {@code nowNanos}, else how many nanoseconds until it can. */
  long nanosUntilAvailable(long cost, long nowNanos) {
    refill(nowNanos);
    double needed = Math.min(cost, capacity);
    if (tokens >= needed) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil((needed - tokens) * NANOS_PER_SECOND / ratePerSecond));
  }

  /** Takes {@code cost} tokens, possibly into debt; call after {@link #nanosUntilAvailable} said 0. */
  void take(long cost) {
    tokens -= cost;
  }

  double tokens(long nowNanos) {
    refill(nowNanos);
    return tokens;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastRefillNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * (ratePerSecond / NANOS_PER_SECOND));
      lastRefillNanos = nowNanos;
    }
  }
}
