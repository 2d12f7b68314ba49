package io.tributary.processors.redact.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.redact.BuiltInPattern;
import io.tributary.processors.redact.RedactionRules;
import io.tributary.processors.internal.Counters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each built-in pattern: what it masks, and look-alikes it must leave alone. */
class BuiltInMasksTest {

  private final Counters counters = new Counters();
  private final Redactor redactor = new Redactor(RedactionRules.getDefault(), counters);

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "email | mail alice.smith+tag@mail.example.co.uk now | mail [REDACTED:email] now",
      "email | <bob@example.com>, | <[REDACTED:email]>,",
      "email | john@example.com-old | [REDACTED:email]-old",
      "card | paid with 4111 1111 1111 1111 today | paid with [REDACTED:card] today",
      "card | 4111-1111-1111-1111 | [REDACTED:card]",
      "card | pan=4111111111111111; | pan=[REDACTED:card];",
      "card | amex 378282246310005 | amex [REDACTED:card]",
      "card | amex 3782 822463 10005 | amex [REDACTED:card]",
      "card | 5555555555554444 and 6011111111111117 | [REDACTED:card] and [REDACTED:card]",
      "card | ref 1234 4111 1111 1111 1111 | ref 1234 [REDACTED:card]",
      "card | amex 3782 822463 10005 123 | amex [REDACTED:card] 123",
      "card | 4111 1111 1111 1111 5555-5555-5555-4444 | [REDACTED:card] [REDACTED:card]",
      "card | 4111 1111 1111 1111 123 | [REDACTED:card] 123",
      "card | 6212 3456 7890 1234 569 | [REDACTED:card]",
      "card | 4111 1111 1111 1111 56 9 | [REDACTED:card] 56 9",
      "card | 41111111111111110000 then 4111111111111111 | 41111111111111110000 then [REDACTED:card]",
      "jwt | token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk | token=[REDACTED:jwt]",
      "bearer | Authorization: Bearer abc.DEF-123_~+/== | Authorization: [REDACTED:bearer]",
      "bearer | bearer   token123 x | [REDACTED:bearer] x",
      "bearer | Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig | Bearer [REDACTED:jwt]",
      "aws-access-key | key AKIAIOSFODNN7EXAMPLE used | key [REDACTED:aws-access-key] used",
      "aws-access-key | ASIAY34FZKBOKMUTVV7A | [REDACTED:aws-access-key]",
      "aws-secret-key | secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | secret=[REDACTED:aws-secret-key]",
      "gcp-api-key | key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe& | key=[REDACTED:gcp-api-key]&",
      "ipv4 | from 192.168.1.20. | from [REDACTED:ipv4].",
      "ipv4 | 10.0.0.1:8080 | [REDACTED:ipv4]:8080",
      "ipv6 | peer 2001:db8::ff00:42:8329 up | peer [REDACTED:ipv6] up",
      "ipv6 | 2001:0db8:85a3:0000:0000:8a2e:0370:7334 | [REDACTED:ipv6]",
      "ipv6 | fe80::1%eth0 | [REDACTED:ipv6]",
      "ipv6 | [::1]:8080 | [[REDACTED:ipv6]]:8080",
      "ipv6 | ::ffff:192.0.2.1 | [REDACTED:ipv6]",
      "ipv6 | 64:ff9b::192.0.2.33 | [REDACTED:ipv6]",
  })
  void shouldMask(String pattern, String input, String expected) {
    assertThat(redactor.mask(input)).isEqualTo(expected);
    assertThat(counters.redactions()).containsEntry("mask:" + pattern, (long) (expected.split("REDACTED:" + pattern, -1).length - 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "order 4111111111111112 (fails Luhn)",
      "id 1234567890123456",
      "ts 1700000000000000018",            // 19 digits starting with 1: a timestamp, not a card
      "run 41111111111111110000",          // 20 digits: not a card
      "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
      "path /api/v1/orders/ABCdef123/items/XYZ456",
      "version 1.2.3 and 1.2.3.4.5 and 999.1.1.1",
      "at 12:30:45 on 2026-01-02T10:20:30.123Z",
      "std::string Foo::bar a::b Abc::Def ::",
      "mac 00:1a:2b:3c:4d:5e",
      "user@localhost and @handle",
      "eyJ alone, AIza alone, AKIA alone",
      "a bearer of news",
      "uuid 123e4567-e89b-12d3-a456-426614174000",
      "",
  })
  void shouldLeaveLookAlikesAlone(String input) {
    assertThat(redactor.mask(input)).isSameAs(input);
    assertThat(counters.redactions().values()).containsOnly(0L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4111111111111111", "5555555555554444", "378282246310005", "6011111111111117",
      "4111 1111 1111 1111", "2223003122003222"})
  void shouldAcceptLuhnValidCardNumbers(String number) {
    assertThat(BuiltInMasks.isCardNumber(number, 0, number.length())).isTrue();
    assertThat(BuiltInMasks.cardNumberIn(number, 0, number.length())).containsExactly(0, number.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"4111111111111112", "1111111111111117", "7111111111111119", "411111111111"})
  void shouldRejectOtherDigitRuns(String number) {
    assertThat(BuiltInMasks.isCardNumber(number, 0, number.length())).isFalse();
    assertThat(BuiltInMasks.cardNumberIn(number, 0, number.length())).isNull();
  }

  @ParameterizedTest
  @CsvSource({"email, alice@example.com", "ipv4, 10.1.2.3", "card, 4111111111111111"})
  void shouldKeepAPatternTurnedOff(String name, String value) {
    BuiltInPattern pattern = java.util.Arrays.stream(BuiltInPattern.values())
        .filter(p -> p.configName().equals(name)).findFirst().orElseThrow();
    Redactor without = new Redactor(RedactionRules.builder().pattern(pattern, false).build(), new Counters());

    assertThat(without.mask(value)).isEqualTo(value);
    assertThat(redactor.mask(value)).isEqualTo("[REDACTED:" + name + "]");
  }

  @org.junit.jupiter.api.Test
  void shouldMaskARepeatedValueEveryTimeAndRememberOnlyCleanOnes() {
    String clean = new String("GET /api/cart 10.0.1"); // equal, not identical, strings: as read from records
    String secret = "client 10.0.1.7";

    for (int i = 0; i < 3; i++) {
      String copy = new String(clean);
      assertThat(redactor.mask(copy)).isSameAs(copy);
      assertThat(redactor.mask(new String(secret))).isEqualTo("client [REDACTED:ipv4]");
    }
    assertThat(counters.redactions()).containsEntry("mask:ipv4", 3L);
  }
}
