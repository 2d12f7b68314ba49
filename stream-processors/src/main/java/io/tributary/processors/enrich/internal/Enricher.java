package io.tributary.processors.enrich.internal;

import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.enrich.GenAiAttributes;
import io.tributary.processors.enrich.LlmPrice;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.topics.PodReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches records in place: static resource attributes, the service's and the Kubernetes pod's
 * reference attributes, and the LLM cost from token counts. One per stream task (its caches are not thread-safe). Reference
 * lookups return the raw JSON of a key or null; a parsed value is cached per key and reused while
 * the raw bytes stay the same, so a new reference record takes effect on the next record. Never
 * throws on content: unreadable reference values count as absent.
 */
public final class Enricher {

  public static final String SERVICE_NAME = "service.name";
  public static final String INPUT_TOKENS = GenAiAttributes.INPUT_TOKENS;
  public static final String OUTPUT_TOKENS = GenAiAttributes.OUTPUT_TOKENS;
  /** Parts of the input and output counts, priced at their own rates when the price has them. */
  public static final String CACHE_READ_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  public static final String CACHE_CREATION_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
  public static final String REASONING_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  /** Older names some instrumentations still send; the current name wins when both are there. */
  static final String PROMPT_TOKENS = GenAiAttributes.PROMPT_TOKENS;
  static final String COMPLETION_TOKENS = GenAiAttributes.COMPLETION_TOKENS;
  static final String OLD_CACHE_READ_TOKENS = "gen_ai.usage.cache_read_input_tokens";
  static final String OLD_CACHE_CREATION_TOKENS = "gen_ai.usage.cache_creation_input_tokens";
  static final String OLD_REASONING_TOKENS = "gen_ai.usage.reasoning_tokens";
  public static final String RESPONSE_MODEL = GenAiAttributes.RESPONSE_MODEL;
  public static final String REQUEST_MODEL = GenAiAttributes.REQUEST_MODEL;
  static final String COST = SamplingConfig.DEFAULT_COST_ATTRIBUTE;

  private static final Logger log = LoggerFactory.getLogger(Enricher.class);
  private static final int MAX_CACHED = 10_000;
  private static final int MAX_LOGGED_MODELS = 100;

  private final EnrichmentConfig config;
  private final EnrichmentCounters counters;
  private final List<KeyValue> staticAttributes;
  private final Function<String, byte[]> services;
  private final Function<String, byte[]> pods;
  private final Function<String, byte[]> priceOverrides;
  private final ParsedCache<List<KeyValue>> serviceCache = new ParsedCache<>();
  private final ParsedCache<List<KeyValue>> podCache = new ParsedCache<>();
  private final ParsedCache<LlmPrice> priceCache = new ParsedCache<>();
  private final Set<String> loggedModels = new HashSet<>();

  /**
   * @param services service key -> raw JSON, or null when service enrichment is off
   * @param pods pod key ({@link PodReference}) -> raw JSON, or null when Kubernetes enrichment is off
   * @param priceOverrides model -> raw JSON price, or null when there are no live overrides
   */
  public Enricher(EnrichmentConfig config, EnrichmentCounters counters, Function<String, byte[]> services,
      Function<String, byte[]> pods, Function<String, byte[]> priceOverrides) {
    this.config = config;
    this.counters = counters;
    List<KeyValue> attributes = new ArrayList<>();
    config.staticAttributes().forEach((key, value) -> attributes.add(new KeyValue(key, new AnyValue(value))));
    this.staticAttributes = List.copyOf(attributes); // shared by every record: never mutated downstream
    this.services = services;
    this.pods = pods;
    this.priceOverrides = priceOverrides;
  }

  /** @param clientAddress the address the gateway received the record from, or null */
  public <T> T enrich(T record, RecordShape<T> shape, String clientAddress) {
    Resource resource = shape.resource(record);
    Resource enriched = enrichedResource(resource, shape.tenant(record), clientAddress);
    if (enriched != resource) {
      shape.resource(record, enriched);
    }
    price(record, shape);
    return record;
  }

  /**
   * Enriches the records of one request in place. Records that share a resource object (the
   * normalizer shares one per OTLP resource) and tenant get one enriched resource, merged and
   * looked up once, and a service match is counted once for them.
   */
  public <T> List<T> enrichAll(List<T> records, RecordShape<T> shape, String clientAddress) {
    Resource resourceIn = null;
    Resource resourceOut = null;
    String tenantIn = null;
    for (int i = 0; i < records.size(); i++) {
      T record = records.get(i);
      Resource resource = shape.resource(record);
      String tenant = shape.tenant(record);
      if (resource != resourceIn || !Objects.equals(tenant, tenantIn)) {
        resourceIn = resource;
        tenantIn = tenant;
        resourceOut = enrichedResource(resource, tenant, clientAddress);
      }
      if (resourceOut != resource) {
        shape.resource(record, resourceOut);
      }
      price(record, shape);
    }
    return records;
  }

