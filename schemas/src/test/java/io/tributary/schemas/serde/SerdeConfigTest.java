package io.tributary.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerdeConfigTest {

  @Test
  void shouldDefaultToNoRegistry() {
    SerdeConfig config = SerdeConfig.getDefault();

    assertThat(config.hasRegistry()).isFalse();
    assertThat(config.registryUrl()).isEmpty();
    assertThat(config.autoRegisterSchemas()).isEqualTo(SerdeConfig.DEFAULT_AUTO_REGISTER_SCHEMAS);
    assertThat(config.cacheCapacity()).isEqualTo(SerdeConfig.DEFAULT_CACHE_CAPACITY);
    assertThat(config.requestTimeout()).isEqualTo(SerdeConfig.DEFAULT_REQUEST_TIMEOUT);
    assertThat(config.basicAuth()).isNull();
  }

  @Test
  void shouldCheckValuesWhenSet() {
    assertThatThrownBy(() -> SerdeConfig.builder().schemaRegistryUrl("registry:8081"))
        .hasMessage("schemaRegistryUrl: 'registry:8081' (expected: an http(s) URL such as http://registry:8081)");
    assertThatThrownBy(() -> SerdeConfig.builder().cacheCapacity(0))
        .hasMessage("cacheCapacity: 0 (expected: >= 1)");
    assertThatThrownBy(() -> SerdeConfig.builder().requestTimeout(Duration.ZERO))
        .hasMessage("requestTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> SerdeConfig.builder().basicAuth("a:b", "c"))
        .hasMessage("username: 'a:b' (expected: non-empty and without ':')");
  }

  @Test
  void shouldReadKafkaStyleConfigs() {
    SerdeConfig config = SerdeConfig.fromConfigs(Map.of(
        SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:8080/apis/ccompat/v7",
        SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false",
        SerdeConfig.CACHE_CAPACITY_CONFIG, 50,
        SerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, "2500",
        SerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "svc:p:w",
        "unrelated.key", "ignored"));

    assertThat(config).isEqualTo(SerdeConfig.builder()
        .schemaRegistryUrl(URI.create("http://127.0.0.1:8080/apis/ccompat/v7"))
        .autoRegisterSchemas(false)
        .cacheCapacity(50)
        .requestTimeout(Duration.ofMillis(2500))
        .basicAuth("svc", "p:w")
        .build());
  }

  @Test
  void shouldRejectABadBooleanByKey() {
    assertThatThrownBy(() -> SerdeConfig.fromConfigs(Map.of(SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "yes")))
        .hasMessage("auto.register.schemas: 'yes' (expected: true or false)");
  }

  @Test
  void shouldNeverPrintThePassword() {
    SerdeConfig config = SerdeConfig.builder().schemaRegistryUrl("https://registry:8081")
        .basicAuth("svc", "s3cr3t").build();

    assertThat(config.toString()).contains("svc").doesNotContain("s3cr3t");
    assertThatThrownBy(() -> SerdeConfig.fromConfigs(Map.of(SerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "s3cr3t")))
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void shouldRoundTripThroughToBuilder() {
    SerdeConfig config = SerdeConfig.builder().schemaRegistryUrl("http://r:1").cacheCapacity(3).build();

    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(config.toBuilder().noSchemaRegistry().build().hasRegistry()).isFalse();
  }
}
