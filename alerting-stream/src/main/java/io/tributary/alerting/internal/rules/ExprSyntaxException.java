package io.tributary.alerting.internal.rules;

/** An expression that cannot be read or compiled; {@link #column()} is 1-based in the expression text. */
public final class ExprSyntaxException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int column;

  public ExprSyntaxException(int column, String message) {
    super(message);
    this.column = column;
  }

  public int column() {
    return column;
  }
}
