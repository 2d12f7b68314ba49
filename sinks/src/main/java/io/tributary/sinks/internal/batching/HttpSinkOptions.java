package io.tributary.sinks.internal.batching;

import io.tributary.sinks.internal.Backoff;
import io.tributary.sinks.internal.CommonSinkConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import javax.net.ssl.SSLContext;

/**
 * The one vocabulary of delivery options every sink shares: authentication ({@code auth.*}),
 * extra headers, the tenant header, timeouts ({@code http.*.timeout.ms}), batching and buffering
 * ({@code batch.*}, {@code buffer.max.size}, {@code flush.timeout.ms}) and requests in flight
 * ({@code max.in.flight.requests}); retries come from {@code CommonSinkConfig}. Each connector adds
 * the groups it needs to its {@code ConfigDef} through a {@link Definer}, with its own defaults, and
 * reads them back as one {@link Settings}. Older per-connector names stay accepted through
 * {@link DeprecatedOptions}.
 */
public final class HttpSinkOptions {

  public static final String CONNECTION_GROUP = "Connection";
  public static final String BATCHING_GROUP = "Batching";

  public static final String AUTH_TYPE_CONFIG = "auth.type";
  public static final String AUTH_USERNAME_CONFIG = "auth.basic.username";
  public static final String AUTH_PASSWORD_CONFIG = "auth.basic.password";
  public static final String AUTH_TOKEN_CONFIG = "auth.bearer.token";
  public static final String AUTH_API_KEY_CONFIG = "auth.api.key";
  public static final String HEADERS_CONFIG = "http.headers";
  public static final String TENANT_HEADER_CONFIG = "tenant.header";
  public static final String CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "http.request.timeout.ms";
  public static final String BATCH_SIZE_CONFIG = "batch.size";
  public static final String BATCH_MAX_AGE_MS_CONFIG = "batch.max.age.ms";
  public static final String BUFFER_MAX_SIZE_CONFIG = "buffer.max.size";
  public static final String FLUSH_TIMEOUT_MS_CONFIG = "flush.timeout.ms";
  public static final String BATCH_MAX_BYTES_CONFIG = "batch.max.bytes";
  public static final String MAX_IN_FLIGHT_CONFIG = "max.in.flight.requests";
  public static final String TLS_CA_FILE_CONFIG = "tls.ca.file";
  public static final String TLS_CERT_FILE_CONFIG = "tls.cert.file";
  public static final String TLS_KEY_FILE_CONFIG = "tls.key.file";

  public static final String DEFAULT_TENANT_HEADER = "X-Scope-OrgID";
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_BATCH_MAX_AGE_MS = 1_000;
  public static final long DEFAULT_FLUSH_TIMEOUT_MS = 10_000;

  public static final String BASIC_AUTH_ERROR = String.format(
      "%s=basic needs both '%s' and '%s'.", AUTH_TYPE_CONFIG, AUTH_USERNAME_CONFIG, AUTH_PASSWORD_CONFIG);
  public static final String BEARER_AUTH_ERROR = String.format(
      "%s=bearer needs '%s'.", AUTH_TYPE_CONFIG, AUTH_TOKEN_CONFIG);
  public static final String API_KEY_AUTH_ERROR = String.format(
      "%s=apikey needs '%s'.", AUTH_TYPE_CONFIG, AUTH_API_KEY_CONFIG);
  public static final String BUFFER_TOO_SMALL_ERROR = String.format(
      "'%s' must be at least '%s'.", BUFFER_MAX_SIZE_CONFIG, BATCH_SIZE_CONFIG);

  /**
   * How requests authenticate. {@code AUTO} (the default of connectors that had no {@code auth.type}
   * before) picks from the credentials that are set: an API key, else basic when a user name is
   * set, else bearer when a token is set, else none.
   */
  public enum AuthType {
    NONE, BASIC, BEARER, APIKEY, AUTO;

