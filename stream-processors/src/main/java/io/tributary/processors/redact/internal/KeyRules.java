package io.tributary.processors.redact.internal;

import io.tributary.processors.redact.RedactionMode;
import io.tributary.processors.redact.RedactionRules;
import io.tributary.processors.internal.Counters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides per attribute key whether it is dropped, hashed or kept. Keys repeat endlessly in
 * telemetry, so decisions are cached (bounded: beyond {@value #MAX_CACHED_KEYS} distinct keys they
 * are computed each time).
 */
final class KeyRules {

  static final int MAX_CACHED_KEYS = 10_000;

  enum Action { KEEP, DROP, HASH }

  /** What to do with a key, and the counter of the rule that said so ({@code null} for KEEP). */
  record Decision(Action action, LongAdder counter) {}

  private static final Decision KEEP = new Decision(Action.KEEP, null);

  private record KeyRule(String key, boolean prefix, Decision decision) {
    boolean matches(String lowerCaseKey) {
      return prefix ? lowerCaseKey.startsWith(key) : lowerCaseKey.equals(key);
    }
  }

  private final List<KeyRule> drop = new ArrayList<>();
  private final List<KeyRule> hash = new ArrayList<>();
  private final List<KeyRule> allow = new ArrayList<>();
  private final Decision notAllowed;
  private final ConcurrentMap<String, Decision> cache = new ConcurrentHashMap<>();

  KeyRules(RedactionRules rules, Counters counters) {
    for (String key : rules.dropKeys()) {
      drop.add(rule(key, new Decision(Action.DROP, counters.redaction("drop:" + key))));
    }
    for (String key : rules.hashKeys()) {
      hash.add(rule(key, new Decision(Action.HASH, counters.redaction("hash:" + key))));
    }
    for (String key : rules.allowKeys()) {
      allow.add(rule(key, KEEP));
    }
    notAllowed = rules.mode() == RedactionMode.ALLOW_LIST
        ? new Decision(Action.DROP, counters.redaction("allow-list"))
        : KEEP;
  }

  private static KeyRule rule(String key, Decision decision) {
    boolean prefix = key.endsWith("*");
    return new KeyRule(prefix ? key.substring(0, key.length() - 1) : key, prefix, decision);
  }

  Decision decide(String key) {
    Decision cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Decision decision = compute(key.toLowerCase(Locale.ROOT));
    if (cache.size() < MAX_CACHED_KEYS) {
      cache.putIfAbsent(key, decision);
    }
    return decision;
  }

  private Decision compute(String key) {
    for (KeyRule rule : drop) {
      if (rule.matches(key)) {
        return rule.decision();
      }
    }
    for (KeyRule rule : hash) {
      if (rule.matches(key)) {
        return rule.decision();
      }
    }
    for (KeyRule rule : allow) {
      if (rule.matches(key)) {
        return KEEP;
      }
    }
    return notAllowed;
  }
}
