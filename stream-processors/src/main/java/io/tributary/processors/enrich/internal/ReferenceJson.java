package io.tributary.processors.enrich.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.processors.enrich.Enrichment;
import io.tributary.processors.enrich.LlmPrice;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.KeyValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON values of the reference topics, as operators write them (e.g. with kcat): a service's
 * attributes as a JSON object, an LLM price as {@code {"input": 2.5, "output": 10, "cache-read": 1.25}}. Each read
 * throws {@link IllegalArgumentException} saying what is wrong.
 */
public final class ReferenceJson {

  public static final String SERVICE_EXPECTED = "a JSON object of attributes, e.g. {\"team\":\"payments\",\"tier\":1}";
  public static final String POD_EXPECTED = "a JSON object of resource attributes, e.g. {\"k8s.pod.name\":\"checkout-5f7c9-x2x4q\"}";
  public static final String PRICE_EXPECTED =
      "a JSON object {\"input\": <USD per million input tokens>, \"output\": <USD per million output tokens>}"
      + " with optional \"cache-read\", \"cache-creation\", \"reasoning\" rates";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ReferenceJson() {}

  /**
   * A service's attributes, each key prefixed with {@value Enrichment#SERVICE_ATTRIBUTE_PREFIX}.
   * Strings, booleans, integers (as longs) and other numbers (as doubles) keep their type; a nested
   * object's keys are joined with dots ({@code {"oncall":{"slack":"#pay"}}} becomes
   * {@code tributary.service.oncall.slack}); an array becomes an array value; nulls are left out.
   */
  public static List<KeyValue> serviceAttributes(byte[] json) {
    JsonNode root = read(json, SERVICE_EXPECTED);
    if (!root.isObject()) {
      throw new IllegalArgumentException(describe(root) + " (expected: " + SERVICE_EXPECTED + ")");
    }
    List<KeyValue> attributes = new ArrayList<>();
    flatten(Enrichment.SERVICE_ATTRIBUTE_PREFIX, root, attributes);
    return List.copyOf(attributes);
  }

  /** A pod's resource attributes, named as written (as {@link #serviceAttributes}, without a prefix). */
  public static List<KeyValue> podAttributes(byte[] json) {
    JsonNode root = read(json, POD_EXPECTED);
    if (!root.isObject()) {
      throw new IllegalArgumentException(describe(root) + " (expected: " + POD_EXPECTED + ")");
    }
    List<KeyValue> attributes = new ArrayList<>();
    flatten("", root, attributes);
    return List.copyOf(attributes);
  }

  /**
   * An LLM price: input and output required, the cache and reasoning rates optional, nothing else
   * allowed (a typo must not read as a free model).
   */
  public static LlmPrice price(byte[] json) {
    JsonNode root = read(json, PRICE_EXPECTED);
    if (!root.isObject()) {
      throw new IllegalArgumentException(describe(root) + " (expected: " + PRICE_EXPECTED + ")");
    }
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!LlmPrice.KEYS.contains(field.getKey())) {
        throw new IllegalArgumentException("unknown key '" + field.getKey() + "' (expected: " + PRICE_EXPECTED + ")");
      }
      if (!field.getValue().isNumber()) {
        throw new IllegalArgumentException(field.getKey() + ": " + field.getValue() + " is not a number (expected: "
            + PRICE_EXPECTED + ")");
      }
    }
    if (root.get(LlmPrice.INPUT) == null || root.get(LlmPrice.OUTPUT) == null) {
      throw new IllegalArgumentException("input and output must both be numbers (expected: " + PRICE_EXPECTED + ")");
    }
    return new LlmPrice(root.get(LlmPrice.INPUT).doubleValue(), root.get(LlmPrice.OUTPUT).doubleValue(),
        rate(root, LlmPrice.CACHE_READ), rate(root, LlmPrice.CACHE_CREATION), rate(root, LlmPrice.REASONING));
  }

  private static Double rate(JsonNode price, String key) {
    JsonNode rate = price.get(key);
    return rate == null ? null : rate.doubleValue();
  }

  private static JsonNode read(byte[] json, String expected) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || root.isMissingNode()) {
        throw new IllegalArgumentException("empty value (expected: " + expected + ")");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + " (expected: " + expected + ")", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable: " + e.getMessage(), e);
    }
  }

  private static void flatten(String prefix, JsonNode object, List<KeyValue> out) {
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String key = prefix + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key + ".", value, out);
      } else if (!value.isNull()) {
        out.add(new KeyValue(key, value(value)));
      }
    }
  }

  private static AnyValue value(JsonNode node) {
    if (node.isTextual()) {
      return new AnyValue(node.textValue());
    }
    if (node.isBoolean()) {
      return new AnyValue(node.booleanValue());
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return new AnyValue(node.longValue());
    }
    if (node.isNumber()) {
      return new AnyValue(node.doubleValue());
    }
    if (node.isArray()) {
      List<AnyValue> values = new ArrayList<>(node.size());
      for (JsonNode element : node) { // objects inside arrays stay JSON text: there is no key to flatten them under
        values.add(element.isNull() ? new AnyValue(null) : element.isObject() ? new AnyValue(element.toString()) : value(element));
      }
      return new AnyValue(new ArrayValue(values));
    }
    return new AnyValue(node.toString());
  }

  private static String describe(JsonNode node) {
    return node.isArray() ? "a JSON array" : node.isTextual() ? "a JSON string" : node.isNumber() ? "a JSON number"
        : node.isBoolean() ? "a JSON boolean" : node.isNull() ? "JSON null" : "a JSON value";
  }
}
