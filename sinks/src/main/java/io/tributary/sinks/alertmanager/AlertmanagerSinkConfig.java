package io.tributary.sinks.alertmanager;

import io.tributary.sinks.internal.Backoff;
import io.tributary.sinks.internal.CommonSinkConfig;
import io.tributary.sinks.internal.batching.DeprecatedOptions;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.schemas.serde.SerdeConfig;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
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
import org.apache.kafka.common.config.types.Password;
import io.tributary.schemas.avro.AlertState;

/** The Alertmanager sink's options, validated when the connector starts (and by Connect's validate call). */
public final class AlertmanagerSinkConfig extends AbstractConfig {

  public static final String GROUP = "Alertmanager";

  public static final String DELIVERY_MODE_CONFIG = "delivery.mode";
  public static final String ALERTMANAGER_URLS_CONFIG = "alertmanager.urls";
  public static final String WEBHOOK_URLS_CONFIG = "webhook.urls";
  public static final String WEBHOOK_STATES_CONFIG = "webhook.states";
  public static final String RESEND_INTERVAL_MS_CONFIG = "resend.interval.ms";
  public static final String STALE_AFTER_MS_CONFIG = "stale.after.ms";
  public static final String TENANT_LABEL_CONFIG = "tenant.label";
  /** Deprecated: {@link HttpSinkOptions#CONNECT_TIMEOUT_MS_CONFIG} and {@link HttpSinkOptions#REQUEST_TIMEOUT_MS_CONFIG}. */
  public static final String HTTP_TIMEOUT_MS_CONFIG = "http.timeout.ms";
  public static final String AUTH_BEARER_TOKEN_CONFIG = HttpSinkOptions.AUTH_TOKEN_CONFIG;
  public static final String AUTH_BASIC_USERNAME_CONFIG = HttpSinkOptions.AUTH_USERNAME_CONFIG;
  public static final String AUTH_BASIC_PASSWORD_CONFIG = HttpSinkOptions.AUTH_PASSWORD_CONFIG;

  public static final long DEFAULT_RESEND_INTERVAL_MS = 60_000;
  public static final long DEFAULT_STALE_AFTER_MS = 300_000;
  public static final String DEFAULT_TENANT_LABEL = "tenant";
  public static final long DEFAULT_HTTP_TIMEOUT_MS = 10_000;
  static final int DEFAULT_BATCH_SIZE = 5_000;
  static final long DEFAULT_BATCH_MAX_AGE_MS = 0;
  static final long DEFAULT_BUFFER_MAX_SIZE = 50_000;

  public static final String AUTH_CONFLICT_ERROR = String.format(
      "Set either a bearer token or basic auth ('%s'), not both, or choose one with '%s'.",
      AUTH_BASIC_USERNAME_CONFIG, HttpSinkOptions.AUTH_TYPE_CONFIG);

  static final DeprecatedOptions DEPRECATED = new DeprecatedOptions(new DeprecatedOptions.Alias(
      HTTP_TIMEOUT_MS_CONFIG, List.of(HttpSinkOptions.CONNECT_TIMEOUT_MS_CONFIG,
      HttpSinkOptions.REQUEST_TIMEOUT_MS_CONFIG)));

  /** Where alerts go. */
  public enum DeliveryMode { ALERTMANAGER, WEBHOOK }

  public static final ConfigDef CONFIG_DEF = define();

