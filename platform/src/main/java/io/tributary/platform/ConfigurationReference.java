package io.tributary.platform;

import io.tributary.platform.cli.EnvironmentDefaultProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.sink.SinkConnector;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Renders {@code docs/configuration.md} from the commands' own usage help, so the reference says
 * exactly what {@code tributary <role> --help} says. A test fails when the committed file differs.
 */
public final class ConfigurationReference {

  /** How to bring the committed file up to date. */
  public static final String REGENERATE =
      "./mvnw -B -ntp -pl platform -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false "
          + "-Dtributary.docs.update=true";

  private ConfigurationReference() {}

  /** The whole reference, independent of the environment it is rendered in. */
  public static String render() {
    CommandLine root = Tributary.commandLine(name -> null);
    StringBuilder text = new StringBuilder()
        .append("# Configuration reference\n\n")
        .append("<!-- Generated from the commands' --help by ConfigurationReferenceTest; do not edit by hand.\n")
        .append("     Regenerate: ").append(REGENERATE).append(" -->\n\n")
        .append("One jar, one role per sub-command: `tributary <role> [options]` (or `./tributary <role>` from a\n")
        .append("checkout). Every option can also be set in the environment, `--some-option` as\n")
        .append("`").append(EnvironmentDefaultProvider.PREFIX).append("SOME_OPTION` (see the table under each role);\n")
        .append("the command line wins over the environment. Roles that take configuration accept\n")
        .append("`--check-config`: they validate it and exit (0 valid, 1 invalid) without starting.\n\n")
        .append("Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error (the message names the\n")
        .append("option or file and the fix), 3 `topics create` found differences it did not fix.\n\n")
        .append("A `DURATION` is written as in the pipeline file: `500ms`, `30s`, `1m30s`, `2h`, `1d` (units\n")
        .append("`ms s m h d w`, any case) or ISO-8601 (`PT1M`). A `SIZE` is a number of bytes, or `512KiB`,\n")
        .append("`16MiB`, `1GiB` (powers of 1024) or `500KB`, `16MB`, `1GB` (powers of 1000).\n");
    append(text, root);
    appendConnectors(text);
    return text.toString();
  }

  /** Every option of every sink connector of the plugin, from its own {@code ConfigDef}. */
  private static void appendConnectors(StringBuilder text) {
    text.append("\n## Sink connectors\n\n")
        .append("The Connect plugin's connectors (run by `tributary connect` and `dev`, or any Connect worker with the\n")
        .append("plugin in its `plugin.path`), with every option of their `ConfigDef`; Connect's own connector\n")
        .append("options (`topics`, `tasks.max`, `errors.*`, `consumer.override.*`) apply as well. See docs/sinks.md.\n");
    List<SinkConnector> connectors = new ArrayList<>();
    ServiceLoader.load(SinkConnector.class, ConfigurationReference.class.getClassLoader()).forEach(connectors::add);
    connectors.sort(Comparator.comparing(c -> c.getClass().getName()));
    for (SinkConnector connector : connectors) {
      if (!connector.getClass().getName().startsWith("io.tributary.")) {
        continue;
      }
      text.append("\n### `").append(connector.getClass().getSimpleName()).append("`\n\n")
          .append("`connector.class=").append(connector.getClass().getName()).append("`\n\n")
          .append("| option | type | default | valid values | importance | description |\n|---|---|---|---|---|---|\n");
      for (ConfigDef.ConfigKey key : connector.config().configKeys().values()) {
        text.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase(Locale.ROOT))
            .append(" | ").append(cell(defaultValue(key))).append(" | ")
            .append(cell(key.validator == null ? "" : key.validator.toString())).append(" | ")
            .append(key.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
            .append(cell(key.documentation)).append(" |\n");
      }
    }
  }

  private static String defaultValue(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    if (key.defaultValue == null) {
      return "";
    }
    if (key.type == ConfigDef.Type.PASSWORD) {
      return "(hidden)";
    }
    return key.defaultValue instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
        : String.valueOf(key.defaultValue);
  }

  private static String cell(String value) {
    String v = value == null ? "" : value.replace("|", "\\|").replace("\n", " ").strip();
    return v.isEmpty() ? "" : v;
  }

  private static void append(StringBuilder text, CommandLine command) {
    String name = command.getCommandSpec().qualifiedName();
    text.append("\n## `").append(name).append("`\n\n```text\n")
        .append(command.getUsageMessage(Help.Ansi.OFF).stripTrailing()).append("\n```\n");
    boolean header = false;
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (!EnvironmentDefaultProvider.fromEnvironment(option)) {
        continue;
      }
      if (!header) {
        text.append("\n| option | environment variable |\n|---|---|\n");
        header = true;
      }
      text.append("| `").append(option.longestName()).append("` | `")
          .append(EnvironmentDefaultProvider.variableName(option.longestName())).append("` |\n");
    }
    command.getSubcommands().values().forEach(sub -> append(text, sub));
  }
}
