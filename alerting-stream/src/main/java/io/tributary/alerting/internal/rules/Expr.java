package io.tributary.alerting.internal.rules;

/**
 * The syntax tree of a rule's {@code filter} or {@code expr}. Columns are 1-based positions in the
 * expression text, for error messages.
 */
public sealed interface Expr {

  int column();

  /** A number literal. */
  record Number(double value, int column) implements Expr {}

  /** A string literal. */
  record Text(String value, int column) implements Expr {}

  /** {@code true} or {@code false}. */
  record Bool(boolean value, int column) implements Expr {}

  /**
   * A field or attribute: {@code service.name}, {@code duration_ms}, or a quoted key,
   * {@code attributes["my key"]} / {@code resource["my key"]} (then {@code name} is
   * {@code attributes.my key} / {@code resource.my key}).
   */
  record Ref(String name, int column) implements Expr {}

  /** A function call, {@code p95(duration_ms)}; {@code argument} is null for {@code count()}. */
  record Call(String function, Expr argument, int column) implements Expr {}

  /** {@code not x}. */
  record Not(Expr operand, int column) implements Expr {}

  /** {@code -x}. */
  record Negate(Expr operand, int column) implements Expr {}

  /** {@code left op right}; op is one of {@code or and == != =~ !~ < <= > >= + - * /}. */
  record Binary(String op, Expr left, Expr right, int column) implements Expr {}
}
