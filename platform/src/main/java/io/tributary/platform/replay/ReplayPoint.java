package io.tributary.platform.replay;

import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.DurationConverter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where a replay starts: the earliest offset, or the first record at or after an instant (given as
 * an ISO-8601 instant, epoch milliseconds, or a duration meaning that long ago).
 */
public record ReplayPoint(Optional<Instant> from) {

  public static final ReplayPoint EARLIEST = new ReplayPoint(Optional.empty());

  public static ReplayPoint at(Instant instant) {
    return new ReplayPoint(Optional.of(instant));
  }

  public boolean isEarliest() {
    return from.isEmpty();
  }

  /** Parses {@code --to}: {@code earliest}, {@code 2026-11-21T10:00:00Z}, {@code 1763719200000} or {@code 2h}. */
  public static ReplayPoint parse(String value, Clock clock) {
    String v = value == null ? "" : value.trim();
    if (v.equalsIgnoreCase("earliest")) {
      return EARLIEST;
    }
    if (v.matches("\\d{10,}")) {
      return at(Instant.ofEpochMilli(Long.parseLong(v)));
    }
    try {
      return at(Instant.parse(v));
    } catch (DateTimeParseException notAnInstant) {
      try {
        Duration ago = new DurationConverter().convert(v);
        return at(clock.instant().minus(ago));
      } catch (Exception notADuration) {
        throw ConfigException.invalid("--to", "'" + value + "'",
            "earliest, an ISO-8601 instant (2026-11-21T10:00:00Z), epoch milliseconds, or a duration ago (2h, 30m)");
      }
    }
  }

  @Override
  public String toString() {
    return from.map(Instant::toString).orElse("earliest");
  }
}
