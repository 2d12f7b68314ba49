package io.tributary.sinks.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * What every Tributary sink connector does the same way: validate its configuration (each option,
 * then the checks across options) in Connect's validate call and again when it starts, hand the
 * configuration to {@code tasks.max} tasks numbered by {@link #TASK_ID_CONFIG}, and report the
 * plugin's version. The tasks do the work; the connector holds nothing.
 */
public abstract class TributarySinkConnector extends SinkConnector {

  /** Added to each task's configuration: which task of the connector it is (for logs). */
  public static final String TASK_ID_CONFIG = "task.id";

  private final ConfigDef configDef;
  private final Class<? extends Task> taskClass;
  private Map<String, String> props;

  protected TributarySinkConnector(ConfigDef configDef, Class<? extends Task> taskClass) {
    this.configDef = requireNonNull(configDef, "configDef");
    this.taskClass = requireNonNull(taskClass, "taskClass");
  }

  /** Parses the configuration into the connector's typed config; throws {@link ConfigException} with the reason. */
  protected abstract void parse(Map<String, String> props);

  /** Checks across options, added to the values they concern (default: none). */
  protected void crossValidate(List<ConfigValue> values, Map<String, String> props) {}

  @Override
  public final void start(Map<String, String> props) {
    parse(props);
    List<String> problems = new ArrayList<>();
    for (ConfigValue value : validate(props).configValues()) {
      value.errorMessages().forEach(m -> problems.add(value.name() + ": " + m));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("; ", problems));
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public final Class<? extends Task> taskClass() {
    return taskClass;
  }

  @Override
  public final List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      Map<String, String> task = new HashMap<>(props);
      task.put(TASK_ID_CONFIG, Integer.toString(i));
      configs.add(task);
    }
    return configs;
  }

  @Override
  public final void stop() {}

  @Override
  public final ConfigDef config() {
    return configDef;
  }

  @Override
  public final Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    crossValidate(config.configValues(), connectorConfigs);
    return config;
  }

  @Override
  public final String version() {
    return PluginVersion.get();
  }
}
