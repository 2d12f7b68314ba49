package io.tributary.platform.processor;

import io.tributary.processors.LogsTopology;
import io.tributary.processors.MetricsTopology;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.serde.SerdeConfig;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.kafka.streams.Topology;

/** The three signal pipelines, each its own Kafka Streams application. */
public enum Pipeline {
  TRACES(TracesTopology.APPLICATION_ID, Topics::traces),
  LOGS(LogsTopology.APPLICATION_ID, Topics::logs),
  METRICS(MetricsTopology.APPLICATION_ID, Topics::metrics);

  private final String applicationId;
  private final Supplier<Topics> topics;

  Pipeline(String applicationId, Supplier<Topics> topics) {
    this.applicationId = applicationId;
    this.topics = topics;
  }

  /** The Kafka Streams application id: its consumer group and the prefix of its internal topics. */
  public String applicationId() {
    return applicationId;
  }

  /** The catalog topics it reads and writes, and its dead-letter topic. */
  public Topics topics() {
    return topics.get();
  }

  /** Its name on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  Topology topology(PipelineConfig config, SerdeConfig serde, PipelineStats stats) {
    return switch (this) {
      case TRACES -> TracesTopology.build(config, topics(), serde, stats);
      case LOGS -> LogsTopology.build(config, topics(), serde, stats);
      case METRICS -> MetricsTopology.build(config, topics(), serde, stats);
    };
  }
}
