package io.tributary.schemas.internal;

import io.tributary.schemas.AvroClassTrust;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Internal, unstable. Avro instantiates every {@link LogicalTypes.LogicalTypeFactory} service when it
 * first parses a schema, which happens before any generated class can be resolved by name: the
 * earliest point to {@link AvroClassTrust#install() trust} Tributary's generated classes without a
 * JVM flag. The logical type it registers is never used by any schema.
 */
public final class AvroClassTrustHook implements LogicalTypes.LogicalTypeFactory {

  /** A logical type name no schema uses. */
  static final String UNUSED_TYPE_NAME = "io.tributary.schemas.class-trust-hook";

  public AvroClassTrustHook() {
    AvroClassTrust.install();
  }

  @Override
  public LogicalType fromSchema(Schema schema) {
    return null;
  }

  @Override
  public String getTypeName() {
    return UNUSED_TYPE_NAME;
  }
}
