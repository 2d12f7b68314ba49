package io.tributary.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

  private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

  @Test
  void shouldDefaultToTheLastHour() {
    Instant[] range = new QueryParams(Map.of()).timeRange(NOW);

    assertThat(range).containsExactly(NOW.minus(Duration.ofHours(1)), NOW);
  }

  @Test
  void shouldTakeALookbackOrAnExplicitRange() {
    assertThat(new QueryParams(Map.of("lookback", "15m")).timeRange(NOW)[0]).isEqualTo(NOW.minusSeconds(900));
    assertThat(new QueryParams(Map.of("from", "1000", "to", "5000")).timeRange(NOW))
        .containsExactly(Instant.ofEpochMilli(1000), Instant.ofEpochMilli(5000));
  }

  @Test
  void shouldNameTheParameterAndTheExpectationOfABadValue() {
    assertThatThrownBy(() -> new QueryParams(Map.of("lookback", "soon")).timeRange(NOW))
        .hasMessage("lookback: soon (expected: a duration such as 15m, 1h, 24h or 7d)");
    assertThatThrownBy(() -> new QueryParams(Map.of("min_cost", "-1")).number("min_cost"))
        .hasMessage("min_cost: -1 (expected: a number >= 0)");
    assertThatThrownBy(() -> new QueryParams(Map.of("limit", "1000")).limit("limit", 20, 100))
        .hasMessage("limit: 1000 (expected: a whole number from 1 to 100)");
    assertThatThrownBy(() -> new QueryParams(Map.of("from", "5000", "to", "1000")).timeRange(NOW))
        .hasMessageStartingWith("from: 5000 (expected: before to");
  }

  @Test
  void shouldTreatBlankAsAbsent() {
    assertThat(new QueryParams(Map.of("service", "  ")).string("service")).isEmpty();
    assertThat(new QueryParams(Map.of("limit", "")).limit("limit", 20, 100)).isEqualTo(20);
  }
}
