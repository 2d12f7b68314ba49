package io.tributary.alerting;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the alerting topology evaluates, whatever the rules say.
 *
 * @param grace how long after a window's end records of that window are still counted; the window is
 *     evaluated then. Later records are dropped and counted ({@link AlertingStats#lateRecordsDropped()}).
 *     Windows are on record timestamps, which the pipelines keep from the gateway (time of receipt),
 *     so lateness is the jitter between partitions and pipeline stages, not the age of the data
 * @param idleTimeout when a task's stream time has not moved for this long (wall clock), its
 *     evaluation clock moves on with the wall clock, so alerts resolve even when every input stops;
 *     {@link Duration#ZERO} turns this off (evaluation then follows stream time only)
 * @param checkInterval how often (stream time, and wall clock for {@code idleTimeout}) due windows
 *     are looked for; a window is evaluated at most this much after it became due
 * @param partitions partitions of the repartition topic that spreads rule groups over instances; 0
 *     takes the input topics' count
 */
public record AlertingConfig(Duration grace, Duration idleTimeout, Duration checkInterval, int partitions) {

  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_PARTITIONS = 0;

  private static final AlertingConfig DEFAULT = builder().build();

  public AlertingConfig {
    requireNonNull(grace, "grace");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(checkInterval, "checkInterval");
    check(!grace.isNegative(), "grace: %s (expected: >= 0)", grace);
    check(!idleTimeout.isNegative(), "idleTimeout: %s (expected: >= 0; 0 turns it off)", idleTimeout);
    check(checkInterval.toMillis() > 0, "checkInterval: %s (expected: >= 1ms)", checkInterval);
    check(partitions >= 0, "partitions: %s (expected: >= 0; 0 takes the input topics' count)", partitions);
  }

  public static AlertingConfig getDefault() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().grace(grace).idleTimeout(idleTimeout).checkInterval(checkInterval).partitions(partitions);
  }

  private static void check(boolean ok, String format, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, value));
    }
  }

  /** Builds an {@link AlertingConfig}; each value is checked when set. */
  public static final class Builder {
    private Duration grace = DEFAULT_GRACE;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
    private int partitions = DEFAULT_PARTITIONS;

    Builder() {}

    public Builder grace(Duration grace) {
      requireNonNull(grace, "grace");
      check(!grace.isNegative(), "grace: %s (expected: >= 0)", grace);
      this.grace = grace;
      return this;
    }

    public Builder idleTimeout(Duration idleTimeout) {
      requireNonNull(idleTimeout, "idleTimeout");
      check(!idleTimeout.isNegative(), "idleTimeout: %s (expected: >= 0; 0 turns it off)", idleTimeout);
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder checkInterval(Duration checkInterval) {
      requireNonNull(checkInterval, "checkInterval");
      check(checkInterval.toMillis() > 0, "checkInterval: %s (expected: >= 1ms)", checkInterval);
      this.checkInterval = checkInterval;
      return this;
    }

    public Builder partitions(int partitions) {
      check(partitions >= 0, "partitions: %s (expected: >= 0; 0 takes the input topics' count)", partitions);
      this.partitions = partitions;
      return this;
    }

    public AlertingConfig build() {
      return new AlertingConfig(grace, idleTimeout, checkInterval, partitions);
    }
  }
}
