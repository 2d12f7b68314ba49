package io.tributary.sinks.internal;

import io.tributary.schemas.serde.SerdeConfig;
import java.net.URI;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Options every Tributary sink has: where schemas come from and how failed writes are retried.
 * Each connector's {@code ConfigDef} starts from {@link #define()}.
 */
public final class CommonSinkConfig {

  public static final String GROUP = "Common";

  public static final String SCHEMA_REGISTRY_URL_CONFIG = SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG;
  public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
  public static final String RETRY_TIMEOUT_MS_CONFIG = "retry.timeout.ms";

  public static final long DEFAULT_RETRY_BACKOFF_MS = 100;
  public static final long DEFAULT_RETRY_BACKOFF_MAX_MS = 10_000;
  public static final long DEFAULT_RETRY_TIMEOUT_MS = 60_000;

  private CommonSinkConfig() {}

  /** A new {@code ConfigDef} with the common options; a connector adds its own to it. */
  public static ConfigDef define() {
    int order = 0;
    return new ConfigDef()
        .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "", httpUrl(true), Importance.MEDIUM,
            "Confluent-compatible schema registry the records' schemas were registered in (Confluent "
                + "wire format). Empty: records use Avro single-object encoding with the schemas in the plugin.",
            GROUP, ++order, Width.LONG, "Schema registry URL")
        .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, DEFAULT_RETRY_BACKOFF_MS, ConfigDef.Range.atLeast(1),
            Importance.LOW, "First wait before retrying a write the store refused for a retriable "
                + "reason (429, 5xx, connection refused); doubles per attempt up to retry.backoff.max.ms.",
            GROUP, ++order, Width.SHORT, "Retry backoff (ms)")
        .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, DEFAULT_RETRY_BACKOFF_MAX_MS, ConfigDef.Range.atLeast(1),
            Importance.LOW, "Longest wait between two retries of one write.",
            GROUP, ++order, Width.SHORT, "Max retry backoff (ms)")
        .define(RETRY_TIMEOUT_MS_CONFIG, Type.LONG, DEFAULT_RETRY_TIMEOUT_MS, ConfigDef.Range.atLeast(0),
            Importance.LOW, "How long a task retries one write itself before handing the batch back to "
                + "Connect as retriable (Connect redelivers it; offsets are not committed). Records are "
                + "never dropped because a store is down.",
            GROUP, ++order, Width.SHORT, "Retry timeout (ms)");
  }

  /** Serde settings from the connector's configuration. */
  public static SerdeConfig serdeConfig(AbstractConfig config) {
    String url = config.getString(SCHEMA_REGISTRY_URL_CONFIG);
    return url == null || url.isBlank()
        ? SerdeConfig.getDefault()
        : SerdeConfig.builder().schemaRegistryUrl(url).autoRegisterSchemas(false).build();
  }

  public static Backoff backoff(AbstractConfig config) {
    long initial = config.getLong(RETRY_BACKOFF_MS_CONFIG);
    long max = config.getLong(RETRY_BACKOFF_MAX_MS_CONFIG);
    if (max < initial) {
      throw new ConfigException(RETRY_BACKOFF_MAX_MS_CONFIG, max,
          "must be at least " + RETRY_BACKOFF_MS_CONFIG + " (" + initial + ")");
    }
    return new Backoff(Duration.ofMillis(initial), Duration.ofMillis(max));
  }

  public static Duration retryTimeout(AbstractConfig config) {
    return Duration.ofMillis(config.getLong(RETRY_TIMEOUT_MS_CONFIG));
  }

  /** Validates an http(s) URL; {@code optional} accepts an empty value (feature off). */
  public static ConfigDef.Validator httpUrl(boolean optional) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String s = value == null ? "" : value.toString().trim();
        if (s.isEmpty()) {
          if (optional) {
            return;
          }
          throw new ConfigException(name, value, "a URL is required (expected: http://host:port or https://host:port)");
        }
        for (String part : s.split(",")) {
          checkUrl(name, part.trim());
        }
      }

      @Override
      public String toString() {
        return (optional ? "empty or " : "") + "http(s)://host[:port][/path], comma-separated for several";
      }
    };
  }

  private static void checkUrl(String name, String s) {
    try {
      URI uri = URI.create(s);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(name, s, "expected: http://host:port or https://host:port");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, s, "not a URL (" + e.getMessage() + "); expected: http://host:port");
    }
  }
}
