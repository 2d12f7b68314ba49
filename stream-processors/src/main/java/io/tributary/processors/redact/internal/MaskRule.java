package io.tributary.processors.redact.internal;

import io.tributary.processors.redact.BuiltInPattern;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value pattern: a cheap pre-check (on the value's {@link ValueFacts}) that rules out values the pattern cannot match (no regex
 * work for them), the precompiled pattern, and a check of each match (e.g. Luhn) before it is
 * replaced by {@code [REDACTED:<name>]}.
 */
final class MaskRule {

  /** Checks a match {@code value[start, end)} before it is masked. */
  interface MatchCheck {
    MatchCheck ANY = (value, start, end) -> new int[] {start, end};

    /** The part of the match to mask ({@code {start, end}}), or null to keep the match. */
    int[] accept(CharSequence value, int start, int end);

    /** A yes/no check of the whole match. */
    static MatchCheck whole(Predicate predicate) {
      return (value, start, end) -> predicate.test(value, start, end) ? new int[] {start, end} : null;
    }

    interface Predicate {
      boolean test(CharSequence value, int start, int end);
    }
  }

  private final String name;
  private final String mask;
  /** The built-in pattern whose pre-check applies, or null: every value is searched (custom patterns). */
  private final BuiltInPattern preCheck;
  private final Pattern pattern;
  private final MatchCheck check;
  private final LongAdder counter;

  MaskRule(String name, BuiltInPattern preCheck, Pattern pattern, MatchCheck check, LongAdder counter) {
    this.name = name;
    this.mask = "[REDACTED:" + name + "]";
    this.preCheck = preCheck;
    this.pattern = pattern;
    this.check = check;
    this.counter = counter;
  }

  String name() {
    return name;
  }

  /** The same rule with a pre-check that lets every value through (tests compare the two). */
  MaskRule withoutPreCheck() {
    return new MaskRule(name, null, pattern, check, counter);
  }

  /**
   * {@code value} with every accepted match masked; the same instance when nothing matched.
   * {@code facts} are those of {@code value}.
   */
  String apply(String value, ValueFacts facts) {
    if (preCheck != null && !facts.mightContain(preCheck)) {
      return value;
    }
    Matcher matcher = pattern.matcher(value);
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    while (from <= value.length() && matcher.find(from)) {
      int start = matcher.start();
      int[] masked = matcher.end() > start ? check.accept(value, start, matcher.end()) : null;
      if (masked == null) {
        // A rejected match may hide a valid one starting inside it (a card after an order number).
        from = start + 1;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(value.length());
      }
      out.append(value, copied, masked[0]).append(mask);
      copied = masked[1];
      from = masked[1];
      counter.increment();
    }
    if (out == null) {
      return value;
    }
    return out.append(value, copied, value.length()).toString();
  }
}
