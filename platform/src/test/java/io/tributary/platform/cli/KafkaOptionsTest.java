package io.tributary.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

  @Test
  void shouldAcceptHostPortLists() {
    assertThat(KafkaOptions.checkBootstrapServers(" kafka-0:9092, kafka-1.kafka:9093 "))
        .isEqualTo("kafka-0:9092, kafka-1.kafka:9093");
    assertThat(KafkaOptions.checkBootstrapServers("[::1]:9092")).isEqualTo("[::1]:9092");
  }

  @Test
  void shouldRejectEntriesWithoutAValidPort() {
    for (String invalid : new String[] {"", "kafka", "kafka:", ":9092", "kafka:0", "kafka:99999", "kafka:x", "a:1,,b:2"}) {
      assertThatThrownBy(() -> KafkaOptions.checkBootstrapServers(invalid)).as(invalid)
          .isInstanceOf(ConfigException.class).hasMessageStartingWith("--bootstrap-server: '" + invalid + "'");
    }
  }
}