  /** The resource with static, service and pod attributes; the same instance when nothing changes. */
  private Resource enrichedResource(Resource resource, String tenant, String clientAddress) {
    List<KeyValue> before = resource.getAttributes();
    List<KeyValue> after = merge(before, staticAttributes, config.overwriteStaticAttributes());
    if (services != null) {
      List<KeyValue> serviceAttributes = serviceAttributes(tenant, before);
      if (serviceAttributes != null) {
        counters.serviceMatches.increment();
        after = merge(after, serviceAttributes, true); // the reference topic is authoritative
      }
    }
    if (pods != null) {
      List<KeyValue> podAttributes = podAttributes(before, clientAddress);
      if (podAttributes != null) {
        counters.podMatches.increment();
        after = merge(after, podAttributes, false); // what the sender (or its agent) knew of its pod stands
      }
    }
    return after == before ? resource : new Resource(after, resource.getDroppedAttributesCount(), resource.getSchemaUrl());
  }

  private <T> void price(T record, RecordShape<T> shape) {
    if (config.llmCostEnabled() && shape.priced()) {
      List<KeyValue> attributes = shape.attributes(record);
      List<KeyValue> priced = withCost(attributes);
      if (priced != attributes) {
        shape.attributes(record, priced);
      }
    }
  }

  /** The service's attributes: {@code <tenant>/<service.name>} first, then {@code <service.name>}; null if neither. */
  private List<KeyValue> serviceAttributes(String tenant, List<KeyValue> resource) {
    Object name = value(resource, SERVICE_NAME);
    if (!(name instanceof String service) || service.isEmpty()) {
      return null;
    }
    List<KeyValue> attributes = tenant == null ? null : serviceCache.get(tenant + "/" + service, services,
        ReferenceJson::serviceAttributes);
    return attributes != null ? attributes : serviceCache.get(service, services, ReferenceJson::serviceAttributes);
  }

  /**
   * The pod's attributes: by {@code k8s.pod.uid}, else {@code k8s.pod.ip}; by the client address only
   * when the resource names no pod (it is then the sender's own address; when the resource names one,
   * the sender is often an agent relaying for it, and the agent's pod would be wrong). Null if unknown.
   */
  private List<KeyValue> podAttributes(List<KeyValue> resource, String clientAddress) {
    Object uid = value(resource, PodReference.POD_UID);
    Object ip = value(resource, PodReference.POD_IP);
    List<KeyValue> attributes = null;
    if (uid instanceof String u && !u.isEmpty()) {
      attributes = podCache.get(PodReference.uidKey(u), pods, ReferenceJson::podAttributes);
    }
    if (attributes == null && ip instanceof String i && !i.isEmpty()) {
      attributes = podCache.get(PodReference.ipKey(i), pods, ReferenceJson::podAttributes);
    }
    if (attributes == null && uid == null && ip == null && clientAddress != null && !clientAddress.isEmpty()) {
      attributes = podCache.get(PodReference.ipKey(clientAddress), pods, ReferenceJson::podAttributes);
    }
    return attributes;
  }

  private List<KeyValue> withCost(List<KeyValue> attributes) {
    Long input = null;
    Long output = null;
    Long cacheRead = null;
    Long cacheCreation = null;
    Long reasoning = null;
    String responseModel = null;
    String requestModel = null;
    for (int i = 0; i < attributes.size(); i++) {
      KeyValue kv = attributes.get(i);
      Object value = kv.getValue() == null ? null : kv.getValue().getValue();
      switch (kv.getKey()) {
        case COST -> {
          return attributes; // the sender priced it: keep theirs
        }
        case INPUT_TOKENS -> input = tokens(value, input, true);
        case PROMPT_TOKENS -> input = tokens(value, input, false);
        case OUTPUT_TOKENS -> output = tokens(value, output, true);
        case COMPLETION_TOKENS -> output = tokens(value, output, false);
        case CACHE_READ_TOKENS -> cacheRead = tokens(value, cacheRead, true);
        case OLD_CACHE_READ_TOKENS -> cacheRead = tokens(value, cacheRead, false);
        case CACHE_CREATION_TOKENS -> cacheCreation = tokens(value, cacheCreation, true);
        case OLD_CACHE_CREATION_TOKENS -> cacheCreation = tokens(value, cacheCreation, false);
        case REASONING_TOKENS -> reasoning = tokens(value, reasoning, true);
        case OLD_REASONING_TOKENS -> reasoning = tokens(value, reasoning, false);
        case RESPONSE_MODEL -> responseModel = value instanceof String s && !s.isEmpty() ? s : responseModel;
        case REQUEST_MODEL -> requestModel = value instanceof String s && !s.isEmpty() ? s : requestModel;
        default -> { }
      }
    }
    if (input == null && output == null) {
      return attributes; // not an LLM call
    }
    String model = responseModel != null ? responseModel : requestModel;
    LlmPrice price = model == null ? null : price(model);
    if (price == null) {
      counters.llmUnknownModels.increment();
      logUnknown(model);
      return attributes;
    }
    List<KeyValue> priced = new ArrayList<>(attributes.size() + 1);
    priced.addAll(attributes);
    double usd = price.costUsd(orZero(input), orZero(output), orZero(cacheRead), orZero(cacheCreation), orZero(reasoning));
    priced.add(new KeyValue(COST, new AnyValue(usd)));
    counters.llmCosts.increment();
    return priced;
  }

