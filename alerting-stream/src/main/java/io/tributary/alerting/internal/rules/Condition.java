package io.tributary.alerting.internal.rules;

import io.tributary.alerting.RuleSource;
import io.tributary.alerting.internal.rules.Fields.Field;
import java.util.List;

/**
 * A rule's {@code expr}, compiled: comparisons of windowed aggregates with thresholds, joined with
 * {@code and}/{@code or}/{@code not}. NaN never satisfies a comparison, so a window without the
 * values an aggregate needs does not hold (only {@code count} and {@code rate} are 0 on an empty
 * window rather than NaN).
 */
public final class Condition {

  /** A field whose values the expression aggregates; {@code sketch} when a quantile of it is asked. */
  public record Slot(Field field, boolean sketch) {}

  /**
   * The outcome of one evaluation: whether the condition holds, and its value: the left side of
   * the (first holding) comparison, Prometheus's {@code $value}.
   */
  public record Result(boolean holds, double value) {}

  /** A boolean node. */
  interface Test {
    Result evaluate(WindowStats stats, double windowSeconds);
  }

  /** A numeric node. */
  interface Value {
    double evaluate(WindowStats stats, double windowSeconds);
  }

  private final Test root;
  private final List<Slot> slots;

  Condition(Test root, List<Slot> slots) {
    this.root = root;
    this.slots = List.copyOf(slots);
  }

  /** Compiles {@code expr} for rules reading {@code source}. */
  public static Condition compile(Expr expr, RuleSource source) throws ExprSyntaxException {
    return new ConditionCompiler(source).compile(expr);
  }

  /** The fields whose values a record contributes, in slot order. */
  public List<Slot> slots() {
    return slots;
  }

  /** Evaluates the condition on one window of {@code windowSeconds} seconds. */
  public Result evaluate(WindowStats stats, double windowSeconds) {
    return root.evaluate(stats, windowSeconds);
  }
}
