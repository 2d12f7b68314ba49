package io.tributary.processors.redact.internal;

import static io.tributary.processors.redact.internal.MaskRule.MatchCheck.ANY;
import static io.tributary.processors.redact.internal.MaskRule.MatchCheck.whole;

import io.tributary.processors.redact.BuiltInPattern;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * The patterns behind {@link BuiltInPattern}: each with a pre-check on the {@link ValueFacts} of
 * the value (one pass over it, shared by all rules), so values that cannot match never reach the
 * regex engine.
 */
final class BuiltInMasks {

  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final String IPV4 = "(?:" + OCTET + "\\.){3}" + OCTET;
  private static final String H = "[0-9A-Fa-f]{1,4}";
  private static final String IPV6 = "(?:"
      + "(?:" + H + ":){7}" + H
      + "|(?:" + H + ":){1,4}:" + IPV4                       // embedded IPv4
      + "|::(?:[Ff]{4}(?::0{1,4})?:)?" + IPV4                // IPv4-mapped
      + "|(?:" + H + ":){1,7}:"
      + "|(?:" + H + ":){1,6}:" + H
      + "|(?:" + H + ":){1,5}(?::" + H + "){1,2}"
      + "|(?:" + H + ":){1,4}(?::" + H + "){1,3}"
      + "|(?:" + H + ":){1,3}(?::" + H + "){1,4}"
      + "|(?:" + H + ":){1,2}(?::" + H + "){1,5}"
      + "|" + H + ":(?::" + H + "){1,6}"
      + "|:(?::" + H + "){1,7}"                              // ::1 and friends (a bare "::" is not an address)
      + ")(?:%[0-9A-Za-z]+)?";

  static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*+\\.[A-Za-z0-9_-]++\\.[A-Za-z0-9_-]*+");
  static final Pattern BEARER = Pattern.compile("(?i)\\bbearer\\s++[A-Za-z0-9._~+/-]++=*+");
  static final Pattern GCP_API_KEY = Pattern.compile("AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])");
  static final Pattern AWS_ACCESS_KEY = Pattern.compile(
      "(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])");
  static final Pattern AWS_SECRET_KEY = Pattern.compile("(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
  static final Pattern EMAIL = Pattern.compile(
      "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}");
  /**
   * Plain, or in the printed groupings with one space or dash: 4-4-4-4 (16 digits, optionally a
   * 19-digit 4-4-4-4-3) and 4-6-5 / 4-6-4 (Amex, Diners). Only these, so that numbers written next
   * to a card are not taken for part of it.
   */
  static final Pattern CARD = Pattern.compile("(?<![0-9])(?:[0-9]{13,19}"
      + "|[0-9]{4}([ -])[0-9]{4}\\1[0-9]{4}\\1[0-9]{4}(?:\\1[0-9]{3})?"
      + "|[0-9]{4}([ -])[0-9]{6}\\2[0-9]{4,5})(?![0-9])");
  static final Pattern IPV6_ADDRESS = Pattern.compile("(?<![0-9A-Za-z:])" + IPV6 + "(?![0-9A-Za-z:])");
  static final Pattern IPV4_ADDRESS = Pattern.compile("(?<![0-9.])" + IPV4 + "(?![0-9]|\\.[0-9])");

  private BuiltInMasks() {}

  static MaskRule rule(BuiltInPattern pattern, LongAdder counter) {
    String name = pattern.configName();
    return switch (pattern) {
      case JWT -> new MaskRule(name, pattern, JWT, ANY, counter);
      case BEARER -> new MaskRule(name, pattern, BEARER, whole(BuiltInMasks::looksLikeToken), counter);
      case GCP_API_KEY -> new MaskRule(name, pattern, GCP_API_KEY, ANY, counter);
      case AWS_ACCESS_KEY -> new MaskRule(name, pattern, AWS_ACCESS_KEY, ANY, counter);
      case AWS_SECRET_KEY -> new MaskRule(name, pattern, AWS_SECRET_KEY,
          whole(BuiltInMasks::looksSecret), counter);
      case EMAIL -> new MaskRule(name, pattern, EMAIL, ANY, counter);
      case CARD -> new MaskRule(name, pattern, CARD,
          BuiltInMasks::cardNumberIn, counter);
      case IPV6 -> new MaskRule(name, pattern, IPV6_ADDRESS, whole(BuiltInMasks::hasDigit), counter);
      case IPV4 -> new MaskRule(name, pattern, IPV4_ADDRESS, ANY, counter);
    };
  }

  /**
   * The card number in a match. A 4-4-4-4-3 match is first tried as the 16-digit card followed by
   * another number, the far more common case; showing the last three digits of a rare 19-digit card
   * is the lesser harm than masking a number that is not part of a card.
   */
  static int[] cardNumberIn(CharSequence value, int start, int end) {
    int sixteenDigits = start + 19; // "dddd dddd dddd dddd"
    if (end == start + 23 && !Character.isDigit(value.charAt(start + 4)) && isCardNumber(value, start, sixteenDigits)) {
      return new int[] {start, sixteenDigits};
    }
    return isCardNumber(value, start, end) ? new int[] {start, end} : null;
  }

  /** Luhn-valid, 13-19 digits, issued by a major network (first digit 2-6). */
  static boolean isCardNumber(CharSequence value, int start, int end) {
    int digits = 0;
    int sum = 0;
    char first = 0;
    for (int i = end - 1; i >= start; i--) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (digits % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      digits++;
      first = c;
    }
    return digits >= 13 && digits <= 19 && first >= '2' && first <= '6' && sum % 10 == 0;
  }

  /** Secret-looking: mixed upper case, lower case and digits, and not a path. */
  static boolean looksSecret(CharSequence value, int start, int end) {
    if (value.charAt(start) == '/') {
      return false;
    }
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper && lower && digit;
  }

  /**
   * The word after "bearer" is a credential, not prose ("a bearer of news"): at least 8 characters,
   * with a digit or a symbol in them.
   */
  static boolean looksLikeToken(CharSequence value, int start, int end) {
    int tokenStart = start + "bearer".length();
    while (tokenStart < end && Character.isWhitespace(value.charAt(tokenStart))) {
      tokenStart++;
    }
    if (end - tokenStart < 8) {
      return false;
    }
    for (int i = tokenStart; i < end; i++) {
      char c = value.charAt(i);
      if (!Character.isLetter(c)) {
        return true;
      }
    }
    return false;
  }

  /** Real addresses have digits; {@code Abc::Def} (a Ruby constant, a C++ name) has none. */
  static boolean hasDigit(CharSequence value, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }
}
