package io.tributary.processors.internal.redact;

import io.tributary.processors.BuiltInPattern;

/**
 * What the pre-checks of {@link BuiltInMasks} need to know about one value, gathered in a single
 * pass without allocation: every rule then asks these facts instead of scanning the value again.
 */
final class ValueFacts {

  boolean hasEyJ;
  boolean hasAIza;
  boolean mentionsBearer;
  boolean hasAt;
  int digits;
  int colons;
  /** Dots with a digit right before and right after: an IPv4 address has three. */
  int digitDotDigits;
  /** The longest run of digits, spaces and dashes: a card number, however grouped, lies in one. */
  int longestCardRun;
  int longestUpperOrDigitRun;
  int longestBase64Run;

  private ValueFacts() {}

  static ValueFacts of(String value) {
    ValueFacts facts = new ValueFacts();
    int length = value.length();
    int upperOrDigitRun = 0;
    int base64Run = 0;
    int cardRun = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean upper = c >= 'A' && c <= 'Z';
      boolean lower = c >= 'a' && c <= 'z';
      if (digit || upper) {
        facts.longestUpperOrDigitRun = Math.max(facts.longestUpperOrDigitRun, ++upperOrDigitRun);
      } else {
        upperOrDigitRun = 0;
      }
      if (digit || upper || lower || c == '/' || c == '+') {
        facts.longestBase64Run = Math.max(facts.longestBase64Run, ++base64Run);
      } else {
        base64Run = 0;
      }
      if (digit || c == ' ' || c == '-') {
        facts.longestCardRun = Math.max(facts.longestCardRun, ++cardRun);
      } else {
        cardRun = 0;
      }
      if (digit) {
        facts.digits++;
        continue;
      }
      switch (c) {
        case ':' -> facts.colons++;
        case '.' -> {
          if (i > 0 && i + 1 < length && isDigit(value.charAt(i - 1)) && isDigit(value.charAt(i + 1))) {
            facts.digitDotDigits++;
          }
        }
        case '@' -> facts.hasAt = true;
        case 'e' -> facts.hasEyJ |= value.startsWith("yJ", i + 1);
        case 'A' -> facts.hasAIza |= value.startsWith("Iza", i + 1);
        case 'b', 'B' -> facts.mentionsBearer |= value.regionMatches(true, i, "bearer", 0, 6);
        default -> { }
      }
    }
    return facts;
  }

  /**
   * Whether {@code pattern} might match a value with these facts: false only when it cannot.
   */
  boolean mightContain(BuiltInPattern pattern) {
    return (candidates() & bit(pattern)) != 0;
  }

  /** The bit of {@code pattern} in {@link #candidates()}. */
  static int bit(BuiltInPattern pattern) {
    return 1 << pattern.ordinal();
  }

  /**
   * The patterns that might match, one {@link #bit} each: most values have none, and then no rule
   * needs to look at them at all.
   */
  int candidates() {
    int bits = 0;
    if (hasEyJ) {
      bits |= bit(BuiltInPattern.JWT);
    }
    if (mentionsBearer) {
      bits |= bit(BuiltInPattern.BEARER);
    }
    if (hasAIza) {
      bits |= bit(BuiltInPattern.GCP_API_KEY);
    }
    if (longestUpperOrDigitRun >= 20) {
      bits |= bit(BuiltInPattern.AWS_ACCESS_KEY);
    }
    if (longestBase64Run >= 40) {
      bits |= bit(BuiltInPattern.AWS_SECRET_KEY);
    }
    if (hasAt) {
      bits |= bit(BuiltInPattern.EMAIL);
    }
    if (longestCardRun >= 13 && digits >= 13) {
      bits |= bit(BuiltInPattern.CARD);
    }
    if (colons >= 2) {
      bits |= bit(BuiltInPattern.IPV6);
    }
    if (digitDotDigits >= 3) {
      bits |= bit(BuiltInPattern.IPV4);
    }
    return bits;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
