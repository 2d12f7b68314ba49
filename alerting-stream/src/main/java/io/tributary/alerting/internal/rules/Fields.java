package io.tributary.alerting.internal.rules;

import io.tributary.alerting.RuleSource;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Span;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The names a rule may use for a record's data: built-in fields of each source (span {@code kind},
 * {@code status}, {@code duration_ms}; log {@code severity}; metric {@code name}, {@code value}; ...),
 * and attributes: {@code attributes.<key>} (the record's own), {@code resource.<key>} (its
 * resource's), or a bare {@code <key>} (the record's own attribute, else the resource's, so
 * {@code service.name} just works). A built-in name wins over an attribute of the same name; write
 * {@code attributes.name} for the attribute.
 */
public final class Fields {

  /** What a field holds, for checking what it is compared with. */
  public enum Type { STRING, NUMBER, BOOLEAN, SEVERITY, ANY }

  /** One field: reads its value from a record (null when the record has none). */
  public record Field(String name, Type type, Set<String> allowed, Function<Object, Object> reader) {
    public Object get(Object record) {
      return reader.apply(record);
    }
  }

  public static final String ATTRIBUTES_PREFIX = "attributes.";
  public static final String RESOURCE_PREFIX = "resource.";

  /** OTLP severity names with their number ranges. */
  static final Map<String, int[]> SEVERITIES = new LinkedHashMap<>();

  static {
    SEVERITIES.put("TRACE", new int[] {1, 4});
    SEVERITIES.put("DEBUG", new int[] {5, 8});
    SEVERITIES.put("INFO", new int[] {9, 12});
    SEVERITIES.put("WARN", new int[] {13, 16});
    SEVERITIES.put("ERROR", new int[] {17, 20});
    SEVERITIES.put("FATAL", new int[] {21, 24});
  }

  private static final Set<String> KINDS = Set.of("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER");
  private static final Set<String> STATUSES = Set.of("UNSET", "OK", "ERROR");
  private static final Set<String> METRIC_TYPES = Set.of("GAUGE", "SUM", "HISTOGRAM", "EXPONENTIAL_HISTOGRAM", "SUMMARY");

  private static final Map<String, Field> SPAN_FIELDS = fields(
      text("tenant", r -> ((Span) r).getTenant()),
      text("name", r -> ((Span) r).getName()),
      new Field("kind", Type.STRING, KINDS, r -> ((Span) r).getKind().name().substring("SPAN_KIND_".length())),
      new Field("status", Type.STRING, STATUSES, r -> ((Span) r).getStatus().getCode().name()),
      text("status_message", r -> ((Span) r).getStatus().getMessage()),
      new Field("duration_ms", Type.NUMBER, null,
          r -> (((Span) r).getEndTimeUnixNano() - ((Span) r).getStartTimeUnixNano()) / 1e6),
      new Field("root", Type.BOOLEAN, null, r -> ((Span) r).getParentSpanId() == null),
      text("trace_id", r -> ((Span) r).getTraceId()),
      text("span_id", r -> ((Span) r).getSpanId()),
      text("parent_span_id", r -> ((Span) r).getParentSpanId()),
      text("sampling_policy", r -> ((Span) r).getSamplingPolicy()),
      text("scope.name", r -> ((Span) r).getScope().getName()));

  private static final Map<String, Field> LOG_FIELDS = fields(
      text("tenant", r -> ((LogRecord) r).getTenant()),
      new Field("severity", Type.SEVERITY, SEVERITIES.keySet(), r -> severityNumber((LogRecord) r)),
      new Field("severity_number", Type.NUMBER, null, r -> (long) severityNumber((LogRecord) r)),
      text("severity_text", r -> ((LogRecord) r).getSeverityText()),
      text("body", r -> ((LogRecord) r).getBody() == null ? null : plain(((LogRecord) r).getBody().getValue())),
      text("event_name", r -> ((LogRecord) r).getEventName()),
      text("trace_id", r -> ((LogRecord) r).getTraceId()),
      text("span_id", r -> ((LogRecord) r).getSpanId()),
      text("scope.name", r -> ((LogRecord) r).getScope().getName()));

  private static final Map<String, Field> METRIC_FIELDS = fields(
      text("tenant", r -> ((MetricPoint) r).getTenant()),
      text("name", r -> ((MetricPoint) r).getName()),
      new Field("type", Type.STRING, METRIC_TYPES, r -> ((MetricPoint) r).getType().name()),
      text("unit", r -> ((MetricPoint) r).getUnit()),
      new Field("value", Type.NUMBER, null, r -> ((MetricPoint) r).getValue() instanceof NumberValue n
          ? ((Number) n.getValue()).doubleValue() : null),
      text("series_id", r -> ((MetricPoint) r).getSeriesId()),
      text("scope.name", r -> ((MetricPoint) r).getScope().getName()));

