package io.tributary.sinks.otlp;

import io.tributary.sinks.internal.CommonSinkConfig;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The options of {@link OtlpSinkConnector}: the OTLP endpoint, compression, concurrency, plus the
 * common, connection and batching options, each documented and validated (cross-option rules too,
 * also through Connect's validate endpoint).
 */
public class OtlpSinkConnectorConfig extends AbstractConfig {

  public static final String ENDPOINT_GROUP = "Endpoint";

  public static final String ENDPOINT_CONFIG = "otlp.endpoint";
  private static final String ENDPOINT_DOC = "The OTLP/HTTP receiver's base URL, e.g. http://tempo:4318 (Tempo's "
      + "distributor) or an OpenTelemetry Collector; spans are POSTed to <endpoint>/v1/traces. A URL that already "
      + "ends in /v1/traces is used as it is.";

  public static final String COMPRESSION_CONFIG = "otlp.compression";
  public static final String DEFAULT_COMPRESSION = "gzip";
  private static final String COMPRESSION_DOC = "Request body compression: gzip or none.";

  public static final String MAX_IN_FLIGHT_CONFIG = HttpSinkOptions.MAX_IN_FLIGHT_CONFIG;
  public static final int DEFAULT_MAX_IN_FLIGHT = 2;
  private static final String MAX_IN_FLIGHT_DOC = "Concurrent requests per task. Spans of one trace go through the "
      + "same sender, so they usually share a request.";

  public static final String TRACES_PATH = "/v1/traces";
  static final int DEFAULT_BATCH_SIZE = 1_000;
  static final long DEFAULT_BUFFER_MAX_SIZE = 50_000;

  public static final ConfigDef CONFIG_DEF = configDef();

  public OtlpSinkConnectorConfig(Map<String, String> props) {
    this(CONFIG_DEF, props);
  }

  protected OtlpSinkConnectorConfig(ConfigDef def, Map<String, String> props) {
    super(def, props);
    HttpSinkOptions.requireConsistent(props, DEFAULT_BATCH_SIZE, DEFAULT_BUFFER_MAX_SIZE);
    if (getString(ENDPOINT_CONFIG).contains(",")) {
      throw new ConfigException(ENDPOINT_CONFIG, getString(ENDPOINT_CONFIG), "expected one URL");
    }
  }

  public static ConfigDef configDef() {
    ConfigDef def = CommonSinkConfig.define();
    int order = 0;
    def.define(ENDPOINT_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, CommonSinkConfig.httpUrl(false),
            Importance.HIGH, ENDPOINT_DOC, ENDPOINT_GROUP, ++order, Width.LONG, "OTLP endpoint")
        .define(COMPRESSION_CONFIG, Type.STRING, DEFAULT_COMPRESSION, ConfigDef.CaseInsensitiveValidString.in("gzip", "none"),
            Importance.LOW, COMPRESSION_DOC, ENDPOINT_GROUP, ++order, Width.SHORT, "Compression");
    HttpSinkOptions.define(def, "spans", DEFAULT_BATCH_SIZE, DEFAULT_BUFFER_MAX_SIZE);
    return HttpSinkOptions.definer(def).maxInFlight(DEFAULT_MAX_IN_FLIGHT, MAX_IN_FLIGHT_DOC).def();
  }

  static void crossValidate(List<ConfigValue> values, Map<String, String> props) {
    HttpSinkOptions.addCrossCheckErrors(values, props, DEFAULT_BATCH_SIZE, DEFAULT_BUFFER_MAX_SIZE);
  }

  /** Where spans are POSTed: {@code <endpoint>/v1/traces}. */
  public URI tracesUrl() {
    String endpoint = getString(ENDPOINT_CONFIG).trim();
    if (endpoint.endsWith(TRACES_PATH)) {
      return URI.create(endpoint);
    }
    return URI.create((endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint) + TRACES_PATH);
  }

  public boolean gzip() {
    return getString(COMPRESSION_CONFIG).toLowerCase(Locale.ROOT).equals("gzip");
  }

  public int maxInFlightRequests() {
    return getInt(MAX_IN_FLIGHT_CONFIG);
  }

  public HttpSinkOptions.Settings httpSettings() {
    return HttpSinkOptions.settings(this);
  }
}
