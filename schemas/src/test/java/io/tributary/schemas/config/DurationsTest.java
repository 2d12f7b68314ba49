package io.tributary.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void shouldReadEveryFormTheCommandLineAndThePipelineFileTook() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2H")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse(" 10 s ")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("pt1m")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void shouldReadCompoundDurationsEverywhere() {
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("1h 30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("1w")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parsePrometheus("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parsePrometheus("1s500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parsePrometheus("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void shouldKeepPrometheusSpellingStrictInRuleFiles() {
    for (String lenientOnly : new String[] {"5 m", "5M", "PT1M", " 5m"}) {
      assertThatThrownBy(() -> Durations.parsePrometheus(lenientOnly)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + lenientOnly + "' is not a duration (expected: " + Durations.PROMETHEUS_EXPECTED + ")");
    }
  }

  @Test
  void shouldRefuseBareNumbersAndNonsense() {
    for (String bad : new String[] {"5", "-5m", "a minute", "", "5y", "m"}) {
      assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + bad + "' is not a duration (expected: " + Durations.EXPECTED + ")");
    }
    assertThatThrownBy(() -> Durations.parse(null)).hasMessageStartingWith("nothing is not a duration");
  }

  @Test
  void shouldSayWhenADurationIsTooLarge() {
    assertThatThrownBy(() -> Durations.parse("99999999999999999999d"))
        .hasMessageStartingWith("'99999999999999999999d' is too large (expected: ");
    assertThatThrownBy(() -> Durations.parsePrometheus("999999999999999w")).hasMessageContaining("too large");
  }

  @Test
  void shouldFormatInWholeUnits() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(Durations.format(Duration.ofDays(8))).isEqualTo("8d");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMinutes(-1))).isEqualTo("PT-1M");
  }

  @Property
  void shouldReadBackWhatItFormats(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 1_000) long millis) {
    Duration duration = Duration.ofMillis(millis);
    String text = Durations.format(duration);
    assertThat(Durations.parse(text)).isEqualTo(duration);
    assertThat(Durations.parsePrometheus(text)).isEqualTo(duration);
    assertThat(Durations.parse(text.toUpperCase())).isEqualTo(duration);
  }

  @Property
  void shouldReadBackAnyDuration(@ForAll long seconds, @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
    Duration duration = Duration.ofSeconds(seconds / 1_000, nanos);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }
}
