package io.tributary.sinks.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.sinks.internal.batching.HttpSinkOptions;
import java.net.URI;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class OtlpSinkConnectorConfigTest {

  @Test
  void shouldPostToTheTracesPathOfTheEndpoint() {
    assertThat(new OtlpSinkConnectorConfig(Map.of("otlp.endpoint", "http://tempo:4318")).tracesUrl())
        .isEqualTo(URI.create("http://tempo:4318/v1/traces"));
    assertThat(new OtlpSinkConnectorConfig(Map.of("otlp.endpoint", "http://collector/otlp/")).tracesUrl())
        .isEqualTo(URI.create("http://collector/otlp/v1/traces"));
    assertThat(new OtlpSinkConnectorConfig(Map.of("otlp.endpoint", "https://x/custom/v1/traces")).tracesUrl())
        .isEqualTo(URI.create("https://x/custom/v1/traces"));
  }

  @Test
  void shouldBuildHeadersFromTheAuthenticationAndExtraHeaderOptions() {
    HttpSinkOptions.Settings settings = new OtlpSinkConnectorConfig(Map.of("otlp.endpoint", "http://tempo:4318",
        "auth.type", "BASIC", "auth.basic.username", "ana", "auth.basic.password", "secret",
        "http.headers", "X-Team=payments,X-Env=prod")).httpSettings();
    assertThat(settings.headers()).containsEntry("Authorization", "Basic YW5hOnNlY3JldA==")
        .containsEntry("X-Team", "payments").containsEntry("X-Env", "prod");
    assertThat(settings.toString()).doesNotContain("secret").doesNotContain("YW5h");
    assertThat(settings.tenantHeaders("acme")).containsExactly(Map.entry("X-Scope-OrgID", "acme"));
    assertThat(new OtlpSinkConnectorConfig(Map.of("otlp.endpoint", "http://t", "tenant.header", ""))
        .httpSettings().tenantHeaders("acme")).isEmpty();
  }

  @Test
  void shouldRefuseInconsistentOptionsWithTheReason() {
    assertThatThrownBy(() -> new OtlpSinkConnectorConfig(Map.of("otlp.endpoint", "http://t", "auth.type", "bearer")))
        .isInstanceOf(ConfigException.class).hasMessage(HttpSinkOptions.BEARER_AUTH_ERROR);
    assertThatThrownBy(() -> new OtlpSinkConnectorConfig(Map.of("otlp.endpoint", "http://t", "batch.size", "10",
        "buffer.max.size", "5"))).hasMessage(HttpSinkOptions.BUFFER_TOO_SMALL_ERROR);
    assertThatThrownBy(() -> new OtlpSinkConnectorConfig(Map.of("otlp.endpoint", "tempo:4318")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("otlp.endpoint");
  }

  @Test
  void shouldReportEveryProblemThroughValidate() {
    Config result = new OtlpSinkConnector().validate(Map.of("otlp.endpoint", "http://t", "auth.type", "basic",
        "otlp.compression", "brotli", "http.headers", "bad header=x", "tenant.header", "X Bad"));
    assertThat(result.configValues()).filteredOn(v -> !v.errorMessages().isEmpty()).extracting(ConfigValue::name)
        .containsExactlyInAnyOrder("auth.type", "otlp.compression", "http.headers", "tenant.header");
  }
}
