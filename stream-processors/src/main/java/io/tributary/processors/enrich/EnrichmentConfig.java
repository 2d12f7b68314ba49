package io.tributary.processors.enrich;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.internal.ConfigChecks;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.schemas.topics.TopicCatalog;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Enrichment of every pipeline (the {@code enrichment:} section of the pipeline YAML file): static
 * resource attributes, service and Kubernetes pod reference data from compacted topics, and the LLM cost of spans
 * and log records.
 *
 * <pre>{@code
 * EnrichmentConfig enrichment = EnrichmentConfig.builder()
 *     .staticAttribute("deployment.environment.name", "production")
 *     .staticAttribute("k8s.cluster.name", "eu-1")
 *     .price("my-fine-tune", new LlmPrice(1.0, 4.0))
 *     .build();
 * }</pre>
 *
 * @param staticAttributes added to the resource of every span, log record and metric point; values
 *     are {@link String}, {@link Long}, {@link Double} or {@link Boolean}
 * @param overwriteStaticAttributes whether a static attribute replaces a value the resource already
 *     has (off: the sender's value wins)
 * @param servicesEnabled whether resources get the attributes of their {@code service.name} from
 *     {@code servicesTopic}, as {@value Enrichment#SERVICE_ATTRIBUTE_PREFIX}{@code <key>}
 * @param servicesTopic the compacted topic of service reference data (see {@link TopicCatalog#REF_SERVICES})
 * @param k8sEnabled whether resources get their Kubernetes pod's attributes ({@code k8s.pod.name},
 *     {@code k8s.namespace.name}, {@code k8s.deployment.name}...) from {@code k8sTopic}, matched by
 *     {@code k8s.pod.uid}, else {@code k8s.pod.ip}, else (when the resource names no pod) the address the
 *     gateway received the record from; attributes the resource has are kept
 * @param k8sTopic the compacted topic {@code tributary k8s-metadata} writes (see {@link TopicCatalog#REF_K8S_PODS})
 * @param llmCostEnabled whether spans and log records with token counts get their cost in
 *     {@link SamplingConfig#DEFAULT_COST_ATTRIBUTE}
 * @param pricesTopic the compacted topic whose prices override {@code prices} live (see
 *     {@link TopicCatalog#REF_LLM_PRICES})
 * @param prices model name -> price; replaces the shipped table when set in the file
 */
public record EnrichmentConfig(
    Map<String, Object> staticAttributes,
    boolean overwriteStaticAttributes,
    boolean servicesEnabled,
    String servicesTopic,
    boolean k8sEnabled,
    String k8sTopic,
    boolean llmCostEnabled,
    String pricesTopic,
    Map<String, LlmPrice> prices) {

  public static final boolean DEFAULT_OVERWRITE_STATIC_ATTRIBUTES = false;
  public static final boolean DEFAULT_SERVICES_ENABLED = true;
  public static final String DEFAULT_SERVICES_TOPIC = TopicCatalog.REF_SERVICES.name();
  /** Off: outside Kubernetes no role writes the pod topic, and a pipeline must not need it. */
  public static final boolean DEFAULT_K8S_ENABLED = false;
  public static final String DEFAULT_K8S_TOPIC = TopicCatalog.REF_K8S_PODS.name();
  public static final boolean DEFAULT_LLM_COST_ENABLED = true;
  public static final String DEFAULT_PRICES_TOPIC = TopicCatalog.REF_LLM_PRICES.name();
  /**
   * List prices of a few common models when this was written, in US dollars per million tokens, with
   * the providers' prompt-cache rates (OpenAI charges nothing extra to write its cache; reasoning
   * tokens are billed as output everywhere here). Prices change: override them in the file or, live,
   * on the prices topic.
   */
  public static final Map<String, LlmPrice> DEFAULT_PRICES = ordered(Map.ofEntries(
      Map.entry("gpt-4o", new LlmPrice(2.50, 10.00, 1.25, null, null)),
      Map.entry("gpt-4o-mini", new LlmPrice(0.15, 0.60, 0.075, null, null)),
      Map.entry("gpt-4.1", new LlmPrice(2.00, 8.00, 0.50, null, null)),
      Map.entry("gpt-4.1-mini", new LlmPrice(0.40, 1.60, 0.10, null, null)),
      Map.entry("gpt-4.1-nano", new LlmPrice(0.10, 0.40, 0.025, null, null)),
      Map.entry("o3-mini", new LlmPrice(1.10, 4.40, 0.55, null, null)),
      Map.entry("claude-3-5-haiku", new LlmPrice(0.80, 4.00, 0.08, 1.00, null)),
      Map.entry("claude-3-5-sonnet", new LlmPrice(3.00, 15.00, 0.30, 3.75, null)),
      Map.entry("claude-3-7-sonnet", new LlmPrice(3.00, 15.00, 0.30, 3.75, null)),
      Map.entry("claude-sonnet-4", new LlmPrice(3.00, 15.00, 0.30, 3.75, null)),
      Map.entry("claude-opus-4", new LlmPrice(15.00, 75.00, 1.50, 18.75, null)),
      Map.entry("gemini-1.5-flash", new LlmPrice(0.075, 0.30)),
      Map.entry("gemini-1.5-pro", new LlmPrice(1.25, 5.00)),
      Map.entry("gemini-2.0-flash", new LlmPrice(0.10, 0.40))));

  public static final String STATIC_VALUE_EXPECTED = "a string, number or boolean";
  public static final String MODEL_EXPECTED = "a model name such as gpt-4o";

  private static final EnrichmentConfig DEFAULT = builder().build();

  public EnrichmentConfig {
    requireNonNull(staticAttributes, "staticAttributes");
    requireNonNull(prices, "prices");
    Map<String, Object> attributes = new LinkedHashMap<>();
    staticAttributes.forEach((key, value) -> attributes.put(key, staticValue(key, value)));
    staticAttributes = Collections.unmodifiableMap(attributes);
    ConfigChecks.topic("services.topic", servicesTopic);
    ConfigChecks.topic("k8s.topic", k8sTopic);
    ConfigChecks.topic("llm-cost.prices-topic", pricesTopic);
    prices.forEach(EnrichmentConfig::checkPrice);
    prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
  }

  /** The shipped defaults: no static attributes, service reference data and LLM cost on. */
  public static EnrichmentConfig getDefault() {
    return DEFAULT;
  }

  /** Starts from the defaults, {@link #DEFAULT_PRICES} included. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.staticAttributes.putAll(staticAttributes);
    b.overwriteStaticAttributes = overwriteStaticAttributes;
    b.servicesEnabled = servicesEnabled;
    b.servicesTopic = servicesTopic;
    b.k8sEnabled = k8sEnabled;
    b.k8sTopic = k8sTopic;
    b.llmCostEnabled = llmCostEnabled;
    b.pricesTopic = pricesTopic;
    b.prices.clear();
    b.prices.putAll(prices);
    return b;
  }

  /** A static attribute value as stored: Integer and other integral types become Long, Float Double. */
  static Object staticValue(String key, Object value) {
    ConfigChecks.attributeKey("static.attributes", key);
    return switch (value) {
      case String s -> s;
      case Boolean b -> b;
      case Long l -> l;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Double d -> d;
      case Float f -> f.doubleValue();
      case null, default -> throw new IllegalArgumentException("static.attributes." + key + ": "
          + ConfigChecks.quote(value) + " (expected: " + STATIC_VALUE_EXPECTED + ")");
    };
  }

  private static void checkPrice(String model, LlmPrice price) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("llm-cost.prices: " + ConfigChecks.quote(model) + " (expected: " + MODEL_EXPECTED + ")");
    }
    requireNonNull(price, "price of " + model);
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    Map<String, V> sorted = new LinkedHashMap<>();
    map.keySet().stream().sorted().forEach(key -> sorted.put(key, map.get(key)));
    return Collections.unmodifiableMap(sorted);
  }

  /** Checks each value when it is set; {@link #build()} returns an immutable config. */
  public static final class Builder {

    private final Map<String, Object> staticAttributes = new LinkedHashMap<>();
    private boolean overwriteStaticAttributes = DEFAULT_OVERWRITE_STATIC_ATTRIBUTES;
    private boolean servicesEnabled = DEFAULT_SERVICES_ENABLED;
    private String servicesTopic = DEFAULT_SERVICES_TOPIC;
    private boolean k8sEnabled = DEFAULT_K8S_ENABLED;
    private String k8sTopic = DEFAULT_K8S_TOPIC;
    private boolean llmCostEnabled = DEFAULT_LLM_COST_ENABLED;
    private String pricesTopic = DEFAULT_PRICES_TOPIC;
    private final Map<String, LlmPrice> prices = new LinkedHashMap<>(DEFAULT_PRICES);

    Builder() {}

    /** Adds (or replaces) one static resource attribute: a String, Long/Integer, Double or Boolean. */
    public Builder staticAttribute(String key, Object value) {
      staticAttributes.put(key, staticValue(key, value));
      return this;
    }

    public Builder overwriteStaticAttributes(boolean overwrite) {
      this.overwriteStaticAttributes = overwrite;
      return this;
    }

    public Builder servicesEnabled(boolean enabled) {
      this.servicesEnabled = enabled;
      return this;
    }

    public Builder servicesTopic(String topic) {
      this.servicesTopic = ConfigChecks.topic("services.topic", topic);
      return this;
    }

    public Builder k8sEnabled(boolean enabled) {
      this.k8sEnabled = enabled;
      return this;
    }

    public Builder k8sTopic(String topic) {
      this.k8sTopic = ConfigChecks.topic("k8s.topic", topic);
      return this;
    }

    public Builder llmCostEnabled(boolean enabled) {
      this.llmCostEnabled = enabled;
      return this;
    }

    public Builder pricesTopic(String topic) {
      this.pricesTopic = ConfigChecks.topic("llm-cost.prices-topic", topic);
      return this;
    }

    /** Replaces the whole price table (the shipped one included). */
    public Builder prices(Map<String, LlmPrice> table) {
      requireNonNull(table, "prices");
      table.forEach(EnrichmentConfig::checkPrice);
      prices.clear();
      prices.putAll(table);
      return this;
    }

    /** Adds (or replaces) the price of one model. */
    public Builder price(String model, LlmPrice price) {
      checkPrice(model, price);
      prices.put(model, price);
      return this;
    }

    public EnrichmentConfig build() {
      return new EnrichmentConfig(staticAttributes, overwriteStaticAttributes, servicesEnabled, servicesTopic,
          k8sEnabled, k8sTopic, llmCostEnabled, pricesTopic, prices);
    }
  }
}
