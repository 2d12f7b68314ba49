package io.tributary.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.Signal;
import io.tributary.schemas.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  private static GatewayConfig.Builder minimal() {
    return GatewayConfig.builder().bootstrapServers("127.0.0.1:9092");
  }

  @Test
  void shouldDefaultToTheOtlpPortsAndTheCatalogTopics() {
    GatewayConfig config = minimal().build();

    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.grpcPort()).isEqualTo(4317);
    assertThat(config.httpPort()).isEqualTo(4318);
    assertThat(config.spansTopic()).isEqualTo(TopicCatalog.OTLP_SPANS.name());
    assertThat(config.logsTopic()).isEqualTo(TopicCatalog.OTLP_LOGS.name());
    assertThat(config.metricsTopic()).isEqualTo(TopicCatalog.OTLP_METRICS.name());
    assertThat(config.maxRequestBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(config.authenticationEnabled()).isFalse();
    assertThat(config.tlsCertificateChain()).isEmpty();
  }

  @Test
  void shouldGiveEachReceivedSignalItsConfiguredTopic() {
    GatewayConfig config = minimal().spansTopic("s").logsTopic("l").metricsTopic("m").build();

    assertThat(config.rawTopic(Signal.TRACES)).isEqualTo("s");
    assertThat(config.rawTopic(Signal.LOGS)).isEqualTo("l");
    assertThat(config.rawTopic(Signal.METRICS)).isEqualTo("m");
    assertThat(minimal().build().rawTopic(Signal.TRACES)).isEqualTo(TopicCatalog.OTLP_SPANS.name());
    assertThatThrownBy(() -> config.rawTopic(Signal.ALERTS)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signal: ALERTS (expected: one of [TRACES, LOGS, METRICS], the signals the gateway receives)");
  }

  @Test
  void shouldCheckEverySettingWhenSet() {
    GatewayConfig.Builder b = GatewayConfig.builder();
    assertThatThrownBy(() -> b.grpcPort(70000)).hasMessage("grpcPort: 70000 (expected: 0-65535, 0 for any free port)");
    assertThatThrownBy(() -> b.httpPort(-1)).hasMessageStartingWith("httpPort: -1");
    assertThatThrownBy(() -> b.bootstrapServers(" ")).hasMessageStartingWith("bootstrapServers: ' '");
    assertThatThrownBy(() -> b.maxRequestBytes(10)).hasMessage("maxRequestBytes: 10 (expected: 1024-1073741824)");
    assertThatThrownBy(() -> b.maxInFlightBytes(0)).hasMessage("maxInFlightBytes: 0 (expected: >= 1)");
    assertThatThrownBy(() -> b.retryAfter(Duration.ZERO)).hasMessage("retryAfter: PT0S (expected: > 0)");
    assertThatThrownBy(() -> b.kafkaDeliveryTimeout(Duration.ofMillis(10)))
        .hasMessage("kafkaDeliveryTimeout: PT0.01S (expected: PT1S-P1D)");
    assertThatThrownBy(() -> b.shutdown(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageStartingWith("shutdown quietPeriod: PT0S (expected: > 0");
    assertThatThrownBy(() -> b.shutdown(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("shutdown timeout: PT1S (expected: >= quietPeriod PT2S)");
    assertThatThrownBy(() -> b.apiKeys(Map.of("key", "not a tenant"))).hasMessageStartingWith("tenant: 'not a tenant'");
    assertThatThrownBy(() -> b.producerOverride("bootstrap.servers", "x"))
        .hasMessage("producer setting bootstrap.servers (expected: set it through bootstrapServers)");
    assertThatThrownBy(() -> b.producerOverride("delivery.timeout.ms", "1"))
        .hasMessageContaining("kafkaDeliveryTimeout");
  }

  @Test
  void shouldCheckTheRulesBetweenSettingsWhenBuilt() {
    assertThatThrownBy(() -> GatewayConfig.builder().build()).hasMessageStartingWith("bootstrapServers is required");
    assertThatThrownBy(() -> minimal().grpcPort(5000).httpPort(5000).build())
        .hasMessage("grpcPort and httpPort are both 5000 (expected: two ports)");
    assertThat(minimal().grpcPort(0).httpPort(0).build().grpcPort()).isZero();
  }

  @Test
  void shouldRoundTripThroughToBuilder() {
    GatewayConfig config = minimal().grpcPort(14317).spansTopic("s").maxInFlightBytes(1234)
        .apiKeys(Map.of("k1", "t1")).producerOverride("compression.type", "zstd")
        .tls(Path.of("/certs/chain.pem"), Path.of("/certs/key.pem")).build();

    GatewayConfig copy = config.toBuilder().build();

    assertThat(copy.toString()).isEqualTo(config.toString());
    assertThat(copy.apiKeys()).isEqualTo(Map.of("k1", "t1"));
    assertThat(copy.producerOverrides()).isEqualTo(Map.of("compression.type", "zstd"));
    assertThat(copy.tlsPrivateKey()).contains(Path.of("/certs/key.pem"));
  }

  @Test
  void shouldKeepKeysAndSecretsOutOfToString() {
    String text = minimal().apiKeys(Map.of("super-secret-key", "t1"))
        .producerOverride("sasl.jaas.config", "password=hunter2").build().toString();

    assertThat(text).doesNotContain("super-secret-key").doesNotContain("hunter2").contains("1 keys")
        .contains("sasl.jaas.config=***");
  }
}
