package io.tributary.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;

/** Changed copies of a record schema, as a later or earlier version of it would be. */
public final class TestSchemas {

  private TestSchemas() {}

  /** {@code record} with one more field at the end. */
  public static Schema withField(Schema record, Schema.Field extra) {
    return changed(record, fields -> {
      fields.add(extra);
      return fields;
    });
  }

  /** {@code record} without the field {@code name}. */
  public static Schema withoutField(Schema record, String name) {
    return changed(record, fields -> {
      fields.removeIf(f -> f.name().equals(name));
      return fields;
    });
  }

  /** {@code record} with the field {@code name} of another type. */
  public static Schema withFieldType(Schema record, String name, Schema type) {
    return changed(record, fields -> {
      fields.replaceAll(f -> f.name().equals(name) ? new Schema.Field(f.name(), type, f.doc()) : f);
      return fields;
    });
  }

  private static Schema changed(Schema record, UnaryOperator<List<Schema.Field>> change) {
    List<Schema.Field> fields = new ArrayList<>();
    record.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, change.apply(fields));
  }
}
