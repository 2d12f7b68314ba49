package io.tributary.processors.sampling;

import java.time.Duration;

/** Durations as the YAML file spells them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
final class Durations {

  private Durations() {}

  /** The largest whole unit that renders {@code duration} exactly. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0 && millis != 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