    public static AuthType forValue(String value) {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private HttpSinkOptions() {}

  /**
   * Adds the connection and batching options of a sink that POSTs batches with one tenant header
   * (remote_write, OTLP). {@code items} names what is batched ("samples", "spans") in the docs.
   */
  public static ConfigDef define(ConfigDef def, String items, int defaultBatchSize, long defaultBufferMaxSize) {
    return definer(def)
        .auth(AuthType.NONE, EnumSet.of(AuthType.NONE, AuthType.BASIC, AuthType.BEARER))
        .tls()
        .headers()
        .tenantHeader()
        .timeouts(DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS)
        .batching(items, defaultBatchSize, DEFAULT_BATCH_MAX_AGE_MS, defaultBufferMaxSize)
        .def();
  }

  /** Adds option groups to {@code def}, numbered in the order they are added. */
  public static Definer definer(ConfigDef def) {
    return new Definer(def);
  }

  /** Defines the shared options, each group once, with the connector's defaults. */
  public static final class Definer {
    private final ConfigDef def;
    private int order = 100;

    private Definer(ConfigDef def) {
      this.def = def;
      // Shared options come after the connector's own in each group; a second definer goes on numbering.
      for (ConfigDef.ConfigKey key : def.configKeys().values()) {
        if (key.orderInGroup >= order) {
          order = key.orderInGroup;
        }
      }
    }

    public ConfigDef def() {
      return def;
    }

    /** {@code auth.type} with the types the store understands, and the credentials those types use. */
    public Definer auth(AuthType defaultType, Set<AuthType> types) {
      String typeDoc = "How requests authenticate: " + describe(types) + ".";
      def.define(AUTH_TYPE_CONFIG, Type.STRING, defaultType.toString(), new EnumValidator(types), Importance.MEDIUM,
              typeDoc, CONNECTION_GROUP, ++order, Width.SHORT, "Authentication")
          .define(AUTH_USERNAME_CONFIG, Type.STRING, "", Importance.MEDIUM, "User name for basic authentication.",
              CONNECTION_GROUP, ++order, Width.MEDIUM, "Basic auth user")
          .define(AUTH_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, "Password for basic authentication.",
              CONNECTION_GROUP, ++order, Width.MEDIUM, "Basic auth password")
          .define(AUTH_TOKEN_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, "Token for bearer authentication "
              + "(sent as 'Authorization: Bearer <token>').", CONNECTION_GROUP, ++order, Width.LONG, "Bearer token");
      if (types.contains(AuthType.APIKEY)) {
        def.define(AUTH_API_KEY_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, "API key, base64-encoded as the "
            + "store issues it (sent as 'Authorization: ApiKey <key>').", CONNECTION_GROUP, ++order, Width.LONG,
            "API key");
      }
      return this;
    }

    /** {@code tls.ca.file}, {@code tls.cert.file}, {@code tls.key.file}: PEM files for https stores. */
    public Definer tls() {
      def.define(TLS_CA_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM, "PEM file of the certificate "
              + "authorities to trust for https (e.g. a Kubernetes Secret's ca.crt), instead of the JVM's trust store. "
              + "Empty: the JVM's.", CONNECTION_GROUP, ++order, Width.LONG, "TLS CA file")
          .define(TLS_CERT_FILE_CONFIG, Type.STRING, "", Importance.LOW, "PEM file of the client certificate (chain) "
              + "for mutual TLS, with tls.key.file.", CONNECTION_GROUP, ++order, Width.LONG, "TLS client certificate")
          .define(TLS_KEY_FILE_CONFIG, Type.STRING, "", Importance.LOW, "PEM file of the client certificate's "
              + "private key (unencrypted PKCS#8: -----BEGIN PRIVATE KEY-----), with tls.cert.file.",
              CONNECTION_GROUP, ++order, Width.LONG, "TLS client key");
      return this;
    }

    /** {@code http.headers}: extra headers with every request. */
    public Definer headers() {
      def.define(HEADERS_CONFIG, Type.LIST, "", new HeadersValidator(), Importance.LOW,
          "Extra headers sent with every request, as Name=value entries separated by commas, "
              + "e.g. 'X-Team=payments'.", CONNECTION_GROUP, ++order, Width.LONG, "Extra headers");
      return this;
    }

    /** {@code tenant.header}: one request per tenant, the tenant in that header. */
    public Definer tenantHeader() {
      def.define(TENANT_HEADER_CONFIG, Type.STRING, DEFAULT_TENANT_HEADER, new HeaderNameValidator(true),
          Importance.MEDIUM, "Header that carries each record's tenant (one request per tenant), as Grafana "
              + "Mimir, Tempo and Loki expect it. Empty: no tenant header (single-tenant stores).",
          CONNECTION_GROUP, ++order, Width.MEDIUM, "Tenant header");
      return this;
    }

    /** {@code http.connect.timeout.ms} and {@code http.request.timeout.ms}. */
    public Definer timeouts(long connectTimeoutMs, long requestTimeoutMs) {
      def.define(CONNECT_TIMEOUT_MS_CONFIG, Type.LONG, connectTimeoutMs, ConfigDef.Range.atLeast(1),
              Importance.LOW, "Timeout for opening a connection to the store.",
              CONNECTION_GROUP, ++order, Width.SHORT, "Connect timeout (ms)")
          .define(REQUEST_TIMEOUT_MS_CONFIG, Type.LONG, requestTimeoutMs, ConfigDef.Range.atLeast(1),
              Importance.LOW, "How long the store may take to answer a request, or pause "
                  + "while sending its answer; a timed-out request is retried.",
              CONNECTION_GROUP, ++order, Width.SHORT, "Request timeout (ms)");
      return this;
    }

    /** {@code max.in.flight.requests}: concurrent requests per task. */
    public Definer maxInFlight(int defaultMaxInFlight, String doc) {
      def.define(MAX_IN_FLIGHT_CONFIG, Type.INT, defaultMaxInFlight, ConfigDef.Range.between(1, 64),
          Importance.LOW, doc, BATCHING_GROUP, ++order, Width.SHORT, "Requests in flight");
      return this;
    }

    /** {@code batch.size}, {@code batch.max.age.ms}, {@code buffer.max.size}, {@code flush.timeout.ms}. */
    public Definer batching(String items, int defaultBatchSize, long defaultBatchMaxAgeMs, long defaultBufferMaxSize) {
      return batching(items, defaultBatchSize, defaultBatchMaxAgeMs, defaultBufferMaxSize, DEFAULT_FLUSH_TIMEOUT_MS);
    }

    /** Like {@link #batching(String, int, long, long)}, with the connector's own {@code flush.timeout.ms} default. */
    public Definer batching(String items, int defaultBatchSize, long defaultBatchMaxAgeMs, long defaultBufferMaxSize,
        long defaultFlushTimeoutMs) {
      def.define(BATCH_SIZE_CONFIG, Type.INT, defaultBatchSize, ConfigDef.Range.between(1, 1_000_000),
              Importance.MEDIUM, "Most " + items + " in one request.", BATCHING_GROUP, ++order, Width.SHORT,
              "Batch size (" + items + ")")
          .define(BATCH_MAX_AGE_MS_CONFIG, Type.LONG, defaultBatchMaxAgeMs, ConfigDef.Range.between(0, 600_000),
              Importance.MEDIUM, "Longest time " + items + " wait for a batch to fill before it is sent anyway.",
              BATCHING_GROUP, ++order, Width.SHORT, "Batch max age (ms)")
          .define(BUFFER_MAX_SIZE_CONFIG, Type.LONG, defaultBufferMaxSize, ConfigDef.Range.atLeast(1),
              Importance.LOW, "Most " + items + " a task holds in memory (queued or being sent). It takes the next "
                  + "records from Connect once they fit (a record counted as one; any number when it holds none); until "
                  + "then it waits, and hands them back to Connect (retriable) after retry.timeout.ms.",
              BATCHING_GROUP, ++order, Width.SHORT, "Buffer size (" + items + ")")
          .define(FLUSH_TIMEOUT_MS_CONFIG, Type.LONG, defaultFlushTimeoutMs, ConfigDef.Range.atLeast(0),
              Importance.LOW, "How long an offset commit waits for " + items + " in flight (partial batches are "
                  + "sent at once) so their offsets can be committed too; what is still in flight then is committed "
                  + "at a later commit. 0: commits never wait.",
              BATCHING_GROUP, ++order, Width.SHORT, "Flush timeout (ms)");
      return this;
    }

    /** {@code batch.max.bytes}: a request closes once its items reach this size. */
    public Definer batchMaxBytes(String items, long defaultMaxBytes, long min, long max) {
      def.define(BATCH_MAX_BYTES_CONFIG, Type.LONG, defaultMaxBytes, ConfigDef.Range.between(min, max),
          Importance.MEDIUM, "Most bytes of " + items + " in one request (the " + items.substring(0, items.length() - 1)
              + " that reaches it is the last one).", BATCHING_GROUP, ++order, Width.SHORT, "Batch max bytes");
      return this;
    }
  }

  private static String describe(Set<AuthType> types) {
    List<String> parts = new ArrayList<>();
    for (AuthType t : types) {
      parts.add(switch (t) {
        case NONE -> "none";
        case BASIC -> "basic (" + AUTH_USERNAME_CONFIG + " and " + AUTH_PASSWORD_CONFIG + ")";
        case BEARER -> "bearer (" + AUTH_TOKEN_CONFIG + ")";
        case APIKEY -> "apikey (" + AUTH_API_KEY_CONFIG + ")";
        case AUTO -> "auto (from the credentials set: " + (types.contains(AuthType.APIKEY) ? "an API key, else " : "")
            + "basic when a user name is set, else bearer when a token is set, else none)";
      });
    }
    return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
  }

  /** Cross-option problems (authentication pairs, buffer vs batch), each as (option, message). */
  public static List<Map.Entry<String, String>> crossCheck(Map<String, String> props, int defaultBatchSize,
      long defaultBufferMaxSize) {
    return crossCheck(props, AuthType.NONE, defaultBatchSize, defaultBufferMaxSize);
  }

  /** Like {@link #crossCheck(Map, int, long)} for a connector whose {@code auth.type} defaults to {@code defaultAuth}. */
  public static List<Map.Entry<String, String>> crossCheck(Map<String, String> props, AuthType defaultAuth,
      int defaultBatchSize, long defaultBufferMaxSize) {
    List<Map.Entry<String, String>> problems = new ArrayList<>();
    String type = props.getOrDefault(AUTH_TYPE_CONFIG, defaultAuth.toString());
    AuthType auth;
    try {
      // AUTO uses what is set; whether that is complete is the connector's own check.
      auth = AuthType.forValue(type);
    } catch (IllegalArgumentException e) {
      auth = AuthType.NONE; // the validator reports it
    }
    if (auth == AuthType.APIKEY && isBlank(props.get(AUTH_API_KEY_CONFIG))) {
      problems.add(Map.entry(AUTH_TYPE_CONFIG, API_KEY_AUTH_ERROR));
    }
    if (auth == AuthType.BASIC && (isBlank(props.get(AUTH_USERNAME_CONFIG)) || isBlank(props.get(AUTH_PASSWORD_CONFIG)))) {
      problems.add(Map.entry(AUTH_TYPE_CONFIG, BASIC_AUTH_ERROR));
    }
    if (auth == AuthType.BEARER && isBlank(props.get(AUTH_TOKEN_CONFIG))) {
      problems.add(Map.entry(AUTH_TYPE_CONFIG, BEARER_AUTH_ERROR));
    }
    try {
      long batch = Long.parseLong(props.getOrDefault(BATCH_SIZE_CONFIG, Integer.toString(defaultBatchSize)).trim());
      long buffer = Long.parseLong(props.getOrDefault(BUFFER_MAX_SIZE_CONFIG, Long.toString(defaultBufferMaxSize)).trim());
      if (buffer < batch) {
        problems.add(Map.entry(BUFFER_MAX_SIZE_CONFIG, BUFFER_TOO_SMALL_ERROR));
      }
    } catch (NumberFormatException e) {
      // the type check reports it
    }
    return problems;
  }

  /** Adds {@link #crossCheck} problems to a validate result's config values. */
  public static void addCrossCheckErrors(List<ConfigValue> values, Map<String, String> props, int defaultBatchSize,
      long defaultBufferMaxSize) {
    addCrossCheckErrors(values, props, AuthType.NONE, defaultBatchSize, defaultBufferMaxSize);
  }

  /** Adds {@link #crossCheck(Map, AuthType, int, long)} problems to a validate result's config values. */
  public static void addCrossCheckErrors(List<ConfigValue> values, Map<String, String> props, AuthType defaultAuth,
      int defaultBatchSize, long defaultBufferMaxSize) {
    for (Map.Entry<String, String> problem : crossCheck(props, defaultAuth, defaultBatchSize, defaultBufferMaxSize)) {
      values.stream().filter(v -> v.name().equals(problem.getKey())).findFirst()
          .ifPresent(v -> v.addErrorMessage(problem.getValue()));
    }
  }

  /** Throws the first cross-option problem as a {@link ConfigException}. */
  public static void requireConsistent(Map<String, String> props, int defaultBatchSize, long defaultBufferMaxSize) {
    requireConsistent(props, AuthType.NONE, defaultBatchSize, defaultBufferMaxSize);
  }

  /** Throws the first cross-option problem as a {@link ConfigException}. */
  public static void requireConsistent(Map<String, String> props, AuthType defaultAuth, int defaultBatchSize,
      long defaultBufferMaxSize) {
    List<Map.Entry<String, String>> problems = crossCheck(props, defaultAuth, defaultBatchSize, defaultBufferMaxSize);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems.get(0).getValue());
    }
  }

