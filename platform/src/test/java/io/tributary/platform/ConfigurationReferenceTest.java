package io.tributary.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} equal to what the commands' help says; with
 * {@code -Dtributary.docs.update=true} it rewrites the file instead.
 */
class ConfigurationReferenceTest {

  private static final Path DOCS = Path.of(System.getProperty("tributary.docs.file", "../docs/configuration.md"));

  @Test
  void shouldMatchTheCommittedReference() throws IOException {
    String rendered = ConfigurationReference.render();
    if (Boolean.getBoolean("tributary.docs.update")) {
      Files.createDirectories(DOCS.toAbsolutePath().getParent());
      Files.writeString(DOCS, rendered);
    }

    assertThat(DOCS).as("%s is missing; generate it with:%n  %s", DOCS, ConfigurationReference.REGENERATE).exists();
    assertThat(Files.readString(DOCS))
        .as("%s is out of date with the commands' --help; regenerate it with:%n  %s", DOCS.normalize(),
            ConfigurationReference.REGENERATE)
        .isEqualTo(rendered);
  }

  @Test
  void shouldDocumentEveryRoleAndItsEnvironmentVariables() {
    String rendered = ConfigurationReference.render();

    assertThat(rendered).contains("## `tributary dev`", "## `tributary gateway`", "## `tributary topics create`",
        "## `tributary topics list`", "## `tributary loadgen`", "`TRIBUTARY_BOOTSTRAP_SERVER`", "Exit codes:");
  }
}
