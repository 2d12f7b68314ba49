package io.tributary.sinks.elasticsearch;

import io.tributary.schemas.Signal;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.sinks.elasticsearch.internal.DataStreamNames;
import io.tributary.sinks.internal.Backoff;
import io.tributary.sinks.internal.CommonSinkConfig;
import io.tributary.sinks.internal.batching.DeprecatedOptions;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.internal.batching.HttpSinkOptions.AuthType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Every option of the {@link ElasticsearchSinkConnector}, documented and validated; the options
 * every Tributary sink shares come from {@link CommonSinkConfig} (schema registry, retries) and
 * {@link HttpSinkOptions} (authentication, timeouts, batching, requests in flight); the names this
 * connector used before those ({@code connection.username}, {@code bulk.max.records}, ...) are still
 * accepted, with a warning.
 *
 * <p>A minimal configuration, for {@code tributary dev}'s node:
 * <pre>
 * connector.class=io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector
 * topics=telemetry.spans,telemetry.logs,telemetry.metrics,telemetry.alerts
 * connection.urls=http://127.0.0.1:9200
 * index.template.replicas=0
 * errors.tolerance=all
 * errors.deadletterqueue.topic.name=tributary.dlq.elasticsearch
 * </pre>
 */
public final class ElasticsearchSinkConnectorConfig extends AbstractConfig {

  // ---- Connection
  public static final String CONNECTION_GROUP = "Connection";

  public static final String CONNECTION_URLS_CONFIG = "connection.urls";
  static final String CONNECTION_URLS_DOC = "Elasticsearch HTTP endpoints, comma-separated (e.g. "
      + "http://127.0.0.1:9200 or https://es-0:9200,https://es-1:9200); requests are spread over them and a node "
      + "that fails is avoided for a while. HTTPS uses the worker JVM's trust store.";
  static final String CONNECTION_URLS_DISPLAY = "Elasticsearch URLs";

  // Authentication, timeouts, batching and requests in flight use the shared names (HttpSinkOptions).
  public static final String AUTH_USERNAME_CONFIG = HttpSinkOptions.AUTH_USERNAME_CONFIG;
  public static final String AUTH_PASSWORD_CONFIG = HttpSinkOptions.AUTH_PASSWORD_CONFIG;
  public static final String AUTH_API_KEY_CONFIG = HttpSinkOptions.AUTH_API_KEY_CONFIG;
  public static final long CONNECT_TIMEOUT_MS_DEFAULT = 5_000;
  /** Long enough for a bulk request of batch.max.bytes on a busy cluster; a timed-out one is retried (ids: no duplicates). */
  public static final long REQUEST_TIMEOUT_MS_DEFAULT = 60_000;

  // ---- Deprecated names, still accepted (with a warning) for configurations written before the shared names.
  public static final String CONNECTION_USERNAME_CONFIG = "connection.username";
  public static final String CONNECTION_PASSWORD_CONFIG = "connection.password";
  public static final String CONNECTION_API_KEY_CONFIG = "connection.api.key";
  public static final String CONNECTION_TIMEOUT_MS_CONFIG = "connection.timeout.ms";
  public static final String READ_TIMEOUT_MS_CONFIG = "read.timeout.ms";
  public static final String BULK_MAX_RECORDS_CONFIG = "bulk.max.records";
  public static final String BULK_MAX_BYTES_CONFIG = "bulk.max.bytes";
  public static final String BULK_LINGER_MS_CONFIG = "bulk.linger.ms";
  public static final String BULK_MAX_IN_FLIGHT_CONFIG = "bulk.max.in.flight.requests";

  static final DeprecatedOptions DEPRECATED = new DeprecatedOptions(
      new DeprecatedOptions.Alias(CONNECTION_USERNAME_CONFIG, HttpSinkOptions.AUTH_USERNAME_CONFIG),
      new DeprecatedOptions.Alias(CONNECTION_PASSWORD_CONFIG, HttpSinkOptions.AUTH_PASSWORD_CONFIG),
      new DeprecatedOptions.Alias(CONNECTION_API_KEY_CONFIG, HttpSinkOptions.AUTH_API_KEY_CONFIG),
      new DeprecatedOptions.Alias(CONNECTION_TIMEOUT_MS_CONFIG, HttpSinkOptions.CONNECT_TIMEOUT_MS_CONFIG),
      new DeprecatedOptions.Alias(READ_TIMEOUT_MS_CONFIG, HttpSinkOptions.REQUEST_TIMEOUT_MS_CONFIG),
      new DeprecatedOptions.Alias(BULK_MAX_RECORDS_CONFIG, HttpSinkOptions.BATCH_SIZE_CONFIG),
      new DeprecatedOptions.Alias(BULK_MAX_BYTES_CONFIG, HttpSinkOptions.BATCH_MAX_BYTES_CONFIG),
      new DeprecatedOptions.Alias(BULK_LINGER_MS_CONFIG, HttpSinkOptions.BATCH_MAX_AGE_MS_CONFIG),
      new DeprecatedOptions.Alias(BULK_MAX_IN_FLIGHT_CONFIG, HttpSinkOptions.MAX_IN_FLIGHT_CONFIG));

