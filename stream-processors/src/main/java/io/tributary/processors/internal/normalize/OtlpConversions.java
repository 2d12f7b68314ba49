package io.tributary.processors.internal.normalize;

import com.google.protobuf.ByteString;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.Resource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The OTLP-to-Avro conversions shared by the three signals: ids, attributes, resource and scope. */
final class OtlpConversions {

  static final int TRACE_ID_BYTES = 16;
  static final int SPAN_ID_BYTES = 8;
  private static final HexFormat HEX = HexFormat.of(); // lowercase

  private OtlpConversions() {}

  /** A required id: exactly {@code length} bytes, not all zero (OTLP calls both invalid). */
  static String requiredId(ByteString id, int length, Path path, String field) throws MalformedTelemetryException {
    if (id.size() != length || isAllZero(id)) {
      throw new MalformedTelemetryException(path.field(field) + ": " + describe(id)
          + " (expected: " + length + " bytes, not all zero)");
    }
    return HEX.formatHex(id.toByteArray());
  }

  /** An optional id: empty (or all zero) means absent, otherwise exactly {@code length} bytes. */
  static String optionalId(ByteString id, int length, Path path, String field) throws MalformedTelemetryException {
    if (id.isEmpty() || (id.size() == length && isAllZero(id))) {
      return null;
    }
    return requiredId(id, length, path, field);
  }

  private static String describe(ByteString id) {
    return id.isEmpty() ? "empty" : id.size() + " bytes" + (isAllZero(id) ? ", all zero" : "");
  }

  private static boolean isAllZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** OTLP leaves unset strings empty; the Avro schemas use null for "not given". */
  static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  static List<KeyValue> attributes(List<io.opentelemetry.proto.common.v1.KeyValue> attributes) {
    if (attributes.isEmpty()) {
      return new ArrayList<>(0);
    }
    List<KeyValue> converted = new ArrayList<>(attributes.size());
    for (io.opentelemetry.proto.common.v1.KeyValue kv : attributes) {
      converted.add(new KeyValue(kv.getKey(), anyValue(kv.getValue())));
    }
    return converted;
  }

  /**
   * Keeps the OTLP type. {@code string_value_strindex} belongs to the profiling signal; the OTLP
   * spec says other signals treat it as absent, so it becomes an empty value.
   */
  static AnyValue anyValue(io.opentelemetry.proto.common.v1.AnyValue value) {
    return new AnyValue(switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case BYTES_VALUE -> ByteBuffer.wrap(value.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        List<io.opentelemetry.proto.common.v1.AnyValue> values = value.getArrayValue().getValuesList();
        List<AnyValue> converted = new ArrayList<>(values.size());
        for (io.opentelemetry.proto.common.v1.AnyValue v : values) {
          converted.add(anyValue(v));
        }
        yield new ArrayValue(converted);
      }
      case KVLIST_VALUE -> new KeyValueList(attributes(value.getKvlistValue().getValuesList()));
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> null;
    });
  }

  static Resource resource(io.opentelemetry.proto.resource.v1.Resource resource, String schemaUrl) {
    return new Resource(attributes(resource.getAttributesList()), resource.getDroppedAttributesCount(),
        emptyToNull(schemaUrl));
  }

  static InstrumentationScope scope(io.opentelemetry.proto.common.v1.InstrumentationScope scope, String schemaUrl) {
    return new InstrumentationScope(scope.getName(), emptyToNull(scope.getVersion()),
        attributes(scope.getAttributesList()), scope.getDroppedAttributesCount(), emptyToNull(schemaUrl));
  }

  /**
   * Where in a request an item sits, built only when an error message needs it (the hot path
   * passes indexes, not strings).
   */
  record Path(String resourceList, int resource, String scopeList, int scope, String itemList, int item) {
    String field(String field) {
      return resourceList + "[" + resource + "]." + scopeList + "[" + scope + "]." + itemList + "[" + item + "]."
          + field;
    }
  }
}
