package io.tributary.alerting;

/**
 * One problem of a rule file: where, which rule, what is wrong and what is allowed, e.g.
 * {@code rules.yaml:14:14: rule 'HighErrorRatio': window: '5 minutes' (expected: a duration such as 30s, 5m, ...)}.
 *
 * @param file the file
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param column 1-based column, or 0 when unknown
 * @param rule the alert name of the rule, or null when the problem is outside a rule or the rule has no name
 * @param reason what is wrong and what is expected
 */
public record RuleProblem(String file, int line, int column, String rule, String reason) {

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(file);
    if (line > 0) {
      out.append(':').append(line);
      if (column > 0) {
        out.append(':').append(column);
      }
    }
    out.append(": ");
    if (rule != null) {
      out.append("rule '").append(rule).append("': ");
    }
    return out.append(reason).toString();
  }
}
