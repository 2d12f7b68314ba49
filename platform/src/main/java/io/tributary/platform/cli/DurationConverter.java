package io.tributary.platform.cli;

import io.tributary.schemas.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as every Tributary config does ({@link Durations#parse}): {@code 500ms}, {@code 30s},
 * {@code 1m30s}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT1M}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
