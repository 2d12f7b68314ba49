package io.tributary.processors.redact.internal;

import io.tributary.processors.redact.BuiltInPattern;
import io.tributary.processors.redact.RedactionRules;
import io.tributary.processors.internal.Counters;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SpanStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies {@link RedactionRules} to Avro telemetry: drops and hashes attributes by key, masks
 * values by pattern, at every depth of nested values, in resource, scope, span, event, link, log
 * and metric point (and exemplar) attributes, in log bodies, and (masks only) in span status
 * messages. Every redaction increments its rule's counter; no value is ever logged.
 *
 * <p>The record passed in is changed in place (each belongs to one Kafka record), but its
 * {@link Resource} and {@link InstrumentationScope}, which the normalizer shares between the
 * records of one request, are replaced, never modified. Attribute lists and values are copied only
 * when something in them changes. A metric point whose labels or resource changed gets its
 * {@link StableIds#seriesId series id} recomputed, so the id never derives from a redacted value.
 *
 * <p>Thread-safe; precompiles everything at construction.
 */
public final class Redactor {

  private static final HexFormat HEX = HexFormat.of();
  private static final String HMAC = "HmacSHA256";

  private final KeyRules keyRules;
  private final MaskRule[] maskRules;
  /** {@link ValueFacts#bit}s of the enabled built-in patterns. */
  private final int enabledBuiltIns;
  private final boolean hasCustomPatterns;
  private final ThreadLocal<Mac> mac;
  /**
   * Values that some pattern might match but that needed no masking (versions, user agents, code
   * locations), direct-mapped by hash: telemetry repeats them endlessly, and an equal string masks
   * the same way. Shared by
   * threads without locking: a slot only ever holds a clean value, and strings are immutable.
   */
  private final String[] cleanValues = new String[CLEAN_VALUE_SLOTS];
  private static final int CLEAN_VALUE_SLOTS = 4096;
  private static final int MAX_CLEAN_VALUE_LENGTH = 256;

  public Redactor(RedactionRules rules, Counters counters) {
    this.keyRules = new KeyRules(rules, counters);
    List<MaskRule> masks = new ArrayList<>();
    for (BuiltInPattern pattern : BuiltInPattern.values()) { // the enum's order is the masking order
      if (rules.patterns().contains(pattern)) {
        masks.add(BuiltInMasks.rule(pattern, counters.redaction("mask:" + pattern.configName())));
      }
    }
    for (RedactionRules.CustomPattern custom : rules.customPatterns()) {
      masks.add(new MaskRule(custom.name(), null, Pattern.compile(custom.regex()), MaskRule.MatchCheck.ANY,
          counters.redaction("mask:" + custom.name())));
    }
    this.maskRules = masks.toArray(MaskRule[]::new);
    int builtIns = 0;
    for (BuiltInPattern pattern : rules.patterns()) {
      builtIns |= ValueFacts.bit(pattern);
    }
    this.enabledBuiltIns = builtIns;
    this.hasCustomPatterns = !rules.customPatterns().isEmpty();
    byte[] salt = rules.hmacSalt().orElse(null);
    this.mac = salt == null ? null : ThreadLocal.withInitial(() -> newMac(salt));
  }

  private static Mac newMac(byte[] salt) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(salt, HMAC));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + HMAC, e);
    }
  }

  public Span redact(Span span) {
    redactOwnFields(span);
    span.setResource(resource(span.getResource()));
    span.setScope(scope(span.getScope()));
    return span;
  }

  /**
   * Redacts the spans of one request in place. Their resources and scopes, which the normalizer
   * shares between the spans of one resource/scope, are redacted once per distinct object, and
   * those spans then share the redacted one; a redaction there is counted once.
   */
  public List<Span> redactSpans(List<Span> spans) {
    Resource resourceIn = null;
    Resource resourceOut = null;
    InstrumentationScope scopeIn = null;
    InstrumentationScope scopeOut = null;
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      redactOwnFields(span);
      if (span.getResource() != resourceIn) {
        resourceIn = span.getResource();
        resourceOut = resource(resourceIn);
      }
      span.setResource(resourceOut);
      if (span.getScope() != scopeIn) {
        scopeIn = span.getScope();
        scopeOut = scope(scopeIn);
      }
      span.setScope(scopeOut);
    }
    return spans;
  }

  /** Attributes, events, links and status message: what belongs to the span alone. */
  private void redactOwnFields(Span span) {
    span.setAttributes(attributes(span.getAttributes()));
    List<SpanEvent> events = span.getEvents();
    for (int i = 0; i < events.size(); i++) {
      SpanEvent event = events.get(i);
      event.setAttributes(attributes(event.getAttributes()));
    }
    List<SpanLink> links = span.getLinks();
    for (int i = 0; i < links.size(); i++) {
      SpanLink link = links.get(i);
      link.setAttributes(attributes(link.getAttributes()));
    }
    SpanStatus status = span.getStatus();
    if (status.getMessage() != null) {
      String message = mask(status.getMessage());
      if (message != status.getMessage()) {
        span.setStatus(new SpanStatus(status.getCode(), message));
      }
    }
  }

  public LogRecord redact(LogRecord log) {
    log.setBody(value(log.getBody()));
    log.setAttributes(attributes(log.getAttributes()));
    log.setResource(resource(log.getResource()));
    log.setScope(scope(log.getScope()));
    return log;
  }

  public MetricPoint redact(MetricPoint point) {
    List<KeyValue> attributes = attributes(point.getAttributes());
    Resource resource = resource(point.getResource());
    boolean seriesChanged = attributes != point.getAttributes() || resource != point.getResource();
    point.setAttributes(attributes);
    point.setResource(resource);
    point.setScope(scope(point.getScope()));
    List<Exemplar> exemplars = point.getExemplars();
    for (int i = 0; i < exemplars.size(); i++) {
      Exemplar exemplar = exemplars.get(i);
      exemplar.setFilteredAttributes(attributes(exemplar.getFilteredAttributes()));
    }
    if (seriesChanged) {
      point.setSeriesId(StableIds.seriesId(point));
    }
    return point;
  }

  /** {@code text} with every enabled pattern masked; the same instance when nothing matched. */
  public String mask(String text) {
    ValueFacts facts = ValueFacts.of(text);
    if (!hasCustomPatterns && (facts.candidates() & enabledBuiltIns) == 0) {
      return text; // most values: no enabled pattern can match, no rule needs to look
    }
    int slot = text.length() <= MAX_CLEAN_VALUE_LENGTH ? text.hashCode() & (CLEAN_VALUE_SLOTS - 1) : -1;
    if (slot >= 0 && text.equals(cleanValues[slot])) {
      return text;
    }
    String result = applyRules(text, facts);
    if (result == text && slot >= 0) {
      cleanValues[slot] = text;
    }
    return result;
  }

  /** Every rule in order, each on the text the rules before it left. */
  private String applyRules(String text, ValueFacts textFacts) {
    String result = text;
    ValueFacts facts = textFacts;
    for (MaskRule rule : maskRules) {
      if (facts == null) {
        facts = ValueFacts.of(result);
      }
      String masked = rule.apply(result, facts);
      if (masked != result) { // rare: the next rules need the facts of the masked text
        result = masked;
        facts = null;
      }
    }
    return result;
  }

  private Resource resource(Resource resource) {
    List<KeyValue> attributes = attributes(resource.getAttributes());
    return attributes == resource.getAttributes() ? resource
        : new Resource(attributes, resource.getDroppedAttributesCount(), resource.getSchemaUrl());
  }

  private InstrumentationScope scope(InstrumentationScope scope) {
    List<KeyValue> attributes = attributes(scope.getAttributes());
    return attributes == scope.getAttributes() ? scope
        : new InstrumentationScope(scope.getName(), scope.getVersion(), attributes, scope.getDroppedAttributesCount(),
            scope.getSchemaUrl());
  }

  /** The redacted list; the same instance when no entry changed. */
  List<KeyValue> attributes(List<KeyValue> attributes) {
    List<KeyValue> copy = null;
    for (int i = 0; i < attributes.size(); i++) {
      KeyValue kv = attributes.get(i);
      KeyValue redacted = entry(kv);
      if (redacted != kv && copy == null) {
        copy = new ArrayList<>(attributes.size());
        copy.addAll(attributes.subList(0, i));
      }
      if (copy != null && redacted != null) {
        copy.add(redacted);
      }
    }
    return copy == null ? attributes : copy;
  }

  /** The redacted entry, the same instance if unchanged, or null when dropped. */
  private KeyValue entry(KeyValue kv) {
    KeyRules.Decision decision = keyRules.decide(kv.getKey());
    switch (decision.action()) {
      case DROP -> {
        decision.counter().increment();
        return null;
      }
      case HASH -> {
        if (kv.getValue() == null || kv.getValue().getValue() == null) {
          return kv; // nothing to hide
        }
        decision.counter().increment();
        return new KeyValue(kv.getKey(), new AnyValue(hash(kv.getValue().getValue())));
      }
      default -> {
        AnyValue value = value(kv.getValue());
        return value == kv.getValue() ? kv : new KeyValue(kv.getKey(), value);
      }
    }
  }

  /** Masks strings, recursing into arrays and key/value lists; the same instance when unchanged. */
  AnyValue value(AnyValue value) {
    if (value == null) {
      return null;
    }
    Object v = value.getValue();
    if (v instanceof String s) {
      String masked = mask(s);
      return masked == s ? value : new AnyValue(masked);
    }
    if (v instanceof ArrayValue array) {
      List<AnyValue> values = array.getValues();
      List<AnyValue> copy = null;
      for (int i = 0; i < values.size(); i++) {
        AnyValue element = values.get(i);
        AnyValue redacted = value(element);
        if (redacted != element && copy == null) {
          copy = new ArrayList<>(values);
        }
        if (copy != null) {
          copy.set(i, redacted);
        }
      }
      return copy == null ? value : new AnyValue(new ArrayValue(copy));
    }
    if (v instanceof KeyValueList list) {
      List<KeyValue> entries = attributes(list.getValues());
      return entries == list.getValues() ? value : new AnyValue(new KeyValueList(entries));
    }
    return value; // booleans, numbers and bytes are left as they are
  }

  /** HMAC-SHA256 in lowercase hex: equal inputs give equal outputs, so hashed ids still join. */
  private String hash(Object value) {
    Mac hmac = mac.get();
    if (value instanceof ByteBuffer bytes) {
      hmac.update(bytes.duplicate());
    } else {
      // Strings as themselves; other types by their text (Avro's JSON for arrays and lists).
      hmac.update(value.toString().getBytes(StandardCharsets.UTF_8));
    }
    return HEX.formatHex(hmac.doFinal());
  }
}
