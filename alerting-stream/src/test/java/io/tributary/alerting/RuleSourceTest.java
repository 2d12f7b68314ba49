package io.tributary.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.Signal;
import org.junit.jupiter.api.Test;

class RuleSourceTest {

  @Test
  void shouldReadTheProcessedRecordsOfASignalWithAPipeline() {
    assertThat(RuleSource.SPANS.signal()).isEqualTo(Signal.TRACES);
    assertThat(RuleSource.LOGS.signal()).isEqualTo(Signal.LOGS);
    assertThat(RuleSource.METRICS.signal()).isEqualTo(Signal.METRICS);
    for (RuleSource source : RuleSource.values()) {
      assertThat(source.configName()).isEqualTo(source.signal().recordsName());
      assertThat(AlertingTopics.defaults().input(source)).isEqualTo(source.signal().processedTopic().name());
    }
    assertThat(AlertingTopics.defaults().alerts()).isEqualTo(Signal.ALERTS.processedTopic().name());
  }

  @Test
  void shouldNameTheSourcesAsRuleFilesDo() {
    assertThat(RuleSource.allowedValues()).isEqualTo("spans, logs, metrics");
    assertThat(RuleSource.forValue(" Spans ")).isEqualTo(RuleSource.SPANS);
    assertThat(RuleSource.forValue("traces")).isNull();
    assertThat(RuleSource.forValue("alerts")).isNull();
  }
}
