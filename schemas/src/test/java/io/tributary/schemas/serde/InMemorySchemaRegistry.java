package io.tributary.schemas.serde;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** A registry in memory for unit tests: fixed ids, records which subjects were used. */
final class InMemorySchemaRegistry implements SchemaRegistryClient {

  final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
  final Map<String, Integer> ids = new ConcurrentHashMap<>();
  final List<String> registeredSubjects = new ArrayList<>();
  private int nextId;

  InMemorySchemaRegistry(int firstId) {
    this.nextId = firstId;
  }

  /** Puts {@code schema} under {@code id} as if another writer had registered it. */
  InMemorySchemaRegistry with(int id, Schema schema) {
    schemas.put(id, schema);
    return this;
  }

  @Override
  public URI url() {
    return URI.create("http://in-memory.invalid");
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    registeredSubjects.add(subject);
    return ids.computeIfAbsent(subject + "|" + schema, k -> {
      int id = nextId++;
      schemas.put(id, schema);
      return id;
    });
  }

  @Override
  public OptionalInt lookup(String subject, Schema schema) {
    Integer id = ids.get(subject + "|" + schema);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public Schema schemaById(int id) {
    Schema schema = schemas.get(id);
    if (schema == null) {
      throw new SchemaRegistryException("Schema registry at " + url() + " rejected GET /schemas/ids/" + id
          + ": HTTP 404, error_code 40403: not found", url(), null, 404, 40403, null);
    }
    return schema;
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    return CompatibilityLevel.NONE;
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return true;
  }

  @Override
  public RemoteCalls remoteCalls() {
    return new RemoteCalls(0, 0, 0, 0, 0, 0);
  }

  @Override
  public void close() {}
}
