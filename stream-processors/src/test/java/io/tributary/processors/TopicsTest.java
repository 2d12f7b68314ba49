package io.tributary.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.Signal;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldTakeEachPipelinesTopicsFromItsSignal() {
    assertThat(Topics.traces())
        .isEqualTo(new Topics("otlp_spans", "telemetry.spans", "tributary.dlq.traces", "telemetry.otlp.spans"));
    assertThat(Topics.logs())
        .isEqualTo(new Topics("otlp_logs", "telemetry.logs", "tributary.dlq.logs", "telemetry.otlp.logs"));
    assertThat(Topics.metrics()).isEqualTo(
        new Topics("otlp_metrics", "telemetry.metrics", "tributary.dlq.metrics", "telemetry.otlp.metrics"));
  }

  @Test
  void shouldRefuseASignalWithoutAPipeline() {
    assertThatThrownBy(() -> Topics.of(Signal.ALERTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signal: ALERTS (expected: one with a pipeline, [TRACES, LOGS, METRICS])");
  }
}
