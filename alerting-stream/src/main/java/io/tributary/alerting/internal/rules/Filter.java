package io.tributary.alerting.internal.rules;

import io.tributary.alerting.RuleSource;

/**
 * A rule's {@code filter}, compiled: comparisons of a field with a literal
 * ({@code status == "ERROR"}, {@code http.route =~ "/api/.*"}, {@code duration_ms > 500},
 * {@code severity >= "WARN"}), a boolean field alone ({@code root}), joined with
 * {@code and}/{@code or}/{@code not}. A missing attribute reads as the empty string (so
 * {@code x != "a"} holds and {@code x == "a"} does not) and never satisfies a numeric comparison.
 */
@FunctionalInterface
public interface Filter {

  /** Every record. */
  Filter ALL = record -> true;

  boolean test(Object record);

  /** Compiles {@code expr} for records of {@code source}. */
  static Filter compile(Expr expr, RuleSource source) throws ExprSyntaxException {
    return FilterCompiler.compile(expr, source);
  }
}
