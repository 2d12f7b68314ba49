package io.tributary.sinks.remotewrite;

import io.tributary.sinks.internal.CommonSinkConfig;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The options of {@link PrometheusRemoteWriteSinkConnector}: where to write, how many shards,
 * how OpenTelemetry names become Prometheus names, plus the common, connection and batching
 * options. Every option is documented and validated; cross-option rules (authentication pairs,
 * buffer at least one batch) are checked too, also by Connect's validate endpoint.
 */
public class PrometheusRemoteWriteSinkConnectorConfig extends AbstractConfig {

  public static final String STORE_GROUP = "Store";
  public static final String NAMING_GROUP = "Naming";

  public static final String URL_CONFIG = "remote.write.url";
  private static final String URL_DOC = "The store's remote_write endpoint, e.g. http://prometheus:9090/api/v1/write "
      + "(Prometheus with --web.enable-remote-write-receiver), http://victoriametrics:8428/api/v1/write, "
      + "http://mimir:8080/api/v1/push or Thanos Receive's /api/v1/receive.";

  public static final String SHARDS_CONFIG = "shards";
  public static final int DEFAULT_SHARDS = 4;
  private static final String SHARDS_DOC = "Concurrent senders per task. Each series always goes to the same shard, "
      + "so its samples reach the store in order; more shards mean more requests in flight.";

  public static final String SUFFIXES_CONFIG = "metric.name.suffixes";
  public static final boolean DEFAULT_SUFFIXES = true;
  private static final String SUFFIXES_DOC = "Add unit and type suffixes to metric names as the OpenTelemetry "
      + "specification says (unit s -> _seconds, By -> _bytes, unit 1 on a gauge -> _ratio, monotonic sums -> "
      + "_total). Off: names are only sanitized.";

  public static final String SCOPE_LABELS_CONFIG = "scope.labels.enabled";
  public static final boolean DEFAULT_SCOPE_LABELS = true;
  private static final String SCOPE_LABELS_DOC = "Add otel_scope_name and otel_scope_version labels (the "
      + "instrumentation scope) to every series, as the specification recommends.";

  public static final String TARGET_INFO_CONFIG = "target.info.enabled";
  public static final boolean DEFAULT_TARGET_INFO = true;
  private static final String TARGET_INFO_DOC = "Write a target_info series (value 1) per resource whose labels are "
      + "the resource attributes other than service.name, service.namespace and service.instance.id, with the same "
      + "job and instance labels as the metrics, so queries can join them.";

  public static final String TARGET_INFO_INTERVAL_MS_CONFIG = "target.info.interval.ms";
  public static final long DEFAULT_TARGET_INFO_INTERVAL_MS = 60_000;
  private static final String TARGET_INFO_INTERVAL_DOC = "Write a resource's target_info at most this often "
      + "(metric time). Keep it below the store's lookback (Prometheus: 5 minutes) so joins always find it.";

  public static final String RESOURCE_LABELS_CONFIG = "resource.attributes.as.labels";
  private static final String RESOURCE_LABELS_DOC = "Resource attributes copied onto every series as labels "
      + "(e.g. deployment.environment,k8s.namespace.name), besides job and instance.";

  public static final String TENANT_LABEL_CONFIG = "tenant.label";
  private static final String TENANT_LABEL_DOC = "If set, a label of this name holding the record's tenant is added "
      + "to every series (for single-tenant stores such as Prometheus). Empty: no such label.";

  static final int DEFAULT_BATCH_SIZE = 2_000;
  /**
   * Ten batches per task: with the default shards, each has a batch in flight and more queued,
   * enough to keep sending while the task polls and converts the next records. A buffered sample
   * holds its Kafka record (about 600 bytes with Connect's objects) until delivered, and buffered
   * records survive young collections: a larger buffer only makes each of them copy more.
   */
  static final long DEFAULT_BUFFER_MAX_SIZE = 20_000;

  public static final ConfigDef CONFIG_DEF = configDef();

  public PrometheusRemoteWriteSinkConnectorConfig(Map<String, String> props) {
    this(CONFIG_DEF, props);
  }