  /** The options as one value. */
  public static Settings settings(AbstractConfig config) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String entry : has(config, HEADERS_CONFIG) ? config.getList(HEADERS_CONFIG) : List.<String>of()) {
      int eq = entry.indexOf('=');
      headers.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    authorization(config).ifPresent(a -> headers.put("Authorization", a));
    String tenantHeader = has(config, TENANT_HEADER_CONFIG) ? config.getString(TENANT_HEADER_CONFIG).trim() : "";
    SSLContext tls = has(config, TLS_CA_FILE_CONFIG) ? TlsFiles.sslContext(config.getString(TLS_CA_FILE_CONFIG),
        config.getString(TLS_CERT_FILE_CONFIG), config.getString(TLS_KEY_FILE_CONFIG), TLS_CA_FILE_CONFIG,
        TLS_CERT_FILE_CONFIG, TLS_KEY_FILE_CONFIG).orElse(null) : null;
    return new Settings(Map.copyOf(headers), tenantHeader.isEmpty() ? null : tenantHeader, tls,
        Duration.ofMillis(config.getLong(CONNECT_TIMEOUT_MS_CONFIG)),
        Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS_CONFIG)),
        config.getInt(BATCH_SIZE_CONFIG), Duration.ofMillis(config.getLong(BATCH_MAX_AGE_MS_CONFIG)),
        config.getLong(BUFFER_MAX_SIZE_CONFIG), Duration.ofMillis(config.getLong(FLUSH_TIMEOUT_MS_CONFIG)),
        CommonSinkConfig.backoff(config), CommonSinkConfig.retryTimeout(config));
  }

  /** The {@code Authorization} header value the {@code auth.*} options make, if any. */
  public static Optional<String> authorization(AbstractConfig config) {
    String apiKey = secret(config, AUTH_API_KEY_CONFIG);
    String user = config.getString(AUTH_USERNAME_CONFIG);
    String token = secret(config, AUTH_TOKEN_CONFIG);
    AuthType type = resolve(AuthType.forValue(config.getString(AUTH_TYPE_CONFIG)), !apiKey.isBlank(),
        !user.isBlank(), !token.isBlank());
    return switch (type) {
      case BASIC -> Optional.of("Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + secret(config, AUTH_PASSWORD_CONFIG)).getBytes(StandardCharsets.UTF_8)));
      case BEARER -> Optional.of("Bearer " + token);
      case APIKEY -> Optional.of("ApiKey " + apiKey.trim());
      case NONE, AUTO -> Optional.empty();
    };
  }

  /** The type {@code AUTO} stands for, given which credentials are set; other types as they are. */
  static AuthType resolve(AuthType type, boolean apiKey, boolean user, boolean token) {
    if (type != AuthType.AUTO) {
      return type;
    }
    return apiKey ? AuthType.APIKEY : user ? AuthType.BASIC : token ? AuthType.BEARER : AuthType.NONE;
  }

  private static boolean has(AbstractConfig config, String key) {
    return config.values().containsKey(key);
  }

  private static String secret(AbstractConfig config, String key) {
    if (!has(config, key)) {
      return "";
    }
    Password p = config.getPassword(key);
    return p == null || p.value() == null ? "" : p.value();
  }

  /**
   * The HTTP and batching settings of a connector. {@code tenantHeader} is null when off;
   * {@code headers} include the authorization header; {@code tls} is null for the JVM's TLS defaults.
   * {@code toString()} hides header values.
   */
  public record Settings(Map<String, String> headers, String tenantHeader, SSLContext tls, Duration connectTimeout,
      Duration requestTimeout, int batchSize, Duration batchMaxAge, long bufferMaxSize, Duration flushTimeout,
      Backoff backoff, Duration retryTimeout) {

    /** A new poster with these settings: its owner closes it. */
    public HttpPoster poster() {
      return new HttpPoster(connectTimeout, requestTimeout, headers, tls);
    }

    /** The header for a tenant, or none when the tenant header is off. */
    public Map<String, String> tenantHeaders(String tenant) {
      return tenantHeader == null || tenant.isEmpty() ? Map.of() : Map.of(tenantHeader, tenant);
    }

    @Override
    public String toString() {
      return "Settings[headers=" + headers.keySet() + ", tenantHeader=" + tenantHeader + ", tls="
          + (tls == null ? "JVM defaults" : "own CA or client certificate") + ", connectTimeout="
          + connectTimeout + ", requestTimeout=" + requestTimeout + ", batchSize=" + batchSize + ", batchMaxAge="
          + batchMaxAge + ", bufferMaxSize=" + bufferMaxSize + ", flushTimeout=" + flushTimeout + ", backoff="
          + backoff + ", retryTimeout=" + retryTimeout + "]";
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Accepts the {@link AuthType} names, in any case. */
  static final class EnumValidator implements ConfigDef.Validator {
    private final Set<AuthType> types;

    EnumValidator(Set<AuthType> types) {
      this.types = Set.copyOf(types);
    }

    @Override
    public void ensureValid(String name, Object value) {
      try {
        if (types.contains(AuthType.forValue(String.valueOf(value)))) {
          return;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw new ConfigException(name, value, "expected one of " + this);
    }

    @Override
    public String toString() {
      return EnumSet.copyOf(types).toString();
    }
  }

  /** An HTTP header name (RFC 9110 token); {@code optional} accepts empty. */
  static final class HeaderNameValidator implements ConfigDef.Validator {
    private final boolean optional;

    HeaderNameValidator(boolean optional) {
      this.optional = optional;
    }

    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().trim();
      if (s.isEmpty() && optional) {
        return;
      }
      if (!isToken(s)) {
        throw new ConfigException(name, value, "expected an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
      }
    }

    @Override
    public String toString() {
      return (optional ? "empty or " : "") + "an HTTP header name";
    }
  }

  /** Name=value entries with a valid header name and no line breaks. */
  static final class HeadersValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (!(value instanceof List<?> list)) {
        return;
      }
      for (Object o : list) {
        String entry = String.valueOf(o);
        int eq = entry.indexOf('=');
        if (eq <= 0 || !isToken(entry.substring(0, eq).trim()) || entry.contains("\n") || entry.contains("\r")) {
          throw new ConfigException(name, entry, "expected Name=value with an HTTP header name");
        }
      }
    }

    @Override
    public String toString() {
      return "Name=value entries, comma-separated";
    }
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
