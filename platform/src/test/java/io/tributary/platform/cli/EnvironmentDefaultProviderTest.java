package io.tributary.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvironmentDefaultProviderTest {

  @Test
  void shouldNameTheVariableAfterTheLongOption() {
    assertThat(EnvironmentDefaultProvider.variableName("--bootstrap-server")).isEqualTo("TRIBUTARY_BOOTSTRAP_SERVER");
    assertThat(EnvironmentDefaultProvider.variableName("--api-keys-file")).isEqualTo("TRIBUTARY_API_KEYS_FILE");
    assertThat(EnvironmentDefaultProvider.variableName("--grpc-port")).isEqualTo("TRIBUTARY_GRPC_PORT");
  }
}