  protected PrometheusRemoteWriteSinkConnectorConfig(ConfigDef def, Map<String, String> props) {
    super(def, props);
    HttpSinkOptions.requireConsistent(props, DEFAULT_BATCH_SIZE, DEFAULT_BUFFER_MAX_SIZE);
    if (getString(URL_CONFIG).contains(",")) {
      throw new ConfigException(URL_CONFIG, getString(URL_CONFIG), "expected one URL");
    }
    if (getString(TENANT_LABEL_CONFIG).isBlank()) {
      return;
    }
    String label = getString(TENANT_LABEL_CONFIG).trim();
    if (!PrometheusNaming.labelName(label).equals(label)) {
      throw new ConfigException(TENANT_LABEL_CONFIG, label, "not a valid Prometheus label name");
    }
  }

  public static ConfigDef configDef() {
    ConfigDef def = CommonSinkConfig.define();
    int order = 0;
    def.define(URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, CommonSinkConfig.httpUrl(false),
            Importance.HIGH, URL_DOC, STORE_GROUP, ++order, Width.LONG, "Remote write URL")
        .define(SHARDS_CONFIG, Type.INT, DEFAULT_SHARDS, ConfigDef.Range.between(1, 256), Importance.MEDIUM,
            SHARDS_DOC, STORE_GROUP, ++order, Width.SHORT, "Shards");
    order = 0;
    def.define(SUFFIXES_CONFIG, Type.BOOLEAN, DEFAULT_SUFFIXES, Importance.MEDIUM, SUFFIXES_DOC, NAMING_GROUP,
            ++order, Width.SHORT, "Metric name suffixes")
        .define(SCOPE_LABELS_CONFIG, Type.BOOLEAN, DEFAULT_SCOPE_LABELS, Importance.LOW, SCOPE_LABELS_DOC,
            NAMING_GROUP, ++order, Width.SHORT, "Scope labels")
        .define(TARGET_INFO_CONFIG, Type.BOOLEAN, DEFAULT_TARGET_INFO, Importance.LOW, TARGET_INFO_DOC,
            NAMING_GROUP, ++order, Width.SHORT, "target_info")
        .define(TARGET_INFO_INTERVAL_MS_CONFIG, Type.LONG, DEFAULT_TARGET_INFO_INTERVAL_MS,
            ConfigDef.Range.between(0, 3_600_000), Importance.LOW, TARGET_INFO_INTERVAL_DOC, NAMING_GROUP, ++order,
            Width.SHORT, "target_info interval (ms)")
        .define(RESOURCE_LABELS_CONFIG, Type.LIST, "", Importance.LOW, RESOURCE_LABELS_DOC, NAMING_GROUP, ++order,
            Width.LONG, "Resource attributes as labels")
        .define(TENANT_LABEL_CONFIG, Type.STRING, "", Importance.LOW, TENANT_LABEL_DOC, NAMING_GROUP, ++order,
            Width.SHORT, "Tenant label");
    return HttpSinkOptions.define(def, "samples", DEFAULT_BATCH_SIZE, DEFAULT_BUFFER_MAX_SIZE);
  }

  /** Adds the cross-option problems to a validate result. */
  static void crossValidate(List<ConfigValue> values, Map<String, String> props) {
    HttpSinkOptions.addCrossCheckErrors(values, props, DEFAULT_BATCH_SIZE, DEFAULT_BUFFER_MAX_SIZE);
    String label = props.getOrDefault(TENANT_LABEL_CONFIG, "").trim();
    if (!label.isEmpty() && !PrometheusNaming.labelName(label).equals(label)) {
      values.stream().filter(v -> v.name().equals(TENANT_LABEL_CONFIG)).findFirst()
          .ifPresent(v -> v.addErrorMessage("'" + label + "' is not a valid Prometheus label name "
              + "(expected: [a-zA-Z][a-zA-Z0-9_]*)"));
    }
  }

  public URI url() {
    return URI.create(getString(URL_CONFIG).trim());
  }

  public int shards() {
    return getInt(SHARDS_CONFIG);
  }

  public HttpSinkOptions.Settings httpSettings() {
    return HttpSinkOptions.settings(this);
  }

  MetricPointTranslator.Options translation() {
    return new MetricPointTranslator.Options(getBoolean(SUFFIXES_CONFIG), getBoolean(SCOPE_LABELS_CONFIG),
        getBoolean(TARGET_INFO_CONFIG), getLong(TARGET_INFO_INTERVAL_MS_CONFIG),
        Set.copyOf(getList(RESOURCE_LABELS_CONFIG)), getString(TENANT_LABEL_CONFIG).trim());
  }

  public Duration retryTimeout() {
    return CommonSinkConfig.retryTimeout(this);
  }
}
