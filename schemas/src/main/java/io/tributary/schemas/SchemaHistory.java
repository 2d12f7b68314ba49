package io.tributary.schemas;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The versions of each top-level schema that were ever released, kept in the jar under
 * {@code schema-history/<Name>/v<N>.avsc} (each file self-contained). Deserializers without a
 * registry read records written by any kept version; {@code SchemaEvolutionTest} checks that the
 * current schema reads them all (BACKWARD). See the module README for how to add a version.
 */
public final class SchemaHistory {

  /** Classpath directory of the kept versions. */
  public static final String RESOURCE_DIRECTORY = "schema-history";

  /** The record types written to the processed topics, one per topic value. */
  public static final List<Class<? extends SpecificRecord>> RECORD_TYPES =
      List.of(Span.class, LogRecord.class, MetricPoint.class, Alert.class);

  private static final Map<Class<?>, List<Schema>> KEPT = new ConcurrentHashMap<>();

  private SchemaHistory() {}

  /** The schema this jar writes for {@code type}. */
  public static Schema currentSchema(Class<? extends SpecificRecord> type) {
    return SpecificData.get().getSchema(requireNonNull(type, "type"));
  }

  /**
   * The kept versions of {@code type}'s schema, oldest (v1) first; empty for a type with no history
   * (e.g. a nested record).
   *
   * @throws IllegalStateException if a kept file is not a valid schema
   */
  public static List<Schema> keptVersions(Class<? extends SpecificRecord> type) {
    requireNonNull(type, "type");
    return KEPT.computeIfAbsent(type, t -> load(t.getSimpleName()));
  }

  /** The classpath resource of version {@code version} of the schema named {@code simpleName}. */
  public static String resourcePath(String simpleName, int version) {
    return RESOURCE_DIRECTORY + "/" + simpleName + "/v" + version + ".avsc";
  }

  private static List<Schema> load(String simpleName) {
    List<Schema> versions = new ArrayList<>();
    ClassLoader loader = SchemaHistory.class.getClassLoader();
    for (int version = 1; ; version++) {
      String path = resourcePath(simpleName, version);
      try (InputStream in = loader.getResourceAsStream(path)) {
        if (in == null) {
          return List.copyOf(versions);
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (SchemaParseException e) {
        throw new IllegalStateException(path + ": not a valid Avro schema: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + path, e);
      }
    }
  }
}