  /**
   * The price of {@code model}: the exact name, else the longest prefix ending before a '-'
   * ({@code gpt-4o-2024-08-06} -> {@code gpt-4o}); at each length a live override beats the file.
   */
  LlmPrice price(String model) {
    String candidate = model;
    while (true) {
      LlmPrice price = priceOverrides == null ? null : priceCache.get(candidate, priceOverrides, ReferenceJson::price);
      if (price == null) {
        price = config.prices().get(candidate);
      }
      if (price != null) {
        return price;
      }
      int dash = candidate.lastIndexOf('-');
      if (dash <= 0) {
        return null;
      }
      candidate = candidate.substring(0, dash);
    }
  }

  private void logUnknown(String model) {
    String name = model == null ? "(none)" : model;
    if (loggedModels.size() < MAX_LOGGED_MODELS && loggedModels.add(name)) {
      log.warn("No LLM price for model {}: its spans and log records get no {} (counted as unknown models). "
          + "Add it to enrichment.llm-cost.prices or write it to topic {}.", name, COST, config.pricesTopic());
    }
  }

  /** Token counts as sent ({@link GenAiAttributes#tokenCount}); the current names win over the old ones. */
  private static Long tokens(Object value, Long current, boolean currentName) {
    if (current != null && !currentName) {
      return current;
    }
    Long tokens = GenAiAttributes.tokenCount(value);
    return tokens != null ? tokens : current;
  }

  private static long orZero(Long tokens) {
    return tokens == null ? 0 : tokens;
  }

  private static Object value(List<KeyValue> attributes, String key) {
    for (int i = 0; i < attributes.size(); i++) {
      KeyValue kv = attributes.get(i);
      if (kv.getKey().equals(key)) {
        return kv.getValue() == null ? null : kv.getValue().getValue();
      }
    }
    return null;
  }

  /**
   * {@code existing} with {@code additions}: a key already there is replaced in place when
   * {@code overwrite}, else kept; new keys are appended. The same list when nothing changed.
   */
  static List<KeyValue> merge(List<KeyValue> existing, List<KeyValue> additions, boolean overwrite) {
    List<KeyValue> result = null;
    for (KeyValue addition : additions) {
      List<KeyValue> current = result == null ? existing : result;
      int at = indexOf(current, addition.getKey());
      if (at >= 0 && (!overwrite || addition.getValue().equals(current.get(at).getValue()))) {
        continue;
      }
      if (result == null) {
        result = new ArrayList<>(existing.size() + additions.size());
        result.addAll(existing);
      }
      if (at >= 0) {
        result.set(at, addition);
      } else {
        result.add(addition);
      }
    }
    return result == null ? existing : result;
  }

  private static int indexOf(List<KeyValue> attributes, String key) {
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** Parsed reference values by key, valid while the raw bytes stay the same. */
  private static final class ParsedCache<V> {

    private record Entry<V>(byte[] raw, V parsed) {}

    private final Map<String, Entry<V>> entries = new HashMap<>();

    V get(String key, Function<String, byte[]> lookup, Function<byte[], V> parse) {
      byte[] raw = lookup.apply(key);
      if (raw == null) {
        return null;
      }
      Entry<V> entry = entries.get(key);
      if (entry == null || !Arrays.equals(entry.raw, raw)) {
        V parsed;
        try {
          parsed = parse.apply(raw);
        } catch (IllegalArgumentException e) {
          parsed = null; // logged and counted when the record was read (or restored unchecked): absent
        }
        if (entries.size() >= MAX_CACHED) {
          entries.clear();
        }
        entry = new Entry<>(raw, parsed);
        entries.put(key, entry);
      }
      return entry.parsed;
    }
  }
}