  private Fields() {}

  /** The built-in field names of {@code source}, for error messages. */
  public static Set<String> builtIns(RuleSource source) {
    return table(source).keySet();
  }

  /**
   * The field {@code name} names for {@code source}; null when the name cannot be one (an empty
   * attribute key).
   */
  public static Field resolve(RuleSource source, String name) {
    Field builtIn = table(source).get(name);
    if (builtIn != null) {
      return builtIn;
    }
    if (name.startsWith(ATTRIBUTES_PREFIX)) {
      String key = name.substring(ATTRIBUTES_PREFIX.length());
      return key.isEmpty() ? null : new Field(name, Type.ANY, null, r -> find(attributes(source, r), key));
    }
    if (name.startsWith(RESOURCE_PREFIX)) {
      String key = name.substring(RESOURCE_PREFIX.length());
      return key.isEmpty() ? null : new Field(name, Type.ANY, null, r -> find(resource(source, r), key));
    }
    if (name.isEmpty() || name.endsWith(".")) {
      return null;
    }
    return new Field(name, Type.ANY, null, r -> {
      Object own = find(attributes(source, r), name);
      return own != null ? own : find(resource(source, r), name);
    });
  }

  /** The tenant of a record of {@code source}. */
  public static String tenant(RuleSource source, Object record) {
    return switch (source) {
      case SPANS -> ((Span) record).getTenant();
      case LOGS -> ((LogRecord) record).getTenant();
      case METRICS -> ((MetricPoint) record).getTenant();
    };
  }

  /** {@code value} as a number: numbers and numeric strings; NaN otherwise. */
  public static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** {@code value} as a string; missing values read as the empty string, as Prometheus labels do. */
  public static String string(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    return value.toString();
  }

  /** The severity range named {@code name} (TRACE, DEBUG, INFO, WARN, ERROR, FATAL), or null. */
  public static int[] severityRange(String name) {
    return SEVERITIES.get(name.toUpperCase(Locale.ROOT));
  }

  /** The severity number, taken from the text when the number is unspecified (0). */
  static int severityNumber(LogRecord log) {
    int number = log.getSeverityNumber();
    if (number > 0 || log.getSeverityText() == null) {
      return number;
    }
    String text = log.getSeverityText().trim().toUpperCase(Locale.ROOT);
    if (text.startsWith("WARN")) {
      return 13;
    }
    if (text.equals("CRITICAL") || text.equals("EMERGENCY") || text.equals("ALERT") || text.equals("PANIC")) {
      return 21;
    }
    if (text.equals("ERR")) {
      return 17;
    }
    int[] range = SEVERITIES.get(text);
    return range == null ? 0 : range[0];
  }

  private static List<KeyValue> attributes(RuleSource source, Object record) {
    return switch (source) {
      case SPANS -> ((Span) record).getAttributes();
      case LOGS -> ((LogRecord) record).getAttributes();
      case METRICS -> ((MetricPoint) record).getAttributes();
    };
  }

  private static List<KeyValue> resource(RuleSource source, Object record) {
    return switch (source) {
      case SPANS -> ((Span) record).getResource().getAttributes();
      case LOGS -> ((LogRecord) record).getResource().getAttributes();
      case METRICS -> ((MetricPoint) record).getResource().getAttributes();
    };
  }

  private static Object find(List<KeyValue> attributes, String key) {
    for (int i = 0; i < attributes.size(); i++) {
      KeyValue kv = attributes.get(i);
      if (kv.getKey().equals(key)) {
        AnyValue value = kv.getValue();
        return value == null ? null : plain(value.getValue());
      }
    }
    return null;
  }

  /** Strings, booleans, longs and doubles as they are; bytes as hex; arrays and lists as text. */
  private static Object plain(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof ByteBuffer bytes) {
      ByteBuffer copy = bytes.duplicate();
      byte[] raw = new byte[copy.remaining()];
      copy.get(raw);
      return HexFormat.of().formatHex(raw);
    }
    return value.toString();
  }

  private static Map<String, Field> table(RuleSource source) {
    return switch (source) {
      case SPANS -> SPAN_FIELDS;
      case LOGS -> LOG_FIELDS;
      case METRICS -> METRIC_FIELDS;
    };
  }

  private static Field text(String name, Function<Object, Object> reader) {
    return new Field(name, Type.STRING, null, reader);
  }

  private static Map<String, Field> fields(Field... fields) {
    Map<String, Field> table = new LinkedHashMap<>();
    for (Field field : fields) {
      table.put(field.name(), field);
    }
    return java.util.Collections.unmodifiableMap(table);
  }
}
