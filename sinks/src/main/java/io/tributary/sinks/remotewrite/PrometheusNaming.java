package io.tributary.sinks.remotewrite;

import java.math.BigDecimal;
import java.util.Map;

/**
 * OpenTelemetry to Prometheus names, after the OpenTelemetry specification's "Prometheus and
 * OpenMetrics compatibility" (OTLP metric points to Prometheus):
 *
 * <ul>
 *   <li>metric names: characters outside {@code [a-zA-Z0-9_:]} become {@code _}, runs of
 *       {@code _} collapse, a leading digit gets a {@code _} prefix;
 *   <li>the unit (UCUM) becomes a suffix: {@code ms} → {@code _milliseconds}, {@code By} →
 *       {@code _bytes}, {@code By/s} → {@code _bytes_per_second}; annotations such as
 *       {@code {request}} are dropped; unit {@code 1} on a gauge becomes {@code _ratio};
 *   <li>monotonic sums end in {@code _total};
 *   <li>label names: characters outside {@code [a-zA-Z0-9_]} become {@code _}; a leading digit
 *       gets {@code key_}, a single leading {@code _} gets {@code key}.
 * </ul>
 */
final class PrometheusNaming {

  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
      Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
      Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
      Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tebibytes"), Map.entry("KBy", "kilobytes"),
      Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
      Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
      Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
      Map.entry("1", ""), Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS = Map.of(
      "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  private PrometheusNaming() {}

  /**
   * The Prometheus name of an OpenTelemetry metric (without the {@code _bucket}/{@code _sum}/
   * {@code _count} of histograms and summaries, which the translator adds).
   *
   * @param counter a monotonic sum: gets {@code _total}
   * @param gauge a gauge (or a non-monotonic sum): unit {@code 1} gives {@code _ratio}
   * @param suffixes whether to add unit and type suffixes at all
   */
  static String metricName(String name, String unit, boolean counter, boolean gauge, boolean suffixes) {
    String base = sanitizeMetricName(name);
    if (!suffixes) {
      return base;
    }
    if (counter && base.endsWith("_total")) {
      base = base.substring(0, base.length() - "_total".length());
    }
    String unitSuffix = unitSuffix(unit);
    if (!unitSuffix.isEmpty() && !base.endsWith("_" + unitSuffix) && !base.equals(unitSuffix)) {
      base = base + "_" + unitSuffix;
    }
    if (gauge && "1".equals(unit == null ? null : unit.trim()) && !base.endsWith("_ratio")) {
      base = base + "_ratio";
    }
    if (counter) {
      base = base + "_total";
    }
    return base;
  }

  /** The unit as a name suffix, e.g. {@code bytes_per_second}; empty for none, {@code 1} or pure annotations. */
  static String unitSuffix(String unit) {
    if (unit == null) {
      return "";
    }
    String u = unit.replaceAll("\\{[^}]*}", "").trim();
    if (u.isEmpty()) {
      return "";
    }
    int slash = u.indexOf('/');
    String main = slash < 0 ? u : u.substring(0, slash).trim();
    String per = slash < 0 ? "" : u.substring(slash + 1).trim();
    String mainName = main.isEmpty() ? "" : UNITS.getOrDefault(main, main);
    String perName = per.isEmpty() ? "" : PER_UNITS.getOrDefault(per, per);
    String suffix;
    if (perName.isEmpty()) {
      suffix = mainName;
    } else if (mainName.isEmpty()) {
      suffix = "per_" + perName;
    } else {
      suffix = mainName + "_per_" + perName;
    }
    return trimUnderscores(collapseUnderscores(replaceInvalid(suffix, false)));
  }

  /** A valid Prometheus metric name for {@code name}. */
  static String sanitizeMetricName(String name) {
    String s = trimUnderscores(collapseUnderscores(replaceInvalid(name, true)));
    if (s.isEmpty()) {
      return "_";
    }
    return Character.isDigit(s.charAt(0)) ? "_" + s : s;
  }

  /** A valid Prometheus label name for an attribute key. */
  static String labelName(String key) {
    String s = replaceInvalid(key, false);
    if (s.isEmpty()) {
      return "key_empty";
    }
    if (Character.isDigit(s.charAt(0))) {
      return "key_" + s;
    }
    if (s.charAt(0) == '_' && !s.startsWith("__")) {
      return "key" + s;
    }
    if (s.startsWith("__")) {
      // Names starting with __ are reserved for Prometheus itself (__name__ above all).
      return "key" + s;
    }
    return s;
  }

  /**
   * A bucket bound or quantile as Prometheus writes it: shortest decimal form, no exponent,
   * {@code +Inf}/{@code -Inf} for infinities (the same bound always gives the same string).
   */
  static String formatFloat(double value) {
    if (value == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (value == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (value == 0) {
      return "0";
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static String replaceInvalid(String s, boolean allowColon) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
          || (allowColon && c == ':');
      if (!ok && b == null) {
        b = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (b != null) {
        b.append(ok ? c : '_');
      }
    }
    return b == null ? s : b.toString();
  }

  private static String collapseUnderscores(String s) {
    return s.contains("__") ? s.replaceAll("_{2,}", "_") : s;
  }

  private static String trimUnderscores(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '_') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '_') {
      end--;
    }
    return s.substring(start, end);
  }
}
