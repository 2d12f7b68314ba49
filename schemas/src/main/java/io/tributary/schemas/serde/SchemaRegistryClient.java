package io.tributary.schemas.serde;

import java.net.URI;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (Confluent, Apicurio's ccompat API, Karapace,
 * Redpanda). Ids are cached per (subject, schema) and schemas per id, so a serde asks the registry
 * once per topic and schema and then never again.
 *
 * <p>{@link #create(SerdeConfig)} gives the HTTP client; tests may implement this interface in
 * memory. Every failure is a {@link SchemaRegistryException} naming the registry, the subject and
 * what went wrong. Implementations are thread-safe.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /**
   * A client for the registry of {@code config}, caching up to {@link SerdeConfig#cacheCapacity()}
   * ids and schemas.
   *
   * @throws IllegalArgumentException if {@code config} has no registry URL
   */
  static SchemaRegistryClient create(SerdeConfig config) {
    return new RestSchemaRegistryClient(config);
  }

  /** The registry's base URL. */
  URI url();

  /**
   * Registers {@code schema} under {@code subject} (a no-op on the registry if it is already there)
   * and returns its id. Cached per (subject, schema).
   *
   * @throws SchemaRegistryException if the registry rejects it, e.g. as incompatible (HTTP 409)
   */
  int register(String subject, Schema schema);

  /**
   * The id of {@code schema} if it is registered under {@code subject}, without registering it.
   * Found ids are cached per (subject, schema).
   */
  OptionalInt lookup(String subject, Schema schema);

  /** The schema with this id. Cached per id. */
  Schema schemaById(int id);

  /** The subject's compatibility level, or the registry's global one when the subject has none. */
  CompatibilityLevel compatibility(String subject);

  /** Sets the subject's compatibility level. */
  void setCompatibility(String subject, CompatibilityLevel level);

  /**
   * Whether {@code schema} could be registered under {@code subject} given the subject's
   * compatibility level and latest version ({@code true} for a subject with no versions).
   */
  boolean isCompatible(String subject, Schema schema);

  /** How many calls this client sent to the registry so far, by kind (cache hits are not counted). */
  RemoteCalls remoteCalls();

  /** Releases the HTTP client; further calls fail. */
  @Override
  void close();

  /** Compatibility levels of the Confluent API. */
  enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
  }

  /**
   * Counts of remote calls, for cache tests and metrics.
   *
   * @param registrations {@code POST /subjects/{subject}/versions}
   * @param lookups {@code POST /subjects/{subject}}
   * @param schemaFetches {@code GET /schemas/ids/{id}}
   * @param configCalls {@code GET} and {@code PUT /config/{subject}}
   * @param compatibilityChecks {@code POST /compatibility/subjects/{subject}/versions/latest}
   * @param failures calls of any kind that ended in an error (unreachable, timeout, HTTP error; a
   *     lookup answered "not found" is an answer, not a failure)
   */
  record RemoteCalls(
      long registrations, long lookups, long schemaFetches, long configCalls, long compatibilityChecks,
      long failures) {

    /** Every remote call (failures are already counted in their kind). */
    public long total() {
      return registrations + lookups + schemaFetches + configCalls + compatibilityChecks;
    }
  }
}
