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
   * Whether {@code pattern} might match a value with these facts: false only when it cannot. One
   * switch rather than a predicate object per rule, so the check stays a direct, inlined call.
   */
  boolean mightContain(BuiltInPattern pattern) {
    return switch (pattern) {
      case JWT -> hasEyJ;
      case BEARER -> mentionsBearer;
      case GCP_API_KEY -> hasAIza;
      case AWS_ACCESS_KEY -> longestUpperOrDigitRun >= 20;
      case AWS_SECRET_KEY -> longestBase64Run >= 40;
      case EMAIL -> hasAt;
      case CARD -> longestCardRun >= 13 && digits >= 13;
      case IPV6 -> colons >= 2;
      case IPV4 -> digitDotDigits >= 3;
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
