package io.tributary.processors.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.processors.sampling.SamplingCondition.AttributeMatch;
import io.tributary.processors.sampling.SamplingCondition.RateLimit;
import io.tributary.processors.sampling.SamplingCondition.RateUnit;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The typed configuration: defaults, checks when set, and the messages they give. */
class SamplingConfigTest {

  @Test
  void shouldShipTheDefaultsOfTheIssue() {
    SamplingConfig config = SamplingConfig.getDefault();

    assertThat(config.enabled()).isTrue();
    assertThat(config.decisionWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.decisionWaitFrom()).isEqualTo(DecisionWaitFrom.FIRST);
    assertThat(config.decideOnRoot()).isFalse();
    assertThat(config.maxSpansPerTrace()).isEqualTo(10_000);
    assertThat(config.maxBytesPerTrace()).isEqualTo(8L << 20);
    assertThat(config.dropRules()).isEmpty();
    assertThat(config.policies()).containsExactly(
        SamplingPolicy.of("errors", SamplingCondition.hasError()),
        SamplingPolicy.of("slow", SamplingCondition.latencyAtLeast(Duration.ofSeconds(5))),
        SamplingPolicy.of("llm-cost", SamplingCondition.costAtLeast(1)),
        SamplingPolicy.of("probabilistic", SamplingCondition.probabilistic(10)));
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  void shouldCheckEachValueWhenSet() {
    SamplingConfig.Builder builder = SamplingConfig.builder();

    assertThatThrownBy(() -> builder.decisionWait(Duration.ZERO)).hasMessage(
        "decision-wait: 0s (expected: a duration > 0, such as 500ms, 10s or 5m)");
    assertThatThrownBy(() -> builder.rootGrace(Duration.ofMillis(-1500))).hasMessage(
        "root-grace: -1500ms (expected: a duration >= 0, such as 0s, 500ms or 2s)");
    assertThatThrownBy(() -> builder.maxSpansPerTrace(0)).hasMessage("max-spans-per-trace: 0 (expected: an integer >= 1)");
    assertThatThrownBy(() -> builder.costAttribute("")).hasMessageStartingWith("cost-attribute: '' (expected:");
    assertThatThrownBy(() -> new SamplingCondition.Latency(Duration.ofMinutes(-2), SamplingCondition.LatencyScope.TRACE))
        .hasMessage("threshold: -2m (expected: a duration > 0, such as 500ms, 5s or 1m)");
    assertThatThrownBy(() -> SamplingCondition.probabilistic(100.5))
        .hasMessage("percentage: 100.5 (expected: a number from 0 to 100)");
    assertThatThrownBy(() -> new RateLimit(Double.NaN, RateUnit.SPANS)).hasMessage("per-second: NaN (expected: a number > 0)");
    assertThatThrownBy(() -> new AttributeMatch.Values(Set.of())).hasMessage("values: [] (expected: a non-empty list of strings)");
    assertThatThrownBy(() -> new SamplingCondition.Or(List.of())).hasMessage("or: [] (expected: a non-empty list of conditions)");
    assertThatThrownBy(() -> SamplingPolicy.of("", SamplingCondition.always())).hasMessageStartingWith("name: '' (expected:");
  }

  @Test
  void shouldRejectANameUsedTwice() {
    SamplingConfig.Builder builder = SamplingConfig.builder()
        .addDropRule(SamplingPolicy.of("slow", SamplingCondition.always()));

    assertThatThrownBy(builder::build).hasMessage(
        "policies[1].name: 'slow' (expected: a name used by no other policy or drop rule; drop[0] has it)");
  }
}
