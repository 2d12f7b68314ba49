package io.tributary.processors.sampling.internal;

import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.StatusCode;
import java.util.List;

/** What sampling reads off a span: root or not, error, times, service, attribute values. */
final class SpanFacts {

  static final String SERVICE_NAME = "service.name";

  private SpanFacts() {}

  static boolean isRoot(Span span) {
    return span.getParentSpanId() == null || span.getParentSpanId().isEmpty();
  }

  static boolean isError(Span span) {
    return span.getStatus() != null && span.getStatus().getCode() == StatusCode.ERROR;
  }

  static String service(Span span) {
    return span.getResource() == null ? null
        : value(span.getResource().getAttributes(), SERVICE_NAME) instanceof CharSequence s ? s.toString() : null;
  }

  /** The value of the first attribute named {@code key} (null when absent or empty). */
  static Object value(List<KeyValue> attributes, String key) {
    if (attributes == null) {
      return null;
    }
    for (KeyValue kv : attributes) {
      if (key.equals(kv.getKey())) {
        AnyValue value = kv.getValue();
        return value == null ? null : value.getValue();
      }
    }
    return null;
  }

  /** A number attribute as a double; a string holding a number too (some SDKs send everything as strings). */
  static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof CharSequence s) {
      try {
        return Double.parseDouble(s.toString().trim());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }
}