  public static final String CONNECTION_COMPRESSION_CONFIG = "connection.compression";
  public static final boolean CONNECTION_COMPRESSION_DEFAULT = false;
  static final String CONNECTION_COMPRESSION_DOC = "Gzip bulk requests: less network, more CPU on both sides.";
  static final String CONNECTION_COMPRESSION_DISPLAY = "Compress requests";

  // ---- Data streams
  public static final String DATA_STREAM_GROUP = "Data streams";

  public static final String TOPIC_SIGNALS_CONFIG = "topic.signals";
  public static final String TOPIC_SIGNALS_DEFAULT = Arrays.stream(Signal.values())
      .map(s -> s.processedTopic().name() + ":" + s.recordsName()).collect(Collectors.joining(","));
  static final String TOPIC_SIGNALS_DOC = "What each topic carries, as topic:signal pairs, comma-separated; a signal "
      + "is one of " + signalNames(", ") + ". Every topic the connector reads must be listed. Spans go to "
      + "traces-<dataset>-<namespace>, logs to logs-<dataset>-<namespace>, metric points to metrics-<dataset>-"
      + "<namespace> and alert state changes to logs-<dataset>.alerts-<namespace>.";
  static final String TOPIC_SIGNALS_DISPLAY = "Topic signals";

  public static final String DATA_STREAM_DATASET_CONFIG = "data.stream.dataset";
  public static final String DATA_STREAM_DATASET_DEFAULT = "tributary";
  static final String DATA_STREAM_DATASET_DOC = "The dataset part of the data stream names (<type>-<dataset>-"
      + "<namespace>): lowercase letters, digits, '_' and '.'.";
  static final String DATA_STREAM_DATASET_DISPLAY = "Dataset";

  public static final String DATA_STREAM_NAMESPACE_CONFIG = "data.stream.namespace";
  public static final String DATA_STREAM_NAMESPACE_DEFAULT = DataStreamNames.TENANT_PLACEHOLDER;
  static final String DATA_STREAM_NAMESPACE_DOC = "The namespace part of the data stream names. "
      + DataStreamNames.TENANT_PLACEHOLDER + " stands for the record's tenant (lowercased, characters other than "
      + "a-z 0-9 _ . replaced by '_', empty -> 'default'), giving each tenant data streams of its own, e.g. "
      + "traces-tributary-acme; a fixed value such as 'default' puts all tenants together (their 'tenant' field "
      + "still tells them apart).";
  static final String DATA_STREAM_NAMESPACE_DISPLAY = "Namespace";

  // ---- Index templates
  public static final String TEMPLATE_GROUP = "Index templates";

  public static final String TEMPLATE_INSTALL_CONFIG = "index.template.install";
  public static final boolean TEMPLATE_INSTALL_DEFAULT = true;
  static final String TEMPLATE_INSTALL_DOC = "Install (or update) the index templates <type>-<dataset> for the "
      + "signals read, before the first write. They make the data streams and map the fields: ids, names and "
      + "service.name as keywords, times as date_nanos, attributes as 'flattened' fields (every key searchable, "
      + "no mapping explosion). Set false when the templates are managed elsewhere.";
  static final String TEMPLATE_INSTALL_DISPLAY = "Install index templates";

  public static final String TEMPLATE_PRIORITY_CONFIG = "index.template.priority";
  public static final int TEMPLATE_PRIORITY_DEFAULT = 200;
  static final String TEMPLATE_PRIORITY_DOC = "Priority of the installed templates; above Elasticsearch's built-in "
      + "logs-*-*, metrics-*-* and traces-*-* templates (100).";
  static final String TEMPLATE_PRIORITY_DISPLAY = "Template priority";

