package io.tributary.gateway.internal;

import io.tributary.gateway.ApiKeys;
import io.tributary.gateway.TenantLimit;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Per-tenant token buckets for items and bytes per second, so one tenant flooding the gateway gets 429
 * while the others go on as before. Every tenant has buckets of its own, also those limited by the
 * {@link ApiKeys#ANY_TENANT} line. Buckets live per gateway instance.
 */
final class TenantRateLimiter {

  /** Why a request was refused: the limit it hit ("items" or "bytes") and when to retry. */
  record Refusal(String limit, long ratePerSecond, Duration retryAfter) {}

  static final String ITEMS = "items";
  static final String BYTES = "bytes";

  private final LongSupplier nanoClock;
  private final ConcurrentMap<String, Buckets> buckets = new ConcurrentHashMap<>();
  private volatile Map<String, TenantLimit> limits;

  TenantRateLimiter(Map<String, TenantLimit> limits, LongSupplier nanoClock) {
    this.limits = Map.copyOf(limits);
    this.nanoClock = nanoClock;
  }

  /** New limits (the API keys file changed); buckets of tenants whose limit is unchanged keep their fill. */
  void limits(Map<String, TenantLimit> newLimits) {
    this.limits = Map.copyOf(newLimits);
    buckets.entrySet().removeIf(e -> !e.getValue().limit.equals(limitOf(e.getKey())));
  }

  boolean isEmpty() {
    return limits.isEmpty();
  }

  TenantLimit limitOf(String tenant) {
    Map<String, TenantLimit> current = limits;
    TenantLimit own = current.get(tenant);
    if (own != null) {
      return own;
    }
    return Objects.requireNonNullElse(current.get(ApiKeys.ANY_TENANT), TenantLimit.UNLIMITED);
  }

  /** Takes {@code items} and {@code bytes} from {@code tenant}'s buckets, or says why not (taking nothing). */
  Refusal tryAcquire(String tenant, long items, long bytes) {
    TenantLimit limit = limitOf(tenant);
    if (limit.isUnlimited()) {
      return null;
    }
    Buckets tenantBuckets = buckets.compute(tenant,
        (t, existing) -> existing != null && existing.limit.equals(limit) ? existing : new Buckets(limit, nanoClock.getAsLong()));
    return tenantBuckets.tryAcquire(items, bytes, nanoClock.getAsLong());
  }

  private static final class Buckets {
    final TenantLimit limit;
    private final TokenBucket items;
    private final TokenBucket bytes;

    Buckets(TenantLimit limit, long nowNanos) {
      this.limit = limit;
      this.items = limit.itemsPerSecond() == Long.MAX_VALUE ? null : new TokenBucket(limit.itemsPerSecond(), nowNanos);
      this.bytes = limit.bytesPerSecond() == Long.MAX_VALUE ? null : new TokenBucket(limit.bytesPerSecond(), nowNanos);
    }

    synchronized Refusal tryAcquire(long itemCost, long byteCost, long nowNanos) {
      long itemsWait = items == null ? 0 : items.nanosUntilAvailable(itemCost, nowNanos);
      long bytesWait = bytes == null ? 0 : bytes.nanosUntilAvailable(byteCost, nowNanos);
      if (itemsWait > 0 || bytesWait > 0) {
        boolean itemsLonger = itemsWait >= bytesWait;
        // Whole seconds, rounded up: what Retry-After can say, and gRPC's RetryInfo says the same.
        long seconds = Math.max(1, (Math.max(itemsWait, bytesWait) + 999_999_999L) / 1_000_000_000L);
        return new Refusal(itemsLonger ? ITEMS : BYTES,
            itemsLonger ? items.ratePerSecond() : bytes.ratePerSecond(), Duration.ofSeconds(seconds));
      }
      if (items != null) {
        items.take(itemCost);
      }
      if (bytes != null) {
        bytes.take(byteCost);
      }
      return null;
    }
  }
}
