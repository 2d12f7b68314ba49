package io.tributary.platform.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Liveness and readiness of the Kafka Streams applications of one process (pipelines, alerting),
 * from their states.
 *
 * <p>Ready: every pipeline is {@code RUNNING}, or {@code REBALANCING} after having been running (a
 * rebalance is routine once an instance joins or leaves). Live: no pipeline is in {@code ERROR}, and
 * none is stopping or stopped while the process is not closing them.
 */
public final class StreamsHealth implements StreamsHttpServer.Health {

  private final Map<String, KafkaStreams> pipelines = new ConcurrentHashMap<>();
  private final Map<String, Boolean> wasRunning = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** Follows {@code streams}; call before it starts, and from its state listener with {@link #changed}. */
  public void add(String pipeline, KafkaStreams streams) {
    pipelines.put(pipeline, streams);
    wasRunning.put(pipeline, false);
  }

  public void changed(String pipeline, State now) {
    if (now == State.RUNNING) {
      wasRunning.put(pipeline, true);
    }
  }

  /** The process is stopping the pipelines: stopping states are expected from now on. */
  public void closing() {
    closing = true;
  }

  @Override
  public boolean isReady() {
    if (closing || pipelines.isEmpty()) {
      return false;
    }
    return pipelines.entrySet().stream().allMatch(e -> {
      State state = e.getValue().state();
      return state == State.RUNNING || state == State.REBALANCING && wasRunning.get(e.getKey());
    });
  }

  @Override
  public boolean isLive() {
    return pipelines.values().stream().map(KafkaStreams::state).noneMatch(state -> state == State.ERROR
        || !closing && (state == State.PENDING_SHUTDOWN || state == State.NOT_RUNNING || state == State.PENDING_ERROR));
  }

  /** Each pipeline's state, for the health answers. */
  @Override
  public String describe() {
    StringBuilder text = new StringBuilder();
    pipelines.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> text.append(e.getKey()).append(' ').append(e.getValue().state()).append('\n'));
    return text.toString();
  }
}