  public static final String TEMPLATE_SHARDS_CONFIG = "index.template.shards";
  public static final int TEMPLATE_SHARDS_DEFAULT = 1;
  static final String TEMPLATE_SHARDS_DOC = "Primary shards of each backing index.";
  static final String TEMPLATE_SHARDS_DISPLAY = "Shards";

  public static final String TEMPLATE_REPLICAS_CONFIG = "index.template.replicas";
  static final String TEMPLATE_REPLICAS_DOC = "Replicas of each backing index; empty keeps Elasticsearch's default (1). "
      + "Set 0 on a single node, whose indices would otherwise stay yellow.";
  static final String TEMPLATE_REPLICAS_DISPLAY = "Replicas";

  // ---- Bulk requests (the shared batching options, with Elasticsearch's defaults)
  public static final int BATCH_SIZE_DEFAULT = 1_000;
  public static final long BATCH_MAX_BYTES_DEFAULT = 5L * 1024 * 1024;
  public static final long BATCH_MAX_AGE_MS_DEFAULT = 200;
  public static final int MAX_IN_FLIGHT_DEFAULT = 4;
  /** Twice the documents of the requests in flight: what the sink buffered before it moved to the shared engine. */
  public static final long BUFFER_MAX_SIZE_DEFAULT = 2L * MAX_IN_FLIGHT_DEFAULT * BATCH_SIZE_DEFAULT;
  /**
   * Offset commits do not wait for documents in flight: their ids are deterministic, so a document
   * delivered again after a restart is answered 409 and counted as delivered, and a commit that waits
   * drains every request in flight each time Connect commits (the sink then idles between commits).
   */
  public static final long FLUSH_TIMEOUT_MS_DEFAULT = 0;
  static final String MAX_IN_FLIGHT_DOC = "Most bulk requests a task has in flight at once; consecutive documents "
      + "fill one request, the next ones the next request.";

  // ---- Errors
  public static final String ERRORS_GROUP = "Errors";

  public static final String BEHAVIOR_ON_MALFORMED_CONFIG = "behavior.on.malformed";
  public static final String BEHAVIOR_ON_MALFORMED_DEFAULT = BehaviorOnMalformed.DLQ.configName();
  static final String BEHAVIOR_ON_MALFORMED_DOC = "What to do with a record that cannot be decoded or a document "
      + "Elasticsearch refuses as malformed (400, e.g. document_parsing_exception): 'dlq' sends it to Connect's "
      + "dead-letter topic with the reason in its headers (needs errors.tolerance=all and "
      + "errors.deadletterqueue.topic.name; without them the task fails), 'fail' stops the task. Never dropped.";
  static final String BEHAVIOR_ON_MALFORMED_DISPLAY = "Behavior on malformed records";

  // ---- Cross-field errors, public so tests and operators see the same text.
  public static final String AUTH_PAIR_ERROR = String.format("Both '%s' and '%s' must be set, or neither.",
      AUTH_USERNAME_CONFIG, AUTH_PASSWORD_CONFIG);
  public static final String AUTH_EXCLUSIVE_ERROR = String.format("Set either '%s' or '%s'/'%s', not both.",
      AUTH_API_KEY_CONFIG, AUTH_USERNAME_CONFIG, AUTH_PASSWORD_CONFIG);
  public static final String UNMAPPED_TOPIC_ERROR = "Topic '%s' is read but '" + TOPIC_SIGNALS_CONFIG
      + "' does not say what it carries; add %s:<" + signalNames("|") + ">.";

  /** What to do with records no retry can write. */
  public enum BehaviorOnMalformed {
    DLQ, FAIL;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static BehaviorOnMalformed forValue(String value) {
      for (BehaviorOnMalformed b : values()) {
        if (b.configName().equalsIgnoreCase(value == null ? "" : value.trim())) {
          return b;
        }
      }
      throw new IllegalArgumentException(BEHAVIOR_ON_MALFORMED_CONFIG + ": '" + value + "' (expected: one of "
          + Arrays.stream(values()).map(BehaviorOnMalformed::configName).collect(Collectors.joining(", ")) + ")");
    }
  }

  public static final ConfigDef CONFIG_DEF = configDef();

  public ElasticsearchSinkConnectorConfig(Map<String, String> props) {
    super(CONFIG_DEF, DEPRECATED.resolve(props.getOrDefault("name", "elasticsearch-sink"), props));
  }

