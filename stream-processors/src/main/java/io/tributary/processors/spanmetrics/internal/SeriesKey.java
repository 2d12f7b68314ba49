package io.tributary.processors.spanmetrics.internal;

import io.tributary.processors.spanmetrics.SpanDimension;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The series a span counts in: its tenant and its dimension values, in configuration order. Encoded
 * as the record key of the local store, the repartition topic and the per-series store: each
 * string length-prefixed ({@code 4:acme12:service.name8:checkout...}), so no value can forge another
 * series and the key decodes back into the points' resource and attributes.
 *
 * @param dimensions name, value, name, value, ... (dimensions the span has no value for are absent)
 */
public record SeriesKey(String tenant, List<String> dimensions) {

  private static final String STATUS_PREFIX = "STATUS_CODE_";

  /** The encoded key of {@code span}'s series. */
  public static String encode(Span span, SpanMetricsConfig config) {
    StringBuilder key = new StringBuilder(128);
    append(key, span.getTenant());
    for (SpanDimension dimension : config.dimensions()) {
      String value = switch (dimension) {
        case SERVICE_NAME -> text(attribute(span.getResource().getAttributes(), SpanDimension.SERVICE_NAME.key()));
        case SPAN_NAME -> span.getName();
        case SPAN_KIND -> span.getKind().name();
        case STATUS_CODE -> STATUS_PREFIX + span.getStatus().getCode().name();
      };
      if (value != null) {
        append(key, dimension.key());
        append(key, value);
      }
    }
    for (String attributeKey : config.attributeDimensions()) {
      Object value = attribute(span.getAttributes(), attributeKey);
      if (value == null) {
        value = attribute(span.getResource().getAttributes(), attributeKey);
      }
      String text = text(value);
      if (text != null) {
        append(key, attributeKey);
        append(key, text);
      }
    }
    return key.toString();
  }

  /** The encoded key of a series of {@code tenant} with {@code namesAndValues} (name, value, ...), in that order. */
  public static String encode(String tenant, String... namesAndValues) {
    StringBuilder key = new StringBuilder(64);
    append(key, tenant);
    for (String part : namesAndValues) {
      append(key, part);
    }
    return key.toString();
  }

  /** The value of dimension {@code name}; null if the series has none. */
  public String value(String name) {
    for (int i = 0; i + 1 < dimensions.size(); i += 2) {
      if (dimensions.get(i).equals(name)) {
        return dimensions.get(i + 1);
      }
    }
    return null;
  }

  /** The series of an encoded key; null if it is not one. */
  public static SeriesKey decode(String key) {
    List<String> parts = new ArrayList<>();
    int at = 0;
    try {
      while (at < key.length()) {
        int colon = key.indexOf(':', at);
        int length = Integer.parseInt(key, at, colon, 10);
        parts.add(key.substring(colon + 1, colon + 1 + length));
        at = colon + 1 + length;
      }
    } catch (RuntimeException e) { // NumberFormatException, IndexOutOfBoundsException
      return null;
    }
    if (parts.isEmpty() || parts.size() % 2 != 1) {
      return null;
    }
    return new SeriesKey(parts.getFirst(), List.copyOf(parts.subList(1, parts.size())));
  }

  private static void append(StringBuilder key, String value) {
    key.append(value.length()).append(':').append(value);
  }

  static Object attribute(List<KeyValue> attributes, String key) {
    for (int i = 0; i < attributes.size(); i++) {
      KeyValue kv = attributes.get(i);
      if (kv.getKey().equals(key)) {
        return kv.getValue() == null ? null : kv.getValue().getValue();
      }
    }
    return null;
  }

  /** Scalars as text; arrays, maps, bytes and nulls are no dimension value. */
  static String text(Object value) {
    return value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean
        ? value.toString() : null;
  }
}
