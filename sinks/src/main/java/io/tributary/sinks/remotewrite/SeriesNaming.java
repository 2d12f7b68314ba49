package io.tributary.sinks.remotewrite;

import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.MetricPoint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which series a point's samples belong to, after the OpenTelemetry specification's
 * OTLP-to-Prometheus rules ({@link PrometheusNaming} for single names): stateless, the same
 * point always gets the same labels.
 *
 * <ul>
 *   <li>labels: the point's attributes, {@code otel_scope_name}/{@code otel_scope_version},
 *       {@code job} ({@code service.namespace/service.name}) and {@code instance}
 *       ({@code service.instance.id}), plus chosen resource attributes and the tenant label;
 *       attributes whose names collide after sanitizing are joined with {@code ;} in the order of
 *       their original keys; generated labels win over attributes; empty values are dropped;
 *   <li>{@code target_info}: the other resource attributes with the same {@code job}/{@code instance};
 *   <li>exemplar labels: {@code trace_id}, {@code span_id} and the filtered attributes as far as
 *       OpenMetrics' 128 characters allow (ids first, then attributes in label order);
 *   <li>attribute values: strings as they are, other types in their JSON form.
 * </ul>
 */
final class SeriesNaming {

  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_NAMESPACE = "service.namespace";
  static final String SERVICE_INSTANCE_ID = "service.instance.id";
  static final String TARGET_INFO = "target_info";
  /** OpenMetrics: an exemplar's label names and values hold at most 128 characters together. */
  static final int EXEMPLAR_LABEL_CHARS = 128;
  private static final Comparator<String[]> ENTRY_ORDER = (x, y) -> {
    int c = x[0].compareTo(y[0]);
    return c != 0 ? c : x[1].compareTo(y[1]);
  };

  private final MetricPointTranslator.Options options;

  SeriesNaming(MetricPointTranslator.Options options) {
    this.options = options;
  }

  /** The labels every sample of the point has, sorted (no {@code __name__} yet). */
  String[] baseLabels(MetricPoint point) {
    List<String[]> entries = new ArrayList<>(point.getAttributes().size() + options.resourceLabels().size());
    for (KeyValue kv : point.getAttributes()) {
      String key = kv.getKey().toString();
      entries.add(new String[] {PrometheusNaming.labelName(key), key, valueString(kv.getValue())});
    }
    if (!options.resourceLabels().isEmpty()) {
      for (KeyValue kv : point.getResource().getAttributes()) {
        String key = kv.getKey().toString();
        if (options.resourceLabels().contains(key)) {
          entries.add(new String[] {PrometheusNaming.labelName(key), key, valueString(kv.getValue())});
        }
      }
    }
    Map<String, String> generated = new LinkedHashMap<>();
    if (options.scopeLabels()) {
      generated.put("otel_scope_name", point.getScope().getName().toString());
      if (point.getScope().getVersion() != null) {
        generated.put("otel_scope_version", point.getScope().getVersion().toString());
      }
    }
    addJobAndInstance(point, generated);
    if (!options.tenantLabel().isEmpty()) {
      generated.put(options.tenantLabel(), point.getTenant().toString());
    }
    return merge(entries, generated);
  }