  public static ConfigDef configDef() {
    ConfigDef def = CommonSinkConfig.define();
    addConnectionConfigs(def);
    addDataStreamConfigs(def);
    addTemplateConfigs(def);
    HttpSinkOptions.definer(def)
        .auth(AuthType.AUTO, EnumSet.of(AuthType.NONE, AuthType.BASIC, AuthType.BEARER, AuthType.APIKEY, AuthType.AUTO))
        .tls()
        .headers()
        .timeouts(CONNECT_TIMEOUT_MS_DEFAULT, REQUEST_TIMEOUT_MS_DEFAULT)
        .batching("documents", BATCH_SIZE_DEFAULT, BATCH_MAX_AGE_MS_DEFAULT, BUFFER_MAX_SIZE_DEFAULT,
            FLUSH_TIMEOUT_MS_DEFAULT)
        .batchMaxBytes("documents", BATCH_MAX_BYTES_DEFAULT, 1024L, 100L * 1024 * 1024)
        .maxInFlight(MAX_IN_FLIGHT_DEFAULT, MAX_IN_FLIGHT_DOC);
    addErrorConfigs(def);
    return DEPRECATED.define(def);
  }

  private static void addConnectionConfigs(ConfigDef def) {
    int order = 0;
    def.define(CONNECTION_URLS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, CommonSinkConfig.httpUrl(false),
            Importance.HIGH, CONNECTION_URLS_DOC, CONNECTION_GROUP, ++order, Width.LONG, CONNECTION_URLS_DISPLAY)
        .define(CONNECTION_COMPRESSION_CONFIG, Type.BOOLEAN, CONNECTION_COMPRESSION_DEFAULT, Importance.LOW,
            CONNECTION_COMPRESSION_DOC, CONNECTION_GROUP, ++order, Width.SHORT, CONNECTION_COMPRESSION_DISPLAY);
  }

  private static void addDataStreamConfigs(ConfigDef def) {
    int order = 0;
    def.define(TOPIC_SIGNALS_CONFIG, Type.LIST, TOPIC_SIGNALS_DEFAULT, new TopicSignalsValidator(), Importance.HIGH,
            TOPIC_SIGNALS_DOC, DATA_STREAM_GROUP, ++order, Width.LONG, TOPIC_SIGNALS_DISPLAY)
        .define(DATA_STREAM_DATASET_CONFIG, Type.STRING, DATA_STREAM_DATASET_DEFAULT, new DatasetValidator(),
            Importance.MEDIUM, DATA_STREAM_DATASET_DOC, DATA_STREAM_GROUP, ++order, Width.MEDIUM,
            DATA_STREAM_DATASET_DISPLAY)
        .define(DATA_STREAM_NAMESPACE_CONFIG, Type.STRING, DATA_STREAM_NAMESPACE_DEFAULT, new NamespaceValidator(),
            Importance.MEDIUM, DATA_STREAM_NAMESPACE_DOC, DATA_STREAM_GROUP, ++order, Width.MEDIUM,
            DATA_STREAM_NAMESPACE_DISPLAY);
  }

  private static void addTemplateConfigs(ConfigDef def) {
    int order = 0;
    def.define(TEMPLATE_INSTALL_CONFIG, Type.BOOLEAN, TEMPLATE_INSTALL_DEFAULT, Importance.MEDIUM,
            TEMPLATE_INSTALL_DOC, TEMPLATE_GROUP, ++order, Width.SHORT, TEMPLATE_INSTALL_DISPLAY)
        .define(TEMPLATE_PRIORITY_CONFIG, Type.INT, TEMPLATE_PRIORITY_DEFAULT, ConfigDef.Range.atLeast(0),
            Importance.LOW, TEMPLATE_PRIORITY_DOC, TEMPLATE_GROUP, ++order, Width.SHORT, TEMPLATE_PRIORITY_DISPLAY)
        .define(TEMPLATE_SHARDS_CONFIG, Type.INT, TEMPLATE_SHARDS_DEFAULT, ConfigDef.Range.between(1, 1024),
            Importance.LOW, TEMPLATE_SHARDS_DOC, TEMPLATE_GROUP, ++order, Width.SHORT, TEMPLATE_SHARDS_DISPLAY)
        .define(TEMPLATE_REPLICAS_CONFIG, Type.INT, null, new OptionalAtLeast(0), Importance.MEDIUM,
            TEMPLATE_REPLICAS_DOC, TEMPLATE_GROUP, ++order, Width.SHORT, TEMPLATE_REPLICAS_DISPLAY);
  }

