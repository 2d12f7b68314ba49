package io.tributary.processors;

import static io.tributary.processors.PipelineFiles.NO_ENV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.processors.redact.RedactionRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redaction rules in a file of their own, replacing the pipeline file's {@code redaction:} section. */
class RedactionRulesFileTest {

  private static final String SALT = "a-salt-of-twenty-chars";

  @TempDir
  Path dir;

  @Test
  void shouldReadTheRedactionSectionOnItsOwnAndReplaceThePipelineFilesSection() throws IOException {
    Path pipelines = Files.writeString(dir.resolve("pipelines.yaml"),
        "redaction: {drop-keys: [from.pipelines]}\nsampling: {decision-wait: 20s}\n");
    Path rules = Files.writeString(dir.resolve("redaction.yaml"), """
        redaction:
          drop-keys: [user.password]
          hash-keys: [user.id]
          hmac-salt-env: MY_SALT
        """);

    PipelineConfig config = PipelineConfig.load(pipelines, NO_ENV)
        .withRedaction(PipelineConfig.loadRedactionRules(rules, Map.of("MY_SALT", SALT)::get));

    assertThat(config.redaction()).isEqualTo(RedactionRules.builder().addDropKeys("user.password")
        .addHashKeys("user.id").hmacSalt(SALT).build());
    assertThat(config.sampling()).as("the other sections stay").isEqualTo(PipelineConfig.load(pipelines, NO_ENV).sampling());
  }

  @Test
  void shouldCheckTheRulesAsInThePipelineFileNamingThisFile() throws IOException {
    Path rules = Files.writeString(dir.resolve("redaction.yaml"), """
        redaction:
          mode: sometimes
          drop-keys: ['']
          hash-keys: [user.id]
        """);

    assertThatThrownBy(() -> PipelineConfig.loadRedactionRules(rules, NO_ENV))
        .isInstanceOf(PipelineConfigException.class)
        .hasMessageStartingWith("Invalid pipeline configuration " + rules + ":")
        .hasMessageContaining("redaction.mode: 'sometimes' (expected: one of mask, allow-list)")
        .hasMessageContaining("redaction.drop-keys[0]")
        .hasMessageContaining("redaction.hmac-salt-env: environment variable 'TRIBUTARY_HMAC_SALT' is not set");
  }

  @Test
  void shouldRefuseAFileThatIsNotJustTheRedactionSection() {
    assertThat(problems("")).containsExactly("(top level): empty (expected: one top-level key, redaction, holding the "
        + "rules as in the pipeline file (mode, drop-keys, hash-keys, ...))");
    assertThat(problems("mode: mask\n")).containsExactly(
        "mode: unknown key (expected: one of redaction)",
        "redaction: missing (expected: one top-level key, redaction, holding the rules as in the pipeline file "
            + "(mode, drop-keys, hash-keys, ...))");
    assertThat(problems("redaction: {}\nsampling: {}\n")).containsExactly(
        "sampling: unknown key (expected: one of redaction)");
    assertThat(problems("redaction: [a]\n")).singleElement().asString().startsWith("redaction:");
  }

  @Test
  void shouldTakeTheDefaultsForAnEmptySection() {
    assertThat(PipelineConfig.parseRedactionRules("redaction:\n", "r.yaml", NO_ENV)).isEqualTo(RedactionRules.getDefault());
  }

  private static java.util.List<String> problems(String yaml) {
    try {
      PipelineConfig.parseRedactionRules(yaml, "r.yaml", NO_ENV);
    } catch (PipelineConfigException e) {
      assertThat(e.source()).isEqualTo("r.yaml");
      return e.problems();
    }
    throw new AssertionError("no problem found in " + yaml);
  }
}
