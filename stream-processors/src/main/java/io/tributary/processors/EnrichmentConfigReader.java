package io.tributary.processors;

import static io.tributary.processors.PipelineConfigReader.describe;
import static io.tributary.processors.PipelineConfigReader.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.enrich.LlmPrice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code enrichment:} section into an {@link EnrichmentConfig}. */
final class EnrichmentConfigReader {

  static final String STATIC = "static";
  static final String ATTRIBUTES = "attributes";
  static final String OVERWRITE = "overwrite";
  static final String SERVICES = "services";
  static final String LLM_COST = "llm-cost";
  static final String ENABLED = "enabled";
  static final String TOPIC = "topic";
  static final String PRICES_TOPIC = "prices-topic";
  static final String PRICES = "prices";
  static final String INPUT = "input";
  static final String OUTPUT = "output";
  static final List<String> ENRICHMENT_KEYS = List.of(STATIC, SERVICES, LLM_COST);
  static final List<String> STATIC_KEYS = List.of(ATTRIBUTES, OVERWRITE);
  static final List<String> SERVICES_KEYS = List.of(ENABLED, TOPIC);
  static final List<String> LLM_COST_KEYS = List.of(ENABLED, PRICES_TOPIC, PRICES);
  static final List<String> PRICE_KEYS = List.of(INPUT, OUTPUT);

  static final String ATTRIBUTES_EXPECTED = "a mapping of attribute keys to strings, numbers or booleans";
  static final String PRICES_EXPECTED = "a mapping of model names to {input: <USD per million tokens>, output: <USD per million tokens>}";

  private final ConfigValues values;

  EnrichmentConfigReader(ConfigValues values) {
    this.values = values;
  }

  /** The section at {@code where}; the defaults when absent; null after a problem. */
  EnrichmentConfig read(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return EnrichmentConfig.getDefault();
    }
    int before = values.problemCount();
    if (!values.section(node, where, ENRICHMENT_KEYS)) {
      return null;
    }
    EnrichmentConfig.Builder builder = EnrichmentConfig.builder();

    String staticWhere = path(where, STATIC);
    JsonNode staticNode = node.get(STATIC);
    if (values.section(staticNode, staticWhere, STATIC_KEYS) && staticNode != null && !staticNode.isNull()) {
      staticAttributes(staticNode.get(ATTRIBUTES), path(staticWhere, ATTRIBUTES), where, builder);
      values.set(where, builder::overwriteStaticAttributes, values.bool(staticNode.get(OVERWRITE), path(staticWhere, OVERWRITE)));
    }

    String servicesWhere = path(where, SERVICES);
    JsonNode services = node.get(SERVICES);
    if (values.section(services, servicesWhere, SERVICES_KEYS) && services != null && !services.isNull()) {
      values.set(where, builder::servicesEnabled, values.bool(services.get(ENABLED), path(servicesWhere, ENABLED)));
      values.set(where, builder::servicesTopic, values.text(services.get(TOPIC), path(servicesWhere, TOPIC)));
    }

    String costWhere = path(where, LLM_COST);
    JsonNode cost = node.get(LLM_COST);
    if (values.section(cost, costWhere, LLM_COST_KEYS) && cost != null && !cost.isNull()) {
      values.set(where, builder::llmCostEnabled, values.bool(cost.get(ENABLED), path(costWhere, ENABLED)));
      values.set(where, builder::pricesTopic, values.text(cost.get(PRICES_TOPIC), path(costWhere, PRICES_TOPIC)));
      Map<String, LlmPrice> prices = prices(cost.get(PRICES), path(costWhere, PRICES));
      if (prices != null) {
        values.set(where, builder::prices, prices);
      }
    }
    if (values.problemCount() > before) {
      return null;
    }
    return values.attempt(where, builder::build);
  }

  private void staticAttributes(JsonNode node, String where, String parent, EnrichmentConfig.Builder builder) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      values.problem(Problems.format(where, describe(node), ATTRIBUTES_EXPECTED));
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      Object typed = scalar(value);
      if (typed == null) {
        values.problem(Problems.format(path(where, field.getKey()), describe(value), EnrichmentConfig.STATIC_VALUE_EXPECTED));
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
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      values.problem(Problems.format(where, describe(node), PRICES_EXPECTED));
      return null;
    }
    Map<String, LlmPrice> prices = new LinkedHashMap<>();
    boolean valid = true;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String modelWhere = path(where, field.getKey());
      JsonNode price = field.getValue();
      if (price == null || !price.isObject()) {
        values.problem(Problems.format(modelWhere, describe(price), "a mapping with keys: " + String.join(", ", PRICE_KEYS)));
        valid = false;
        continue;
      }
      if (!values.section(price, modelWhere, PRICE_KEYS)) {
        valid = false;
        continue;
      }
      Double input = required(price, modelWhere, INPUT);
      Double output = required(price, modelWhere, OUTPUT);
      LlmPrice parsed = input == null || output == null ? null
          : values.attempt(modelWhere, () -> new LlmPrice(input, output));
      if (parsed == null) {
        valid = false;
      } else {
        prices.put(field.getKey(), parsed);
      }
    }
    return valid ? prices : null;
  }

  private Double required(JsonNode price, String where, String key) {
    if (price.get(key) == null || price.get(key).isNull()) {
      values.problem(path(where, key) + ": missing (expected: " + LlmPrice.PRICE_EXPECTED + ")");
      return null;
    }
    return values.number(price.get(key), path(where, key));
  }
}
