package io.tributary.processors.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RedactionRulesTest {

  private static final String SALT = "a-salt-of-twenty-chars";

  @Test
  void shouldShipDefaultsThatDropGenAiContentAndMaskEveryBuiltInPattern() {
    RedactionRules rules = RedactionRules.getDefault();

    assertThat(rules.mode()).isEqualTo(RedactionMode.MASK);
    assertThat(rules.dropKeys()).containsExactlyElementsOf(RedactionRules.DEFAULT_DROP_KEYS)
        .contains("gen_ai.prompt", "gen_ai.prompt.*", "gen_ai.completion", "gen_ai.completion.*",
            "http.request.header.authorization", "http.request.header.cookie");
    assertThat(rules.patterns()).isEqualTo(EnumSet.allOf(BuiltInPattern.class));
    assertThat(rules.hashKeys()).isEmpty();
    assertThat(rules.hmacSalt()).isEmpty();
  }

  @Test
  void shouldAddConfiguredDropKeysToTheDefaultsUnlessTheyAreTurnedOff() {
    assertThat(RedactionRules.builder().addDropKeys("User.Password").build().dropKeys())
        .endsWith("user.password").hasSize(RedactionRules.DEFAULT_DROP_KEYS.size() + 1);
    assertThat(RedactionRules.builder().defaultDropKeys(false).addDropKeys("x").build().dropKeys())
        .containsExactly("x");
  }

  @Test
  void shouldRejectInvalidKeysWhenSet() {
    assertThatThrownBy(() -> RedactionRules.builder().addDropKeys("a*b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dropKey: 'a*b' (expected: an attribute key, or a key prefix ending in '*' such as gen_ai.prompt.*)");
    assertThatThrownBy(() -> RedactionRules.builder().addHashKeys("*"))
        .hasMessage("hashKey: '*' (expected: an attribute key, or a key prefix ending in '*' such as gen_ai.prompt.*)");
    assertThatThrownBy(() -> RedactionRules.builder().addAllowKeys(" "))
        .hasMessage("allowKey: ' ' (expected: an attribute key, or a key prefix ending in '*' such as gen_ai.prompt.*)");
  }

  @Test
  void shouldRejectInvalidCustomPatternsWhenSet() {
    assertThatThrownBy(() -> RedactionRules.builder().addCustomPattern("x", "("))
        .hasMessage("regex: '(' (expected: a valid Java regular expression; Unclosed group near index 1)");
    assertThatThrownBy(() -> RedactionRules.builder().addCustomPattern("x", "a?"))
        .hasMessage("regex: 'a?' (expected: a regular expression that does not match the empty string)");
    assertThatThrownBy(() -> RedactionRules.builder().addCustomPattern("Bad", "a"))
        .hasMessage("name: 'Bad' (expected: lowercase letters, digits, '-' or '_', at most 64, starting with a letter)");
    assertThatThrownBy(() -> RedactionRules.builder().addCustomPattern("card", "a"))
        .hasMessage("name: 'card' (expected: a name other than the built-in patterns' (one of jwt, bearer, "
            + "gcp-api-key, aws-access-key, aws-secret-key, email, card, ipv6, ipv4))");
    assertThatThrownBy(() -> RedactionRules.builder().addCustomPattern("x", "a").addCustomPattern("x", "b"))
        .hasMessage("name: 'x' (expected: a name not used by another custom pattern)");
  }

  @Test
  void shouldRejectAShortSaltWithoutPrintingIt() {
    assertThatThrownBy(() -> RedactionRules.builder().hmacSalt("hunter2"))
        .hasMessage("hmacSalt: 7 characters (expected: a secret of at least 16 characters)")
        .message().doesNotContain("hunter2");
  }

  @Test
  void shouldCheckTheCombinationOnBuild() {
    assertThatThrownBy(() -> RedactionRules.builder().addHashKeys("user.id").build())
        .hasMessage("hmacSalt: not set (expected: a secret of at least 16 characters when hash keys are set)");
    assertThatThrownBy(() -> RedactionRules.builder().mode(RedactionMode.ALLOW_LIST).build())
        .hasMessage("allowKeys: [] (expected: at least one key in allow-list mode)");
    assertThatThrownBy(() -> RedactionRules.builder().addAllowKeys("service.name").build())
        .hasMessage("allowKeys: [service.name] (expected: no allow keys unless the mode is allow-list)");
  }

  @Test
  void shouldParseModesCaseInsensitively() {
    assertThat(RedactionMode.forValue("Allow-List")).isEqualTo(RedactionMode.ALLOW_LIST);
    assertThatThrownBy(() -> RedactionMode.forValue("strict"))
        .hasMessage("mode: 'strict' (expected: one of mask, allow-list)");
  }

  @Test
  void shouldHideTheSaltAndRoundTripThroughItsBuilder() {
    RedactionRules rules = RedactionRules.builder().addHashKeys("user.id").hmacSalt(SALT)
        .pattern(BuiltInPattern.IPV4, false).addCustomPattern("ticket", "T-[0-9]+").build();

    assertThat(rules.toString()).contains("hmacSalt=***").doesNotContain(SALT);
    assertThat(rules.toBuilder().build()).isEqualTo(rules);
    assertThat(rules.hmacSalt()).get().isEqualTo(SALT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(rules.patterns()).doesNotContain(BuiltInPattern.IPV4);
  }
}
