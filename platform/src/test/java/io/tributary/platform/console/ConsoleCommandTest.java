package io.tributary.platform.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.Tributary;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.roles.RoleContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code tributary console} starts with, from its options (nothing is started). */
class ConsoleCommandTest {

  @TempDir
  Path temp;

  @Test
  void shouldTakeItsSourcesAndTheGatewaysApiKeysFromOptions() throws Exception {
    Path keys = Files.writeString(temp.resolve("api-keys.yaml"), "4f1c0e8a9b7d46e2a1c3: team-payments\n");

    ConsoleSettings settings = settings("--elasticsearch-url", "http://es:9200", "--bootstrap-server", "kafka:9092",
        "--connect-url", "http://connect:8083", "--role", "gateway=http://gw:4318", "--role", "processor=http://p:9464",
        "--api-keys-file", keys.toString(), "--console-port", "0");

    assertThat(settings.elasticsearch()).contains(URI.create("http://es:9200"));
    assertThat(settings.bootstrapServers()).contains("kafka:9092");
    assertThat(settings.connect()).contains(URI.create("http://connect:8083"));
    assertThat(settings.roles()).containsExactly(Map.entry("gateway", URI.create("http://gw:4318")),
        Map.entry("processor", URI.create("http://p:9464")));
    assertThat(settings.tenantsByKey()).containsExactly(Map.entry("4f1c0e8a9b7d46e2a1c3", "team-payments"));
    assertThat(settings.port()).isZero();
  }

  @Test
  void shouldNameTheOptionOfABadValue() {
    assertThatThrownBy(() -> settings("--elasticsearch-url", "ftp://es:9200"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--elasticsearch-url")
        .hasMessageContaining("an http:// or https:// URL");
    assertThatThrownBy(() -> settings("--elasticsearch-url", "http://es:9200", "--api-keys-file",
        temp.resolve("missing.yaml").toString()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("--api-keys-file: Cannot read API keys file");
  }

  @Test
  void shouldFindTheOtherRolesInDevWhenNotTold() {
    RoleContext context = new RoleContext().put(io.tributary.platform.elasticsearch.ElasticsearchRole.URL,
        URI.create("http://127.0.0.1:9200"));

    var config = ConsoleRole.config(ConsoleSettings.discovered("127.0.0.1", 0), context);

    assertThat(config.elasticsearch()).contains(URI.create("http://127.0.0.1:9200"));
    assertThat(config.bootstrapServers()).isEqualTo(Optional.empty());
    assertThat(config.tenantsByKey()).isEmpty();
  }

  private static ConsoleSettings settings(String... args) {
    CommandLine commandLine = Tributary.commandLine(name -> null);
    commandLine.parseArgs(prepend("console", args));
    ConsoleCommand command = commandLine.getSubcommands().get("console").getCommand();
    return command.context().require(ConsoleRole.SETTINGS);
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
