package io.tributary.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.processors.BoundedRocksDbMemory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocksDB settings of every role on real stores (TopologyTestDriver opens them as an application
 * does): every store reports the one shared block cache of the budget, whatever the number of stores.
 */
class StreamsPropertiesTest {

  private static final long BUDGET = 64L * 1024 * 1024;

  @TempDir Path stateDir;

  @Test
  void shouldGiveEveryStoreTheOneSharedCacheOfTheBudget() {
    StreamsBuilder builder = new StreamsBuilder();
    for (String topic : List.of("a", "b")) {
      builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("store-" + topic));
    }
    Properties props = StreamsProperties.of("bounded-test", "unused:9092", stateDir, 1, 0, false,
        Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, Long.toString(BUDGET),
            StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "INFO"));

    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      driver.createInputTopic("a", new StringSerializer(), new StringSerializer()).pipeInput("k", "v");
      driver.createInputTopic("b", new StringSerializer(), new StringSerializer()).pipeInput("k", "v");

      List<Object> capacities = driver.metrics().entrySet().stream()
          .filter(e -> e.getKey().name().equals("block-cache-capacity"))
          .map(Map.Entry<MetricName, ? extends Metric>::getValue).map(Metric::metricValue).toList();
      assertThat(capacities).as("one value per store").hasSize(2)
          .allSatisfy(capacity -> assertThat(((Number) capacity).longValue()).isEqualTo(BoundedRocksDbMemory.budget()));
      assertThat(BoundedRocksDbMemory.budget()).as("set by the first store of the process").isPositive();
    }
  }

  @Test
  void shouldRefuseABudgetTooSmallOrNotANumber() {
    assertThatThrownBy(() -> BoundedRocksDbMemory.memoryBytes("1024"))
        .hasMessage(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG + ": 1024 (expected: at least 16 MiB)");
    assertThatThrownBy(() -> BoundedRocksDbMemory.memoryBytes("lots"))
        .hasMessageContaining("'lots' (expected: a number of bytes)");
    assertThat(BoundedRocksDbMemory.memoryBytes(null)).isEqualTo(BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES);
  }
}
