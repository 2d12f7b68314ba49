package io.tributary.sinks.elasticsearch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.Signal;
import org.junit.jupiter.api.Test;

class DataStreamNamesTest {

  @Test
  void shouldNameDataStreamsPerSignalAndTenant() {
    DataStreamNames names = new DataStreamNames("tributary", "{tenant}");

    assertThat(names.dataStream(Signal.TRACES, "acme")).isEqualTo("traces-tributary-acme");
    assertThat(names.dataStream(Signal.LOGS, "acme")).isEqualTo("logs-tributary-acme");
    assertThat(names.dataStream(Signal.METRICS, "acme")).isEqualTo("metrics-tributary-acme");
    assertThat(names.dataStream(Signal.ALERTS, "acme")).isEqualTo("logs-tributary.alerts-acme");
    assertThat(names.pattern(Signal.ALERTS)).isEqualTo("logs-tributary.alerts-*");
    assertThat(names.namespacePerTenant()).isTrue();
  }

  @Test
  void shouldMakeAnyTenantAValidNamespace() {
    DataStreamNames names = new DataStreamNames("tributary", "prod_{tenant}");

    assertThat(names.dataStream(Signal.TRACES, "Acme-EU/1 *")).isEqualTo("traces-tributary-prod_acme_eu_1__");
    assertThat(names.dataStream(Signal.TRACES, "")).isEqualTo("traces-tributary-prod_default");
    assertThat(names.dataStream(Signal.TRACES, "x".repeat(300))).hasSize("traces-tributary-".length() + 100);
  }

  @Test
  void shouldPutAllTenantsTogetherWithAFixedNamespace() {
    DataStreamNames names = new DataStreamNames("tributary", "default");

    assertThat(names.dataStream(Signal.TRACES, "acme")).isEqualTo("traces-tributary-default");
    assertThat(names.namespacePerTenant()).isFalse();
  }

  @Test
  void shouldExplainInvalidDatasetsAndNamespaces() {
    assertThat(DataStreamNames.datasetProblem("tributary.prod")).isNull();
    assertThat(DataStreamNames.datasetProblem("Tributary")).contains("a-z 0-9 _ .");
    assertThat(DataStreamNames.datasetProblem("my-data")).contains("no '-'");
    assertThat(DataStreamNames.namespaceTemplateProblem("{tenant}")).isNull();
    assertThat(DataStreamNames.namespaceTemplateProblem("a-{tenant}")).contains("no '-'");
    assertThat(DataStreamNames.namespaceTemplateProblem("")).contains("expected a namespace");
  }
}
