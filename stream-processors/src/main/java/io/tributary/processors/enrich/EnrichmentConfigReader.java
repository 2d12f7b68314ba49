package io.tributary.processors.enrich;

import static io.tributary.processors.internal.ConfigValues.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.processors.internal.ConfigValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Reads the {@code enrichment:} section into an {@link EnrichmentConfig}. */
public final class EnrichmentConfigReader {

  static final String STATIC = "static";
  static final String ATTRIBUTES = "attributes";
  static final String OVERWRITE = "overwrite";
  static final String SERVICES = "services";
  static final String K8S = "k8s";
  static final String LLM_COST = "llm-cost";
  static final String ENABLED = "enabled";
  static final String TOPIC = "topic";
  static final String PRICES_TOPIC = "prices-topic";
  static final String PRICES = "prices";
  static final List<String> ENRICHMENT_KEYS = List.of(STATIC, SERVICES, K8S, LLM_COST);
  static final List<String> STATIC_KEYS = List.of(ATTRIBUTES, OVERWRITE);
  static final List<String> SERVICES_KEYS = List.of(ENABLED, TOPIC);
  static final List<String> K8S_KEYS = List.of(ENABLED, TOPIC);
  static final List<String> LLM_COST_KEYS = List.of(ENABLED, PRICES_TOPIC, PRICES);

  static final String ATTRIBUTES_EXPECTED = "a mapping of attribute keys to strings, numbers or booleans";
  static final String PRICES_EXPECTED = "a mapping of model names to {input: <USD per million tokens>, output: <USD per million tokens>}"
      + " (optionally also cache-read, cache-creation, reasoning)";

  private final ConfigValues values;

  public EnrichmentConfigReader(ConfigValues values) {
    this.values = values;
  }

  /** The section at {@code where}; the defaults when absent; null after a problem. */
  public EnrichmentConfig read(JsonNode node, String where) {
    return values.section(node, where, ENRICHMENT_KEYS, EnrichmentConfig.getDefault(), () -> readKeys(node, where));
  }

  private Supplier<EnrichmentConfig> readKeys(JsonNode node, String where) {
    EnrichmentConfig.Builder builder = EnrichmentConfig.builder();

    String staticWhere = path(where, STATIC);
    JsonNode staticNode = node.get(STATIC);
    if (values.present(staticNode, staticWhere, STATIC_KEYS)) {
      staticAttributes(staticNode.get(ATTRIBUTES), path(staticWhere, ATTRIBUTES), where, builder);
      values.set(where, builder::overwriteStaticAttributes,
          values.bool(staticNode.get(OVERWRITE), path(staticWhere, OVERWRITE)));
    }

    String servicesWhere = path(where, SERVICES);
    JsonNode services = node.get(SERVICES);
    if (values.present(services, servicesWhere, SERVICES_KEYS)) {
      values.set(where, builder::servicesEnabled, values.bool(services.get(ENABLED), path(servicesWhere, ENABLED)));
      values.set(where, builder::servicesTopic, values.text(services.get(TOPIC), path(servicesWhere, TOPIC)));
    }

    String k8sWhere = path(where, K8S);
    JsonNode k8s = node.get(K8S);
    if (values.present(k8s, k8sWhere, K8S_KEYS)) {
      values.set(where, builder::k8sEnabled, values.bool(k8s.get(ENABLED), path(k8sWhere, ENABLED)));
      values.set(where, builder::k8sTopic, values.text(k8s.get(TOPIC), path(k8sWhere, TOPIC)));
    }

    String costWhere = path(where, LLM_COST);
    JsonNode cost = node.get(LLM_COST);
    if (values.present(cost, costWhere, LLM_COST_KEYS)) {
      values.set(where, builder::llmCostEnabled, values.bool(cost.get(ENABLED), path(costWhere, ENABLED)));
      values.set(where, builder::pricesTopic, values.text(cost.get(PRICES_TOPIC), path(costWhere, PRICES_TOPIC)));
      values.set(where, builder::prices, prices(cost.get(PRICES), path(costWhere, PRICES)));
    }
    return builder::build;
  }

  private void staticAttributes(JsonNode node, String where, String parent, EnrichmentConfig.Builder builder) {
    if (!values.hasMapping(node, where, ATTRIBUTES_EXPECTED)) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      Object typed = scalar(value);
      if (typed == null) {
        values.unexpected(value, path(where, field.getKey()), EnrichmentConfig.STATIC_VALUE_EXPECTED);
      } else {
        values.attempt(parent, () -> builder.staticAttribute(field.getKey(), typed));
      }
    }
  }

  /** A YAML scalar with its type (integers as Long, other numbers as Double); null for anything else. */
  private static Object scalar(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    return null;
  }

  /** The price table; null when absent or invalid. */
  private Map<String, LlmPrice> prices(JsonNode node, String where) {
    if (!values.hasMapping(node, where, PRICES_EXPECTED)) {
      return null;
    }
    Map<String, LlmPrice> prices = new LinkedHashMap<>();
    boolean valid = true;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String modelWhere = path(where, field.getKey());
      JsonNode price = field.getValue();
      int problemsBefore = values.problemCount();
      if (!values.settings(price, modelWhere, LlmPrice.KEYS)) {
        valid = false;
        continue;
      }
      Double input = required(price, modelWhere, LlmPrice.INPUT);
      Double output = required(price, modelWhere, LlmPrice.OUTPUT);
      Double cacheRead = optional(price, modelWhere, LlmPrice.CACHE_READ);
      Double cacheCreation = optional(price, modelWhere, LlmPrice.CACHE_CREATION);
      Double reasoning = optional(price, modelWhere, LlmPrice.REASONING);
      LlmPrice parsed = input == null || output == null || values.problemCount() > problemsBefore ? null
          : values.attempt(modelWhere, () -> new LlmPrice(input, output, cacheRead, cacheCreation, reasoning));
      if (parsed == null) {
        valid = false;
      } else {
        prices.put(field.getKey(), parsed);
      }
    }
    return valid ? prices : null;
  }

  /** An optional rate: null when absent (or not a number, which is reported). */
  private Double optional(JsonNode price, String where, String key) {
    return values.number(price.get(key), path(where, key));
  }

  private Double required(JsonNode price, String where, String key) {
    return values.required(price, where, key, LlmPrice.PRICE_EXPECTED)
        ? values.number(price.get(key), path(where, key)) : null;
  }
}
