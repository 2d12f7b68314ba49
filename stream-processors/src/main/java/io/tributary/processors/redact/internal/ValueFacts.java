package io.tributary.processors.redact.internal;

import io.tributary.processors.redact.BuiltInPattern;

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
  private int candidates;

  private ValueFacts() {}

  private static final int DIGIT = 1;
  private static final int UPPER = 2;
  private static final int LOWER = 4;
  /** '/' and '+': base64 beyond letters and digits. */
  private static final int BASE64 = 8;
  /** ' ' and '-': card number separators. */
  private static final int CARD_SEPARATOR = 16;
  /** Characters some fact looks at on their own. */
  private static final int SPECIAL = 32;
  /** The classes of the ASCII characters: one table lookup per character instead of a chain of tests. */
  private static final byte[] CLASSES = new byte[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      CLASSES[c] = DIGIT;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      CLASSES[c] = UPPER;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      CLASSES[c] = LOWER;
    }
    CLASSES['/'] = BASE64;
    CLASSES['+'] = BASE64;
    CLASSES[' '] = CARD_SEPARATOR;
    CLASSES['-'] = CARD_SEPARATOR;
    for (char c : new char[] {':', '.', '@', 'e', 'A', 'b', 'B'}) {
      CLASSES[c] |= SPECIAL;
    }
  }

  static ValueFacts of(String value) {
    ValueFacts facts = new ValueFacts();
    int length = value.length();
    // Runs are counted per character; the longest is only taken where a run ends (and at the end).
    int upperOrDigitRun = 0;
    int base64Run = 0;
    int cardRun = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      int k = c < 128 ? CLASSES[c] : 0;
      if ((k & (DIGIT | UPPER)) != 0) {
        upperOrDigitRun++;
      } else if (upperOrDigitRun > 0) {
        facts.longestUpperOrDigitRun = Math.max(facts.longestUpperOrDigitRun, upperOrDigitRun);
        upperOrDigitRun = 0;
      }
      if ((k & (DIGIT | UPPER | LOWER | BASE64)) != 0) {
        base64Run++;
      } else if (base64Run > 0) {
        facts.longestBase64Run = Math.max(facts.longestBase64Run, base64Run);
        base64Run = 0;
      }
      if ((k & (DIGIT | CARD_SEPARATOR)) != 0) {
        cardRun++;
      } else if (cardRun > 0) {
        facts.longestCardRun = Math.max(facts.longestCardRun, cardRun);
        cardRun = 0;
      }
      if ((k & DIGIT) != 0) {
        facts.digits++;
      } else if ((k & SPECIAL) != 0) {
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
    }
    facts.longestUpperOrDigitRun = Math.max(facts.longestUpperOrDigitRun, upperOrDigitRun);
    facts.longestBase64Run = Math.max(facts.longestBase64Run, base64Run);
    facts.longestCardRun = Math.max(facts.longestCardRun, cardRun);
    facts.candidates = facts.computeCandidates();
    return facts;
  }

  /**
   * Whether {@code pattern} might match a value with these facts: false only when it cannot.
   */
  boolean mightContain(BuiltInPattern pattern) {
    return (candidates & bit(pattern)) != 0;
  }

  /** The bit of {@code pattern} in {@link #candidates()}. */
  static int bit(BuiltInPattern pattern) {
    return 1 << pattern.ordinal();
  }

  /**
   * The patterns that might match, one {@link #bit} each: most values have none, and then no rule
   * needs to look at them at all. Computed once, when the facts are gathered.
   */
  int candidates() {
    return candidates;
  }

  private int computeCandidates() {
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
