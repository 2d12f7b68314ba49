package io.tributary.alerting;

import java.util.List;

/**
 * Rule files that cannot be used. The message lists every problem found, each with file, line,
 * rule and reason ({@link RuleProblem}), so an operator fixes them in one go.
 */
public final class AlertRulesException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<RuleProblem> problems;

  AlertRulesException(List<RuleProblem> problems) {
    super("Invalid alert rules (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n  "
        + String.join("\n  ", problems.stream().map(RuleProblem::toString).toList()));
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in file order. */
  public List<RuleProblem> problems() {
    return problems;
  }
}
