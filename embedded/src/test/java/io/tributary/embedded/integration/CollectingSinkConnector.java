package io.tributary.embedded.integration;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** A sink that keeps what it receives in memory, so the worker test can see records arrive. */
public final class CollectingSinkConnector extends SinkConnector {

  static final ConcurrentLinkedQueue<String> RECEIVED = new ConcurrentLinkedQueue<>();

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = props;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return CollectingTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return new ConfigDef().define("required.setting", ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
        ConfigDef.Importance.HIGH, "A setting the validate endpoint must ask for.");
  }

  @Override
  public String version() {
    return "test";
  }

  public static final class CollectingTask extends SinkTask {
    @Override
    public String version() {
      return "test";
    }

    @Override
    public void start(Map<String, String> props) {}

    @Override
    public void put(Collection<SinkRecord> records) {
      for (SinkRecord r : records) {
        RECEIVED.add(new String((byte[]) r.value(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }

    @Override
    public void stop() {}
  }
}