  private static void addJobAndInstance(MetricPoint point, Map<String, String> labels) {
    String name = null;
    String namespace = null;
    String instance = null;
    for (KeyValue kv : point.getResource().getAttributes()) {
      switch (kv.getKey().toString()) {
        case SERVICE_NAME -> name = valueString(kv.getValue());
        case SERVICE_NAMESPACE -> namespace = valueString(kv.getValue());
        case SERVICE_INSTANCE_ID -> instance = valueString(kv.getValue());
        default -> { }
      }
    }
    if (name != null && !name.isEmpty()) {
      labels.put("job", namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }
    if (instance != null && !instance.isEmpty()) {
      labels.put("instance", instance);
    }
  }

  /**
   * Sorted name/value pairs from attribute entries (sanitized name, original key, value) and
   * generated labels, which win over attributes of the same name. Empty values are dropped
   * (Prometheus treats them as absent).
   */
  private static String[] merge(List<String[]> entries, Map<String, String> generated) {
    if (entries.size() > 1) {
      entries.sort(ENTRY_ORDER);
    }
    List<String> pairs = new ArrayList<>(entries.size() * 2 + generated.size() * 2);
    for (int i = 0; i < entries.size(); i++) {
      String[] e = entries.get(i);
      if (generated.containsKey(e[0])) {
        continue;
      }
      String value = e[2];
      while (i + 1 < entries.size() && entries.get(i + 1)[0].equals(e[0])) {
        value = value + ";" + entries.get(++i)[2];
      }
      if (!value.isEmpty()) {
        pairs.add(e[0]);
        pairs.add(value);
      }
    }
    generated.forEach((k, v) -> {
      if (v != null && !v.isEmpty()) {
        pairs.add(k);
        pairs.add(v);
      }
    });
    return sortPairs(pairs);
  }

  private static String[] sortPairs(List<String> pairs) {
    return sortPairs(pairs.toArray(new String[0]), pairs.size());
  }

  /**
   * Sorts the first {@code length} entries of name/value pairs by name, in place (insertion sort:
   * label sets are small and nearly sorted); returns the array trimmed to {@code length}.
   */
  private static String[] sortPairs(String[] pairs, int length) {
    for (int i = 2; i < length; i += 2) {
      String name = pairs[i];
      String value = pairs[i + 1];
      int j = i - 2;
      while (j >= 0 && pairs[j].compareTo(name) > 0) {
        pairs[j + 2] = pairs[j];
        pairs[j + 3] = pairs[j + 1];
        j -= 2;
      }
      pairs[j + 2] = name;
      pairs[j + 3] = value;
    }
    return length == pairs.length ? pairs : Arrays.copyOf(pairs, length);
  }

  /** The base labels plus {@code __name__} and an optional extra label (both win over base labels), sorted. */
  static Series series(String[] base, String metric, String extraName, String extraValue) {
    String[] labels = new String[base.length + 4];
    int n = 0;
    for (int i = 0; i < base.length; i += 2) {
      if (!base[i].equals("__name__") && !base[i].equals(extraName)) {
        labels[n++] = base[i];
        labels[n++] = base[i + 1];
      }
    }
    labels[n++] = "__name__";
    labels[n++] = metric;
    if (extraName != null) {
      labels[n++] = extraName;
      labels[n++] = extraValue;
    }
    return new Series(sortPairs(labels, n));
  }

  /** The Prometheus name of the point's metric, before the {@code _bucket}/{@code _sum}/{@code _count} suffixes. */
  String metricName(MetricPoint point) {
    String name = point.getName().toString();
    String unit = point.getUnit() == null ? null : point.getUnit().toString();
    return switch (point.getType()) {
      case GAUGE -> PrometheusNaming.metricName(name, unit, false, true, options.suffixes());
      case SUM -> {
        boolean monotonic = Boolean.TRUE.equals(point.getIsMonotonic());
        yield PrometheusNaming.metricName(name, unit, monotonic, !monotonic, options.suffixes());
      }
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY -> PrometheusNaming.metricName(name, unit, false, false,
          options.suffixes());
    };
  }

  /** The target_info series of the point's resource, or null when it has nothing beyond job and instance. */
  Series targetInfoSeries(MetricPoint point) {
    List<String[]> entries = new ArrayList<>();
    for (KeyValue kv : point.getResource().getAttributes()) {
      String key = kv.getKey().toString();
      if (!key.equals(SERVICE_NAME) && !key.equals(SERVICE_NAMESPACE) && !key.equals(SERVICE_INSTANCE_ID)) {
        entries.add(new String[] {PrometheusNaming.labelName(key), key, valueString(kv.getValue())});
      }
    }
    if (entries.isEmpty()) {
      return null;
    }
    Map<String, String> generated = new LinkedHashMap<>();
    addJobAndInstance(point, generated);
    if (!options.tenantLabel().isEmpty()) {
      generated.put(options.tenantLabel(), point.getTenant().toString());
    }
    generated.put("__name__", TARGET_INFO);
    return new Series(merge(entries, generated));
  }

  /**
   * {@code trace_id}, {@code span_id} and the filtered attributes (named as metric attributes are)
   * while the names and values together stay within {@link #EXEMPLAR_LABEL_CHARS}.
   */
  static Series exemplarLabels(Exemplar e) {
    Map<String, String> ids = new LinkedHashMap<>();
    if (e.getTraceId() != null) {
      ids.put("trace_id", e.getTraceId().toString());
    }
    if (e.getSpanId() != null) {
      ids.put("span_id", e.getSpanId().toString());
    }
    List<String[]> attributes = new ArrayList<>(e.getFilteredAttributes().size());
    for (KeyValue kv : e.getFilteredAttributes()) {
      String key = kv.getKey().toString();
      attributes.add(new String[] {PrometheusNaming.labelName(key), key, valueString(kv.getValue())});
    }
    String[] pairs = merge(attributes, ids);
    int chars = 0;
    for (Map.Entry<String, String> id : ids.entrySet()) {
      chars += codePoints(id.getKey()) + codePoints(id.getValue());
    }
    List<String> kept = new ArrayList<>(pairs.length);
    for (int i = 0; i < pairs.length; i += 2) {
      boolean id = ids.containsKey(pairs[i]);
      int size = codePoints(pairs[i]) + codePoints(pairs[i + 1]);
      if (id || chars + size <= EXEMPLAR_LABEL_CHARS) {
        chars += id ? 0 : size;
        kept.add(pairs[i]);
        kept.add(pairs[i + 1]);
      }
    }
    return new Series(kept.toArray(new String[0]));
  }

  private static int codePoints(String s) {
    return s.codePointCount(0, s.length());
  }

  /** An attribute value as a label value: strings as they are, other types in their JSON form. */
  static String valueString(AnyValue value) {
    if (value == null) {
      return "";
    }
    Object v = value.getValue();
    if (v == null) {
      return "";
    }
    if (v instanceof CharSequence s) {
      return s.toString();
    }
    StringBuilder b = new StringBuilder();
    appendJson(b, v);
    return b.toString();
  }

  private static void appendJson(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case CharSequence s -> appendJsonString(b, s.toString());
      case Boolean bool -> b.append(bool);
      case Long l -> b.append(l);
      case Double d -> b.append(d.isNaN() || d.isInfinite() ? "\"" + d + "\"" : PrometheusNaming.formatFloat(d));
      case ByteBuffer buf -> {
        ByteBuffer dup = buf.duplicate();
        byte[] bytes = new byte[dup.remaining()];
        dup.get(bytes);
        appendJsonString(b, Base64.getEncoder().encodeToString(bytes));
      }
      case ArrayValue array -> {
        b.append('[');
        for (int i = 0; i < array.getValues().size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          appendJson(b, array.getValues().get(i).getValue());
        }
        b.append(']');
      }
      case KeyValueList list -> {
        b.append('{');
        for (int i = 0; i < list.getValues().size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          appendJsonString(b, list.getValues().get(i).getKey().toString());
          b.append(':');
          AnyValue av = list.getValues().get(i).getValue();
          appendJson(b, av == null ? null : av.getValue());
        }
        b.append('}');
      }
      default -> appendJsonString(b, v.toString());
    }
  }

  private static void appendJsonString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