  private static void addErrorConfigs(ConfigDef def) {
    int order = 0;
    def.define(BEHAVIOR_ON_MALFORMED_CONFIG, Type.STRING, BEHAVIOR_ON_MALFORMED_DEFAULT,
        new EnumValidator<>(BehaviorOnMalformed.values(), BehaviorOnMalformed::configName), Importance.MEDIUM,
        BEHAVIOR_ON_MALFORMED_DOC, ERRORS_GROUP, ++order, Width.SHORT, BEHAVIOR_ON_MALFORMED_DISPLAY);
  }

  /**
   * Problems no single option shows: the authentication pairs and, when {@code topics} is given,
   * topics without a signal. Key -> message; empty when the configuration is consistent.
   */
  public static Map<String, List<String>> crossFieldProblems(Map<String, String> given) {
    Map<String, String> props = DEPRECATED.resolve("elasticsearch-sink", given);
    Map<String, List<String>> problems = new LinkedHashMap<>();
    boolean auto = AuthType.AUTO.toString().equalsIgnoreCase(
        props.getOrDefault(HttpSinkOptions.AUTH_TYPE_CONFIG, AuthType.AUTO.toString()).trim());
    boolean user = !blank(props.get(AUTH_USERNAME_CONFIG));
    boolean password = !blank(props.get(AUTH_PASSWORD_CONFIG));
    boolean apiKey = !blank(props.get(AUTH_API_KEY_CONFIG));
    // Reported under the name the configuration uses, old or new.
    if (auto && user != password) {
      problems.computeIfAbsent(DEPRECATED.nameUsed(given, user ? AUTH_PASSWORD_CONFIG : AUTH_USERNAME_CONFIG),
          k -> new ArrayList<>()).add(AUTH_PAIR_ERROR);
    }
    if (auto && apiKey && (user || password)) {
      problems.computeIfAbsent(DEPRECATED.nameUsed(given, AUTH_API_KEY_CONFIG), k -> new ArrayList<>())
          .add(AUTH_EXCLUSIVE_ERROR);
    }
    for (Map.Entry<String, String> p : HttpSinkOptions.crossCheck(props, AuthType.AUTO, BATCH_SIZE_DEFAULT,
        BUFFER_MAX_SIZE_DEFAULT)) {
      problems.computeIfAbsent(DEPRECATED.nameUsed(given, p.getKey()), k -> new ArrayList<>()).add(p.getValue());
    }
    String topics = props.get(SinkConnector.TOPICS_CONFIG);
    if (!blank(topics)) {
      Map<String, Signal> signals;
      try {
        signals = parseTopicSignals(ConfigDef.parseType(TOPIC_SIGNALS_CONFIG,
            props.getOrDefault(TOPIC_SIGNALS_CONFIG, TOPIC_SIGNALS_DEFAULT), Type.LIST));
      } catch (ConfigException e) {
        return problems; // reported on the option itself
      }
      for (String topic : topics.split(",")) {
        String t = topic.trim();
        if (!t.isEmpty() && !signals.containsKey(t)) {
          problems.computeIfAbsent(TOPIC_SIGNALS_CONFIG, k -> new ArrayList<>())
              .add(String.format(UNMAPPED_TOPIC_ERROR, t, t));
        }
      }
    }
    return problems;
  }

  // ---- Typed accessors

