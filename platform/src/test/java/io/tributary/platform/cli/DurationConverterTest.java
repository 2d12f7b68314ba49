package io.tributary.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.config.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter();

  @Test
  void shouldReadShortAndIsoDurations() {
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(converter.convert("2H")).isEqualTo(Duration.ofHours(2));
    assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void shouldSayWhatADurationLooksLike() {
    assertThatThrownBy(() -> converter.convert("a minute")).isInstanceOf(TypeConversionException.class)
        .hasMessage("'a minute' is not a duration (expected: " + Durations.EXPECTED + ")");
  }
}
