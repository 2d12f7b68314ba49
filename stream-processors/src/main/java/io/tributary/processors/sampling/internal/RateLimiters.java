package io.tributary.processors.sampling.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Token buckets of the rate-limit conditions, one per condition and service, shared by every task
 * of one application instance (the supplier creates one set). Each holds one second's worth of
 * tokens and refills continuously by wall-clock time. Services beyond {@link #MAX_SERVICES} per
 * condition share one bucket, so a flood of service names cannot grow the heap.
 */
final class RateLimiters {

  static final int MAX_SERVICES = 10_000;
  static final String OTHER_SERVICES = "(other services)";
  static final String UNKNOWN_SERVICE = "unknown_service";

  private final List<ConcurrentMap<String, TokenBucket>> buckets = new ArrayList<>();

  /** Adds the buckets of one more condition and returns its index (while compiling, before any use). */
  int add() {
    buckets.add(new ConcurrentHashMap<>());
    return buckets.size() - 1;
  }

  /** Takes {@code tokens} from the bucket of {@code service} under condition {@code index}, if it has them. */
  boolean tryAcquire(int index, String service, double perSecond, double tokens, long nowMs) {
    ConcurrentMap<String, TokenBucket> byService = buckets.get(index);
    String key = service == null ? UNKNOWN_SERVICE : service;
    TokenBucket bucket = byService.get(key);
    if (bucket == null) {
      if (byService.size() >= MAX_SERVICES) {
        key = OTHER_SERVICES;
      }
      bucket = byService.computeIfAbsent(key, k -> new TokenBucket(perSecond, nowMs));
    }
    return bucket.tryTake(tokens, nowMs);
  }

  private static final class TokenBucket {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long lastRefillMs;

    TokenBucket(double perSecond, long nowMs) {
      this.perSecond = perSecond;
      this.capacity = Math.max(1, perSecond);
      this.tokens = capacity;
      this.lastRefillMs = nowMs;
    }

    synchronized boolean tryTake(double wanted, long nowMs) {
      if (nowMs > lastRefillMs) {
        tokens = Math.min(capacity, tokens + (nowMs - lastRefillMs) * perSecond / 1000.0);
        lastRefillMs = nowMs;
      }
      if (tokens >= wanted) {
        tokens -= wanted;
        return true;
      }
      return false;
    }
  }
}