  public List<URI> urls() {
    return Arrays.stream(getString(CONNECTION_URLS_CONFIG).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(URI::create).toList();
  }

  /** Authentication, timeouts and batching in the shared vocabulary. */
  public HttpSinkOptions.Settings httpSettings() {
    return HttpSinkOptions.settings(this);
  }

  public boolean compression() {
    return getBoolean(CONNECTION_COMPRESSION_CONFIG);
  }

  public Map<String, Signal> topicSignals() {
    return parseTopicSignals(getList(TOPIC_SIGNALS_CONFIG));
  }

  public DataStreamNames dataStreamNames() {
    return new DataStreamNames(getString(DATA_STREAM_DATASET_CONFIG), getString(DATA_STREAM_NAMESPACE_CONFIG));
  }

  public boolean installTemplates() {
    return getBoolean(TEMPLATE_INSTALL_CONFIG);
  }

  public int templatePriority() {
    return getInt(TEMPLATE_PRIORITY_CONFIG);
  }

  public int templateShards() {
    return getInt(TEMPLATE_SHARDS_CONFIG);
  }

  public OptionalInt templateReplicas() {
    Integer r = getInt(TEMPLATE_REPLICAS_CONFIG);
    return r == null ? OptionalInt.empty() : OptionalInt.of(r);
  }

  public long bulkMaxBytes() {
    return getLong(HttpSinkOptions.BATCH_MAX_BYTES_CONFIG);
  }

  public int bulkMaxInFlight() {
    return getInt(HttpSinkOptions.MAX_IN_FLIGHT_CONFIG);
  }

  public BehaviorOnMalformed behaviorOnMalformed() {
    return BehaviorOnMalformed.forValue(getString(BEHAVIOR_ON_MALFORMED_CONFIG));
  }

  public Backoff backoff() {
    return CommonSinkConfig.backoff(this);
  }

  public Duration retryTimeout() {
    return CommonSinkConfig.retryTimeout(this);
  }

  public SerdeConfig serdeConfig() {
    return CommonSinkConfig.serdeConfig(this);
  }

  // ---- Parsing and validators

  static Map<String, Signal> parseTopicSignals(Object value) {
    Map<String, Signal> out = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    List<String> entries = (List<String>) value;
    for (String entry : entries) {
      String e = entry.trim();
      int colon = e.lastIndexOf(':');
      if (colon <= 0 || colon == e.length() - 1) {
        throw new ConfigException(TOPIC_SIGNALS_CONFIG, entry, "expected topic:signal, e.g. telemetry.spans:spans");
      }
      String topic = e.substring(0, colon).trim();
      String name = e.substring(colon + 1);
      Signal signal = Signal.forRecordsName(name).orElseThrow(() -> new ConfigException(TOPIC_SIGNALS_CONFIG, entry,
          "signal: '" + name + "' (expected: one of " + signalNames(", ") + ")"));
      if (out.put(topic, signal) != null) {
        throw new ConfigException(TOPIC_SIGNALS_CONFIG, entry, "topic '" + topic + "' is listed twice");
      }
    }
    if (out.isEmpty()) {
      throw new ConfigException(TOPIC_SIGNALS_CONFIG, value, "expected at least one topic:signal pair");
    }
    return out;
  }

  /** The signals' names in {@value #TOPIC_SIGNALS_CONFIG}: {@code spans, logs, metrics, alerts}. */
  private static String signalNames(String separator) {
    return Arrays.stream(Signal.values()).map(Signal::recordsName).collect(Collectors.joining(separator));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** {@code topic:signal} pairs. */
  static final class TopicSignalsValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      parseTopicSignals(value);
    }

    @Override
    public String toString() {
      return "topic:signal pairs, comma-separated; signals: " + signalNames(", ");
    }
  }

  /** A data stream dataset. */
  static final class DatasetValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String problem = DataStreamNames.datasetProblem((String) value);
      if (problem != null) {
        throw new ConfigException(name, value, problem);
      }
    }

    @Override
    public String toString() {
      return "1-100 characters among a-z 0-9 _ .";
    }
  }

  /** A data stream namespace template. */
  static final class NamespaceValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String problem = DataStreamNames.namespaceTemplateProblem((String) value);
      if (problem != null) {
        throw new ConfigException(name, value, problem);
      }
    }

    @Override
    public String toString() {
      return "characters among a-z 0-9 _ . and " + DataStreamNames.TENANT_PLACEHOLDER;
    }
  }

  /** Empty (null) or an integer of at least {@code min}. */
  static final class OptionalAtLeast implements ConfigDef.Validator {
    private final int min;

    OptionalAtLeast(int min) {
      this.min = min;
    }

    @Override
    public void ensureValid(String name, Object value) {
      if (value != null && (Integer) value < min) {
        throw new ConfigException(name, value, "expected empty or at least " + min);
      }
    }

    @Override
    public String toString() {
      return "empty or [" + min + ",...]";
    }
  }

  /** One of an enum's configuration names, case-insensitive. */
  static final class EnumValidator<E extends Enum<E>> implements ConfigDef.Validator {
    private final List<String> names;

    EnumValidator(E[] values, java.util.function.Function<E, String> configName) {
      this.names = Arrays.stream(values).map(configName).toList();
    }

    @Override
    public void ensureValid(String name, Object value) {
      String v = value == null ? "" : value.toString().trim();
      if (names.stream().noneMatch(n -> n.equalsIgnoreCase(v))) {
        throw new ConfigException(name, value, "expected one of " + String.join(", ", names));
      }
    }

    @Override
    public String toString() {
      return String.join(", ", names);
    }
  }
}
