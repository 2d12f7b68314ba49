package io.tributary.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * Keeps the option reference in {@code docs/elasticsearch-sink.md} equal to the connector's
 * {@code ConfigDef}. Regenerate: {@code ./mvnw -B -ntp -pl sinks -am test -Dtest=ElasticsearchSinkDocsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.docs.update=true}.
 */
class ElasticsearchSinkDocsTest {

  private static final Path DOCS = Path.of(System.getProperty("tributary.es.docs.file", "../docs/elasticsearch-sink.md"));
  private static final String START = "<!-- options:start -->";
  private static final String END = "<!-- options:end -->";

  @Test
  void shouldDocumentEveryOptionAsTheConfigDefSays() throws IOException {
    String text = Files.readString(DOCS);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    assertThat(start).as("options markers in " + DOCS).isNotNegative().isLessThan(end);
    String expected = text.substring(0, start + START.length()) + "\n" + options(ElasticsearchSinkConnectorConfig.CONFIG_DEF)
        + text.substring(end);
    if (Boolean.getBoolean("tributary.docs.update")) {
      Files.writeString(DOCS, expected);
      text = expected;
    }
    assertThat(text).as(DOCS + " is out of date; regenerate it (see this test's comment)").isEqualTo(expected);
  }

  static String options(ConfigDef def) {
    StringBuilder md = new StringBuilder("<!-- Generated from ElasticsearchSinkConnectorConfig by ElasticsearchSinkDocsTest; "
        + "do not edit by hand. -->\n");
    List<String> groups = def.groups();
    for (String group : groups) {
      md.append("\n### ").append(group).append("\n\n| option | type | default | valid values | importance | description |\n")
          .append("|---|---|---|---|---|---|\n");
      def.configKeys().values().stream().filter(k -> group.equals(k.group))
          .sorted(Comparator.comparingInt(k -> k.orderInGroup))
          .forEach(k -> md.append("| `").append(k.name).append("` | ").append(k.type.name().toLowerCase(Locale.ROOT))
              .append(" | ").append(defaultValue(k)).append(" | ").append(k.validator == null ? "" : cell(k.validator.toString()))
              .append(" | ").append(k.importance.name().toLowerCase(Locale.ROOT)).append(" | ").append(cell(k.documentation))
              .append(" |\n"));
    }
    return md.toString();
  }

  private static String defaultValue(ConfigDef.ConfigKey k) {
    if (!k.hasDefault()) {
      return "(required)";
    }
    if (k.defaultValue == null) {
      return "(empty)";
    }
    if (k.type == ConfigDef.Type.PASSWORD) {
      return "(empty)";
    }
    String v = k.defaultValue instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
        : String.valueOf(k.defaultValue);
    return v.isEmpty() ? "(empty)" : "`" + cell(v) + "`";
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
