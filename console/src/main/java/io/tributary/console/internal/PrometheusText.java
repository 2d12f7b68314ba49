package io.tributary.console.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the counters of a Prometheus text exposition ({@code /metrics} of every role): the samples
 * of families ending in {@code _total}, by series ({@code name{labels}} as written). Comments, other
 * types and lines it cannot read are skipped: a role's odd line must not blank the overview.
 */
final class PrometheusText {

  private PrometheusText() {}

  /** Series ({@code name} or {@code name{labels}}) to value, for names accepted by {@code wanted}. */
  static Map<String, Double> counters(String text, java.util.function.Predicate<String> wanted) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      int brace = line.indexOf('{');
      int space;
      if (brace >= 0) {
        int close = line.lastIndexOf('}');
        if (close < brace) {
          continue;
        }
        space = line.indexOf(' ', close);
      } else {
        space = line.indexOf(' ');
      }
      if (space < 0) {
        continue;
      }
      String series = line.substring(0, space);
      String name = brace >= 0 && brace < space ? series.substring(0, brace) : series;
      if (!name.endsWith("_total") || !wanted.test(name)) {
        continue;
      }
      String rest = line.substring(space + 1).trim();
      int end = rest.indexOf(' ');
      try {
        double value = Double.parseDouble(end < 0 ? rest : rest.substring(0, end));
        if (!Double.isNaN(value)) {
          values.put(series, value);
        }
      } catch (NumberFormatException e) {
        // Not a sample line (or a value we cannot use): skipped, as documented.
      }
    }
    return values;
  }

  /** The family name of a series: {@code a_total{x="1"}} is {@code a_total}. */
  static String family(String series) {
    int brace = series.indexOf('{');
    return brace < 0 ? series : series.substring(0, brace);
  }

  /**
   * The value of label {@code name} of a series (escapes undone), or null: {@code a_total{x="1",y="2"}}
   * gives {@code 2} for {@code y}.
   */
  static String label(String series, String name) {
    String labels = labels(series);
    int i = 0;
    while (i < labels.length()) {
      int eq = labels.indexOf("=\"", i);
      if (eq < 0) {
        return null;
      }
      String key = labels.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < labels.length() && labels.charAt(j) != '"'; j++) {
        char c = labels.charAt(j);
        if (c == '\\' && j + 1 < labels.length()) {
          char next = labels.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      if (key.equals(name)) {
        return value.toString();
      }
      i = j + 1;
      if (i < labels.length() && labels.charAt(i) == ',') {
        i++;
      }
    }
    return null;
  }

  /** The labels of a series without braces, or {@code ""}: {@code a_total{x="1"}} gives {@code x="1"}. */
  static String labels(String series) {
    int brace = series.indexOf('{');
    return brace < 0 ? "" : series.substring(brace + 1, series.length() - 1);
  }
}