  public AlertmanagerSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, DEPRECATED.resolve(props.getOrDefault("name", "alertmanager-sink"), props));
    HttpSinkOptions.requireConsistent(originalsStrings(), HttpSinkOptions.AuthType.AUTO, DEFAULT_BATCH_SIZE,
        DEFAULT_BUFFER_MAX_SIZE);
    List<URI> targets = targets();
    if (targets.isEmpty()) {
      String key = deliveryMode() == DeliveryMode.ALERTMANAGER ? ALERTMANAGER_URLS_CONFIG : WEBHOOK_URLS_CONFIG;
      throw new ConfigException(key, "", "at least one URL is required when " + DELIVERY_MODE_CONFIG + "="
          + deliveryMode().name().toLowerCase(Locale.ROOT));
    }
    if (authType() == HttpSinkOptions.AuthType.AUTO && bearerToken().isPresent() && basicAuth().isPresent()) {
      throw new ConfigException(AUTH_CONFLICT_ERROR);
    }
  }

  private static ConfigDef define() {
    int order = 0;
    ConfigDef def = CommonSinkConfig.define();
    def.define(DELIVERY_MODE_CONFIG, Type.STRING, "alertmanager",
            ConfigDef.CaseInsensitiveValidString.in("alertmanager", "webhook"), Importance.HIGH,
            "alertmanager: POST firing and resolved alerts to Alertmanager's /api/v2/alerts and re-send firing ones "
                + "every resend.interval.ms (Alertmanager resolves alerts that stop arriving). webhook: POST every "
                + "state change listed in webhook.states as JSON in Alertmanager's webhook format, for systems "
                + "without Alertmanager.",
            GROUP, ++order, Width.SHORT, "Delivery mode")
        .define(ALERTMANAGER_URLS_CONFIG, Type.LIST, List.of(), urls(), Importance.HIGH,
            "Base URLs of the Alertmanagers (e.g. http://alertmanager:9093), comma-separated. Every alert goes to "
                + "each of them, as Prometheus does for an Alertmanager cluster; a write succeeds once one accepted it.",
            GROUP, ++order, Width.LONG, "Alertmanager URLs")
        .define(WEBHOOK_URLS_CONFIG, Type.LIST, List.of(), urls(), Importance.HIGH,
            "webhook mode: the URLs that receive the JSON notifications, comma-separated.",
            GROUP, ++order, Width.LONG, "Webhook URLs")
        .define(WEBHOOK_STATES_CONFIG, Type.LIST, List.of("FIRING", "RESOLVED"), states(), Importance.LOW,
            "webhook mode: which state changes are sent (PENDING, FIRING, RESOLVED, INACTIVE).",
            GROUP, ++order, Width.MEDIUM, "Webhook states")
        .define(RESEND_INTERVAL_MS_CONFIG, Type.LONG, DEFAULT_RESEND_INTERVAL_MS, ConfigDef.Range.atLeast(1000),
            Importance.MEDIUM, "How often firing alerts are sent again; each carries endsAt = now + 4 intervals, so "
                + "Alertmanager resolves them by itself if Tributary stops sending (Prometheus's rule).",
            GROUP, ++order, Width.SHORT, "Re-send interval (ms)")
        .define(STALE_AFTER_MS_CONFIG, Type.LONG, DEFAULT_STALE_AFTER_MS, ConfigDef.Range.atLeast(0), Importance.LOW,
            "State changes evaluated longer ago than this are not sent when read, only used to know which alerts "
                + "are firing: each task re-reads its partitions from the start when it is assigned them, so a "
                + "restarted sink keeps re-sending alerts that still fire without notifying old ones again.",
            GROUP, ++order, Width.SHORT, "Stale after (ms)")
        .define(TENANT_LABEL_CONFIG, Type.STRING, DEFAULT_TENANT_LABEL, Importance.LOW,
            "Label that carries the alert's tenant (routing per tenant in Alertmanager); empty: no such label.",
            GROUP, ++order, Width.SHORT, "Tenant label");
    HttpSinkOptions.definer(def)
        .auth(HttpSinkOptions.AuthType.AUTO, EnumSet.of(HttpSinkOptions.AuthType.NONE, HttpSinkOptions.AuthType.BASIC,
            HttpSinkOptions.AuthType.BEARER, HttpSinkOptions.AuthType.AUTO))
        .tls()
        .headers()
        .timeouts(DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_HTTP_TIMEOUT_MS)
        .batching("alerts", DEFAULT_BATCH_SIZE, DEFAULT_BATCH_MAX_AGE_MS, DEFAULT_BUFFER_MAX_SIZE);
    return DEPRECATED.define(def);
  }

  private static ConfigDef.Validator urls() {
    ConfigDef.Validator one = CommonSinkConfig.httpUrl(false);
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value instanceof List<?> list) {
          for (Object url : list) {
            one.ensureValid(name, url);
          }
        }
      }

      @Override
      public String toString() {
        return "comma-separated http(s)://host:port URLs";
      }
    };
  }

  private static ConfigDef.Validator states() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value instanceof List<?> list) {
          for (Object state : list) {
            try {
              AlertState.valueOf(state.toString().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw new ConfigException(name, state, "expected one of PENDING, FIRING, RESOLVED, INACTIVE");
            }
          }
        }
      }

      @Override
      public String toString() {
        return "a list of PENDING, FIRING, RESOLVED, INACTIVE";
      }
    };
  }

  public DeliveryMode deliveryMode() {
    return DeliveryMode.valueOf(getString(DELIVERY_MODE_CONFIG).toUpperCase(Locale.ROOT));
  }

  /** Where requests go: each Alertmanager's {@code /api/v2/alerts}, or the webhook URLs as given. */
  public List<URI> targets() {
    if (deliveryMode() == DeliveryMode.ALERTMANAGER) {
      return getList(ALERTMANAGER_URLS_CONFIG).stream().map(String::trim)
          .map(u -> URI.create(u.replaceAll("/+$", "") + "/api/v2/alerts")).toList();
    }
    return getList(WEBHOOK_URLS_CONFIG).stream().map(String::trim).map(URI::create).toList();
  }

  public Set<AlertState> webhookStates() {
    Set<AlertState> states = EnumSet.noneOf(AlertState.class);
    getList(WEBHOOK_STATES_CONFIG).forEach(s -> states.add(AlertState.valueOf(s.trim().toUpperCase(Locale.ROOT))));
    return states;
  }

  public Duration resendInterval() {
    return Duration.ofMillis(getLong(RESEND_INTERVAL_MS_CONFIG));
  }

  public Duration staleAfter() {
    return Duration.ofMillis(getLong(STALE_AFTER_MS_CONFIG));
  }

  public Optional<String> tenantLabel() {
    String label = getString(TENANT_LABEL_CONFIG).trim();
    return label.isEmpty() ? Optional.empty() : Optional.of(label);
  }

  public HttpSinkOptions.AuthType authType() {
    return HttpSinkOptions.AuthType.forValue(getString(HttpSinkOptions.AUTH_TYPE_CONFIG));
  }

  public Optional<String> bearerToken() {
    Password token = getPassword(AUTH_BEARER_TOKEN_CONFIG);
    return token == null || token.value().isEmpty() ? Optional.empty() : Optional.of(token.value());
  }

  /** {@code user:password} when basic auth is set. */
  public Optional<String> basicAuth() {
    String user = getString(AUTH_BASIC_USERNAME_CONFIG);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    Password password = getPassword(AUTH_BASIC_PASSWORD_CONFIG);
    return Optional.of(user + ":" + (password == null ? "" : password.value()));
  }

  /** Authentication, timeouts, batching and retries, in the shared vocabulary. */
  public HttpSinkOptions.Settings httpSettings() {
    return HttpSinkOptions.settings(this);
  }

  public SerdeConfig serdeConfig() {
    return CommonSinkConfig.serdeConfig(this);
  }

  public Backoff backoff() {
    return CommonSinkConfig.backoff(this);
  }

  public Duration retryTimeout() {
    return CommonSinkConfig.retryTimeout(this);
  }
}
