package io.tributary.platform.processor;

import io.tributary.processors.LogsTopology;
import io.tributary.processors.MetricsTopology;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.PipelineStats;
import io.tributary.processors.Topics;
import io.tributary.processors.TracesTopology;
import io.tributary.schemas.Signal;
import io.tributary.schemas.serde.SerdeConfig;
import org.apache.kafka.streams.Topology;

/** The pipelines of the signals that have one ({@link Signal#pipelines()}), each its own Kafka Streams application. */
public enum Pipeline {
  TRACES(Signal.TRACES, TracesTopology.APPLICATION_ID),
  LOGS(Signal.LOGS, LogsTopology.APPLICATION_ID),
  METRICS(Signal.METRICS, MetricsTopology.APPLICATION_ID);

  private final Signal signal;
  private final String applicationId;

  Pipeline(Signal signal, String applicationId) {
    this.signal = signal;
    this.applicationId = applicationId;
  }

  /** The signal it processes. */
  public Signal signal() {
    return signal;
  }

  /** The Kafka Streams application id: its consumer group and the prefix of its internal topics. */
  public String applicationId() {
    return applicationId;
  }

  /** The catalog topics it reads and writes, and its dead-letter topic. */
  public Topics topics() {
    return Topics.of(signal);
  }

  /** Its name on the command line and in metric tags: its signal's {@link Signal#id() id}. */
  public String id() {
    return signal.id();
  }

  Topology topology(PipelineConfig config, SerdeConfig serde, PipelineStats stats) {
    return switch (this) {
      case TRACES -> TracesTopology.build(config, topics(), serde, stats);
      case LOGS -> LogsTopology.build(config, topics(), serde, stats);
      case METRICS -> MetricsTopology.build(config, topics(), serde, stats);
    };
  }
}
