package io.tributary.processors;

import static io.tributary.processors.PipelineFiles.FILE;
import static io.tributary.processors.PipelineFiles.NO_ENV;
import static io.tributary.processors.PipelineFiles.parse;
import static io.tributary.processors.PipelineFiles.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.processors.redact.BuiltInPattern;
import io.tributary.processors.redact.RedactionMode;
import io.tributary.processors.redact.RedactionRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineConfigTest {

  private static final String SALT = "a-salt-of-twenty-chars";
  private static final String KEY_EXPECTED =
      "(expected: an attribute key, or a key prefix ending in '*' such as gen_ai.prompt.*)";
  private static final String BUILT_IN_NAMES =
      "one of jwt, bearer, gcp-api-key, aws-access-key, aws-secret-key, email, card, ipv6, ipv4";

  @Test
  void shouldShipADocumentedFileThatEqualsTheDefaults() throws IOException {
    try (InputStream in = PipelineConfig.class.getResourceAsStream(PipelineConfig.SHIPPED_RESOURCE)) {
      assertThat(in).as(PipelineConfig.SHIPPED_RESOURCE).isNotNull();
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);

      assertThat(parse(yaml)).isEqualTo(PipelineConfig.getDefault());
    }
  }

  @Test
  void shouldTakeTheDefaultsForAnEmptyFileOrSection() {
    assertThat(parse("")).isEqualTo(PipelineConfig.getDefault());
    assertThat(parse("redaction:\n")).isEqualTo(PipelineConfig.getDefault());
  }

  @Test
  void shouldReadEveryKey() {
    String yaml = """
        redaction:
          mode: allow-list
          default-drop-keys: false
          drop-keys: [user.password, 'secret.*']
          hash-keys: [user.id]
          allow-keys: [service.name, 'http.*']
          patterns: {ipv4: false, email: true}
          custom:
            - {name: employee-id, regex: 'EMP-[0-9]{6}'}
          hmac-salt-env: MY_SALT
        """;

    PipelineConfig config = PipelineConfig.parse(yaml, FILE, Map.of("MY_SALT", SALT)::get);

    assertThat(config.redaction()).isEqualTo(RedactionRules.builder()
        .mode(RedactionMode.ALLOW_LIST).defaultDropKeys(false).addDropKeys("user.password", "secret.*")
        .addHashKeys("user.id").addAllowKeys("service.name", "http.*").pattern(BuiltInPattern.IPV4, false)
        .addCustomPattern("employee-id", "EMP-[0-9]{6}").hmacSalt(SALT).build());
  }

  @Test
  void shouldNameTheFileWhenLoadingOne(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "redaction: {mode: strict}\n");

    assertThatThrownBy(() -> PipelineConfig.load(file, NO_ENV))
        .isInstanceOf(PipelineConfigException.class)
        .hasMessage("Invalid pipeline configuration " + file + ":\n"
            + "  - redaction.mode: 'strict' (expected: one of mask, allow-list)");
  }

  @Test
  void shouldReportInvalidYamlWithItsLine() {
    assertThat(problems("redaction:\n  mode: [unclosed\n")).singleElement().asString()
        .startsWith("line 2, column ").contains("while parsing a flow sequence: expected ',' or ']'")
        .endsWith(" (expected: valid YAML)").doesNotContain("\n");
    assertThat(problems("redaction:\n  mode: mask\n  mode: allow-list\n")).singleElement().asString()
        .startsWith("line 3, column ").contains("Duplicate field 'mode'").endsWith("(expected: valid YAML)");
  }

  @Test
  void shouldReportUnknownKeysAtEveryLevel() {
    assertThat(problems("redactions: {}\nredaction: {drop-key: [a]}\n")).containsExactly(
        "redactions: unknown key (expected: one of redaction, sampling, enrichment, span-metrics, service-graph, cardinality, otlp-output)",
        "redaction.drop-key: unknown key (expected: one of mode, default-drop-keys, drop-keys, hash-keys, allow-keys, "
            + "patterns, custom, hmac-salt-env)");
    assertThat(problems("redaction: {custom: [{name: a, regex: b, flags: i}]}")).containsExactly(
        "redaction.custom[0].flags: unknown key (expected: one of name, regex)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "- a | (top level): a list (expected: a mapping with keys: redaction, sampling, enrichment, span-metrics, service-graph, cardinality, otlp-output)",
      "redaction: 5 | redaction: 5 (expected: a mapping with keys: mode, default-drop-keys, drop-keys, hash-keys, allow-keys, patterns, custom, hmac-salt-env)",
      "redaction: {mode: strict} | redaction.mode: 'strict' (expected: one of mask, allow-list)",
      "redaction: {mode: [a]} | redaction.mode: a list (expected: one of mask, allow-list)",
      "redaction: {default-drop-keys: maybe} | redaction.default-drop-keys: 'maybe' (expected: true or false)",
      "redaction: {drop-keys: gen_ai.x} | redaction.drop-keys: 'gen_ai.x' (expected: a list of attribute keys)",
      "redaction: {hash-keys: {a: b}} | redaction.hash-keys: a mapping (expected: a list of attribute keys)",
      "redaction: {patterns: [email]} | redaction.patterns: a list (expected: a mapping of built-in pattern names to true or false)",
      "redaction: {patterns: {email: 'yes'}} | redaction.patterns.email: 'yes' (expected: true or false)",
      "redaction: {custom: {name: a}} | redaction.custom: a mapping (expected: a list of mappings with keys name and regex)",
      "redaction: {custom: [abc]} | redaction.custom[0]: 'abc' (expected: a mapping with keys name and regex)",
      "redaction: {custom: [{name: a, regex: 5}]} | redaction.custom[0].regex: 5 (expected: a Java regular expression)",
      "redaction: {custom: [{name: a, regex: 'a*'}]} | redaction.custom[0].regex: 'a*' (expected: a regular expression that does not match the empty string)",
      "redaction: {custom: [{name: Bad Name, regex: a}]} | redaction.custom[0].name: 'Bad Name' (expected: lowercase letters, digits, '-' or '_', at most 64, starting with a letter)",
      "redaction: {hmac-salt-env: not a name} | redaction.hmac-salt-env: 'not a name' (expected: the name of an environment variable, such as TRIBUTARY_HMAC_SALT)",
      "redaction: {mode: allow-list} | redaction.allow-keys: [] (expected: at least one key in allow-list mode)",
      "redaction: {allow-keys: [service.name]} | redaction.allow-keys: [service.name] (expected: no allow keys unless the mode is allow-list)",
  })
  void shouldExplainEachBadValue(String yaml, String problem) {
    assertThat(problems(yaml)).containsExactly(problem);
  }

  @Test
  void shouldReportEachBadKeyOfAList() {
    assertThat(problems("redaction:\n  drop-keys: [ok, 'a*b', '*', '', 3]\n")).containsExactly(
        "redaction.drop-keys[1]: 'a*b' " + KEY_EXPECTED,
        "redaction.drop-keys[2]: '*' " + KEY_EXPECTED,
        "redaction.drop-keys[3]: '' " + KEY_EXPECTED,
        "redaction.drop-keys[4]: 3 " + KEY_EXPECTED);
  }

  @Test
  void shouldReportAnUnknownPatternAndWhereCustomOnesGo() {
    assertThat(problems("redaction: {patterns: {phone: true}}")).containsExactly(
        "redaction.patterns.phone: unknown pattern (expected: " + BUILT_IN_NAMES
            + "; custom patterns go under redaction.custom)");
  }

  @Test
  void shouldReportABadRegexWithItsPathAndTheRegexError() {
    String yaml = """
        redaction:
          custom:
            - {name: a, regex: 'x'}
            - {name: b, regex: 'y'}
            - {name: c, regex: '([a-z'}
        """;

    assertThat(problems(yaml)).containsExactly(
        "redaction.custom[2].regex: '([a-z' (expected: a valid Java regular expression; Unclosed character class near index 4)");
  }

  @Test
  void shouldReportMissingDuplicateAndBuiltInCustomNames() {
    String yaml = """
        redaction:
          custom:
            - {}
            - {name: dup, regex: a}
            - {name: dup, regex: b}
            - {name: email, regex: c}
        """;

    assertThat(problems(yaml)).containsExactly(
        "redaction.custom[0].name: missing (expected: lowercase letters, digits, '-' or '_', at most 64, starting with a letter)",
        "redaction.custom[0].regex: missing (expected: a Java regular expression)",
        "redaction.custom[2].name: 'dup' (expected: a name not used by another custom pattern (redaction.custom[1] has it))",
        "redaction.custom[3].name: 'email' (expected: a name other than the built-in patterns' (" + BUILT_IN_NAMES + "))");
  }

  @Test
  void shouldRequireTheSaltFromTheEnvironmentOnlyWhenKeysAreHashed() {
    assertThat(parse("redaction: {hmac-salt-env: UNSET_VARIABLE}").redaction().hmacSalt()).isEmpty();
    assertThat(problems("redaction: {hash-keys: [user.id]}")).containsExactly(
        "redaction.hmac-salt-env: environment variable 'TRIBUTARY_HMAC_SALT' is not set (expected: a secret of at "
            + "least 16 characters in it, because redaction.hash-keys is not empty)");
    List<String> tooShort = problems("redaction: {hash-keys: [user.id], hmac-salt-env: MY_SALT}",
        Map.of("MY_SALT", "hunter2")::get);
    assertThat(tooShort).containsExactly(
        "redaction.hmac-salt-env: environment variable 'MY_SALT' holds 7 characters (expected: a secret of at least "
            + "16 characters)");
    assertThat(String.join("\n", tooShort)).doesNotContain("hunter2");
  }

  @Test
  void shouldReportEveryProblemOfTheFileAtOnce() {
    String yaml = """
        redaction:
          mode: strict
          drop-keys: ['*']
          patterns: {phone: true}
        extra: 1
        """;

    assertThat(problems(yaml)).hasSize(4);
  }
}
