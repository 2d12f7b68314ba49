package io.tributary.schemas;

import static io.tributary.schemas.TestSchemas.withField;
import static io.tributary.schemas.TestSchemas.withFieldType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.tributary.schemas.avro.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema change must be BACKWARD compatible: the current schema reads records written with any
 * version kept under {@code src/main/resources/schema-history}. The last tests prove the check fails
 * on incompatible changes.
 */
class SchemaEvolutionTest {

  /** Where the next version of a changed schema is written, ready to copy into schema-history. */
  static final Path CANDIDATES = Path.of("target", "schema-history-candidates");

  static Stream<Class<? extends SpecificRecord>> recordTypes() {
    return SchemaHistory.RECORD_TYPES.stream();
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  void shouldReadDataWrittenWithEveryKeptVersion(Class<? extends SpecificRecord> type) {
    List<Schema> kept = SchemaHistory.keptVersions(type);

    assertThat(kept).as("kept versions of %s (schema-history/%s/v1.avsc ...)", type.getSimpleName(),
        type.getSimpleName()).isNotEmpty();
    assertThat(backwardIncompatibilities(SchemaHistory.currentSchema(type), kept))
        .as("%s must read every kept version (BACKWARD)", type.getSimpleName())
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  void shouldKeepTheCurrentSchemaAsTheNewestVersion(Class<? extends SpecificRecord> type) throws IOException {
    assertThat(unkeptChange(type.getSimpleName(), SchemaHistory.currentSchema(type), SchemaHistory.keptVersions(type),
        CANDIDATES)).isEmpty();
  }

  @Test
  void shouldAskToKeepAChangedSchemaAsTheNextVersion(@TempDir Path candidates) throws IOException {
    Schema v1 = SchemaHistory.keptVersions(Span.class).get(0);
    Schema changed = withField(v1, new Schema.Field("region", Schema.create(Schema.Type.STRING), "added later", "eu"));

    assertThat(unkeptChange("Span", changed, List.of(v1), candidates)).hasValueSatisfying(message -> assertThat(message)
        .startsWith("Span changed since v1: once it passes the BACKWARD check, keep it as "
            + "src/main/resources/schema-history/Span/v2.avsc"));
    assertThat(candidates.resolve("Span/v2.avsc")).content().contains("\"region\"");
  }

  @Test
  void shouldRejectANewFieldWithoutDefault() {
    Schema v1 = SchemaHistory.keptVersions(Span.class).get(0);
    Schema changed = withField(v1, new Schema.Field("region", Schema.create(Schema.Type.STRING), "added later"));

    assertThat(backwardIncompatibilities(changed, List.of(v1)))
        .singleElement(STRING)
        .contains("v1").contains("region").contains("READER_FIELD_MISSING_DEFAULT_VALUE");
  }

  @Test
  void shouldRejectANarrowedFieldType() {
    Schema v1 = SchemaHistory.keptVersions(Span.class).get(0);
    Schema changed = withFieldType(v1, "startTimeUnixNano", Schema.create(Schema.Type.INT));

    assertThat(backwardIncompatibilities(changed, List.of(v1)))
        .singleElement(STRING)
        .contains("/fields/8/type").contains("TYPE_MISMATCH");
  }

  @Test
  void shouldAcceptANewFieldWithDefault() {
    Schema v1 = SchemaHistory.keptVersions(Span.class).get(0);
    Schema changed = withField(v1, new Schema.Field("region", Schema.create(Schema.Type.STRING), "added later", "eu"));

    assertThat(backwardIncompatibilities(changed, List.of(v1))).isEmpty();
  }

  /** One line per kept version the current schema cannot read, naming the version and the reasons. */
  static List<String> backwardIncompatibilities(Schema current, List<Schema> kept) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(current, kept.get(i));
      if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        StringBuilder line = new StringBuilder("cannot read v" + (i + 1) + ":");
        result.getResult().getIncompatibilities().forEach(incompatibility -> line.append(' ')
            .append(incompatibility.getType()).append(" at ").append(incompatibility.getLocation())
            .append(" (").append(incompatibility.getMessage()).append(')'));
        problems.add(line.toString());
      }
    }
    return problems;
  }

  /**
   * Empty when {@code current} is the newest kept version, else what to do, with the next version
   * written under {@code candidates} for the developer to copy. Docs may differ (a doc change needs
   * no new version); names, types, defaults, order and properties may not.
   */
  static Optional<String> unkeptChange(String name, Schema current, List<Schema> kept, Path candidates)
      throws IOException {
    if (!kept.isEmpty() && kept.get(kept.size() - 1).equals(current)) {
      return Optional.empty();
    }
    int next = kept.size() + 1;
    Path candidate = candidates.resolve(name).resolve("v" + next + ".avsc");
    Files.createDirectories(candidate.getParent());
    Files.writeString(candidate, SchemaFormatter.format("json/pretty", current) + "\n");
    return Optional.of(name + " changed since v" + kept.size() + ": once it passes the BACKWARD check, keep it as "
        + "src/main/resources/" + SchemaHistory.resourcePath(name, next) + " (written for you to "
        + candidate.toAbsolutePath() + ")");
  }
}
