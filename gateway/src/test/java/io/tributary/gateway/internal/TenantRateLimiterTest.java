package io.tributary.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.gateway.ApiKeys;
import io.tributary.gateway.TenantLimit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per tenant, on a clock the test moves. */
class TenantRateLimiterTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

  private TenantRateLimiter limiter(Map<String, TenantLimit> limits) {
    return new TenantRateLimiter(limits, clock::get);
  }

  private void advance(Duration duration) {
    clock.addAndGet(duration.toNanos());
  }

  @Test
  void shouldLetABurstOfOneSecondThroughThenRefillAtTheRate() {
    TenantRateLimiter limiter = limiter(Map.of("a", TenantLimit.items(100)));

    assertThat(limiter.tryAcquire("a", 60, 1)).isNull();
    assertThat(limiter.tryAcquire("a", 40, 1)).isNull();
    TenantRateLimiter.Refusal refusal = limiter.tryAcquire("a", 10, 1);

    assertThat(refusal).isEqualTo(new TenantRateLimiter.Refusal("items", 100, Duration.ofSeconds(1)));
    advance(Duration.ofMillis(99));
    assertThat(limiter.tryAcquire("a", 10, 1)).as("9.9 tokens back").isNotNull();
    advance(Duration.ofMillis(1));
    assertThat(limiter.tryAcquire("a", 10, 1)).as("10 tokens back after 100 ms").isNull();
    assertThat(limiter.tryAcquire("a", 1, 1)).isNotNull();
  }

  @Test
  void shouldNeverHoldMoreThanOneSecondOfTokens() {
    TenantRateLimiter limiter = limiter(Map.of("a", TenantLimit.items(100)));

    advance(Duration.ofHours(1));

    assertThat(limiter.tryAcquire("a", 100, 0)).isNull();
    assertThat(limiter.tryAcquire("a", 1, 0)).isNotNull();
  }

  @Test
  void shouldAdmitARequestLargerThanTheBucketWhenFullAndMakeTheTenantWaitForTheDebt() {
    TenantRateLimiter limiter = limiter(Map.of("a", TenantLimit.items(10)));

    assertThat(limiter.tryAcquire("a", 50, 0)).as("a full bucket takes any request").isNull();
    TenantRateLimiter.Refusal refusal = limiter.tryAcquire("a", 50, 0);

    // 40 items of debt plus a full bucket of 10 to admit the next large request: 5 s at 10 items/s.
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    advance(Duration.ofMillis(4_900));
    assertThat(limiter.tryAcquire("a", 50, 0)).isNotNull();
    advance(Duration.ofMillis(100));
    assertThat(limiter.tryAcquire("a", 50, 0)).isNull();
  }

  @Test
  void shouldLimitBytesAndItemsTogetherAndTakeNothingFromARefusedRequest() {
    TenantRateLimiter limiter = limiter(Map.of("a", new TenantLimit(100, 1_000)));

    assertThat(limiter.tryAcquire("a", 10, 900)).isNull();
    TenantRateLimiter.Refusal refusal = limiter.tryAcquire("a", 10, 200);

    assertThat(refusal.limit()).isEqualTo("bytes");
    assertThat(refusal.ratePerSecond()).isEqualTo(1_000);
    // The refused request took no items: 90 are still there.
    assertThat(limiter.tryAcquire("a", 90, 100)).isNull();
    assertThat(limiter.tryAcquire("a", 1, 0).limit()).isEqualTo("items");
  }

  @Test
  void shouldKeepTenantsApartAndGiveEveryTenantItsOwnBucketsUnderTheDefault() {
    TenantRateLimiter limiter = limiter(Map.of("a", TenantLimit.items(10), ApiKeys.ANY_TENANT, TenantLimit.items(5)));

    assertThat(limiter.tryAcquire("a", 10, 0)).isNull();
    assertThat(limiter.tryAcquire("a", 1, 0)).isNotNull();
    assertThat(limiter.tryAcquire("b", 5, 0)).as("a's flood leaves b alone").isNull();
    assertThat(limiter.tryAcquire("c", 5, 0)).as("the default is per tenant, not shared").isNull();
    assertThat(limiter.tryAcquire("b", 1, 0)).isNotNull();
  }

  @Test
  void shouldNotLimitTenantsWithoutALimit() {
    TenantRateLimiter limiter = limiter(Map.of("a", TenantLimit.items(1)));

    for (int i = 0; i < 1_000; i++) {
      assertThat(limiter.tryAcquire("b", 1_000_000, 1L << 40)).isNull();
    }
  }

  @Test
  void shouldApplyNewLimitsAndKeepTheFillOfTenantsWhoseLimitIsUnchanged() {
    TenantRateLimiter limiter = limiter(Map.of("a", TenantLimit.items(10), "b", TenantLimit.items(10)));
    assertThat(limiter.tryAcquire("a", 10, 0)).isNull();
    assertThat(limiter.tryAcquire("b", 10, 0)).isNull();

    limiter.limits(Map.of("a", TenantLimit.items(10), "b", TenantLimit.items(1_000)));

    assertThat(limiter.tryAcquire("a", 1, 0)).as("a's limit did not change, nor its empty bucket").isNotNull();
    assertThat(limiter.tryAcquire("b", 1_000, 0)).as("b's new limit, in a new full bucket").isNull();
    limiter.limits(Map.of());
    assertThat(limiter.tryAcquire("a", 1_000, 0)).as("limits removed").isNull();
  }
}
