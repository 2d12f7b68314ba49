package io.tributary.schemas.serde;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How {@link AvroSerde} writes and reads records: with a schema registry (Confluent wire format) or
 * without one (Avro single-object encoding, the embedded default).
 *
 * <pre>{@code
 * SerdeConfig embedded = SerdeConfig.getDefault();
 * SerdeConfig withRegistry = SerdeConfig.builder()
 *     .schemaRegistryUrl("http://registry:8080/apis/ccompat/v7")
 *     .basicAuth("tributary", secret)
 *     .build();
 * }</pre>
 *
 * @param schemaRegistryUrl base URL of a Confluent Schema Registry compatible API (Confluent, Apicurio's
 *     {@code /apis/ccompat/v7}, Karapace, Redpanda), or {@code null} for no registry
 * @param autoRegisterSchemas whether serializers register their schema under the subject on first
 *     use ({@code true}) or only look up an id registered beforehand ({@code false})
 * @param cacheCapacity how many schema ids and schemas the registry client keeps
 * @param requestTimeout connect and request timeout of each registry call
 * @param basicAuth credentials for the registry, or {@code null}
 */
public record SerdeConfig(
    URI schemaRegistryUrl,
    boolean autoRegisterSchemas,
    int cacheCapacity,
    Duration requestTimeout,
    BasicAuth basicAuth) {

  /** Config key (Confluent's name) of the registry URL, for {@link #fromConfigs}. */
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
  /** Config key (Confluent's name) of {@link #autoRegisterSchemas}. */
  public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
  /** Config key (Confluent's name) of the basic-auth credentials, as {@code user:password}. */
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
  /** Config key of {@link #cacheCapacity}. */
  public static final String CACHE_CAPACITY_CONFIG = "schema.registry.cache.capacity";
  /** Config key of {@link #requestTimeout}, in milliseconds. */
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";

  public static final boolean DEFAULT_AUTO_REGISTER_SCHEMAS = true;
  public static final int DEFAULT_CACHE_CAPACITY = 1000;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final SerdeConfig DEFAULT = builder().build();

  public SerdeConfig {
    if (schemaRegistryUrl != null) {
      checkRegistryUrl(schemaRegistryUrl);
    }
    checkCacheCapacity(cacheCapacity);
    checkRequestTimeout(requestTimeout);
  }

  /** No registry: single-object encoding with the schemas of this jar. */
  public static SerdeConfig getDefault() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.schemaRegistryUrl = schemaRegistryUrl;
    builder.autoRegisterSchemas = autoRegisterSchemas;
    builder.cacheCapacity = cacheCapacity;
    builder.requestTimeout = requestTimeout;
    builder.basicAuth = basicAuth;
    return builder;
  }

  /**
   * Reads the {@code *_CONFIG} keys of this class from Kafka-style properties (e.g. a connector's or
   * a Streams application's config); absent keys keep their defaults, other keys are ignored.
   */
  public static SerdeConfig fromConfigs(Map<String, ?> configs) {
    requireNonNull(configs, "configs");
    Builder builder = builder();
    Object url = configs.get(SCHEMA_REGISTRY_URL_CONFIG);
    if (url != null && !url.toString().isBlank()) {
      builder.schemaRegistryUrl(url.toString().trim());
    }
    Object autoRegister = configs.get(AUTO_REGISTER_SCHEMAS_CONFIG);
    if (autoRegister != null) {
      builder.autoRegisterSchemas(parseBoolean(AUTO_REGISTER_SCHEMAS_CONFIG, autoRegister));
    }
    Object capacity = configs.get(CACHE_CAPACITY_CONFIG);
    if (capacity != null) {
      builder.cacheCapacity(parseInt(CACHE_CAPACITY_CONFIG, capacity));
    }
    Object timeoutMs = configs.get(REQUEST_TIMEOUT_MS_CONFIG);
    if (timeoutMs != null) {
      builder.requestTimeout(Duration.ofMillis(parseInt(REQUEST_TIMEOUT_MS_CONFIG, timeoutMs)));
    }
    Object userInfo = configs.get(BASIC_AUTH_USER_INFO_CONFIG);
    if (userInfo != null && !userInfo.toString().isEmpty()) {
      String value = userInfo.toString();
      int colon = value.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException(
            BASIC_AUTH_USER_INFO_CONFIG + ": (hidden) (expected: user:password)");
      }
      builder.basicAuth(value.substring(0, colon), value.substring(colon + 1));
    }
    return builder.build();
  }

  /** The registry URL, if one is configured. */
  public Optional<URI> registryUrl() {
    return Optional.ofNullable(schemaRegistryUrl);
  }

  /** Whether records are written in the Confluent wire format through a registry. */
  public boolean hasRegistry() {
    return schemaRegistryUrl != null;
  }

  /**
   * Username and password for HTTP basic authentication against the registry.
   *
   * @param username the user
   * @param password the password, never printed by {@link #toString()}
   */
  public record BasicAuth(String username, String password) {
    public BasicAuth {
      requireNonNull(username, "username");
      requireNonNull(password, "password");
      if (username.isEmpty() || username.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "username: '" + username + "' (expected: non-empty and without ':')");
      }
    }

    @Override
    public String toString() {
      return "BasicAuth[username=" + username + ", password=***]";
    }
  }

  /** Builds a {@link SerdeConfig}; every setter checks its value. */
  public static final class Builder {
    private URI schemaRegistryUrl;
    private boolean autoRegisterSchemas = DEFAULT_AUTO_REGISTER_SCHEMAS;
    private int cacheCapacity = DEFAULT_CACHE_CAPACITY;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private BasicAuth basicAuth;

    Builder() {}

    /** The registry's base URL, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7}. */
    public Builder schemaRegistryUrl(String url) {
      requireNonNull(url, "schemaRegistryUrl");
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "schemaRegistryUrl: '" + url + "' (expected: an http(s) URL such as http://registry:8081)", e);
      }
      return schemaRegistryUrl(uri);
    }

    public Builder schemaRegistryUrl(URI url) {
      requireNonNull(url, "schemaRegistryUrl");
      checkRegistryUrl(url);
      this.schemaRegistryUrl = url;
      return this;
    }

    /** Back to no registry (single-object encoding). */
    public Builder noSchemaRegistry() {
      this.schemaRegistryUrl = null;
      return this;
    }

    public Builder autoRegisterSchemas(boolean autoRegister) {
      this.autoRegisterSchemas = autoRegister;
      return this;
    }

    public Builder cacheCapacity(int capacity) {
      checkCacheCapacity(capacity);
      this.cacheCapacity = capacity;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      checkRequestTimeout(timeout);
      this.requestTimeout = timeout;
      return this;
    }

    public Builder basicAuth(String username, String password) {
      this.basicAuth = new BasicAuth(username, password);
      return this;
    }

    public SerdeConfig build() {
      return new SerdeConfig(schemaRegistryUrl, autoRegisterSchemas, cacheCapacity, requestTimeout, basicAuth);
    }
  }

  private static void checkRegistryUrl(URI url) {
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "schemaRegistryUrl: '" + url + "' (expected: an http(s) URL such as http://registry:8081)");
    }
  }

  private static void checkCacheCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cacheCapacity: " + capacity + " (expected: >= 1)");
    }
  }

  private static void checkRequestTimeout(Duration timeout) {
    requireNonNull(timeout, "requestTimeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout: " + timeout + " (expected: > 0)");
    }
  }

  private static boolean parseBoolean(String key, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException(key + ": '" + value + "' (expected: true or false)");
  }

  private static int parseInt(String key, Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: an integer)", e);
    }
  }
}
