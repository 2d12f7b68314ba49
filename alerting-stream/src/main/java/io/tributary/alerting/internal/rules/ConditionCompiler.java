package io.tributary.alerting.internal.rules;

import io.tributary.alerting.RuleSource;
import io.tributary.alerting.internal.rules.Condition.Result;
import io.tributary.alerting.internal.rules.Condition.Slot;
import io.tributary.alerting.internal.rules.Condition.Test;
import io.tributary.alerting.internal.rules.Condition.Value;
import io.tributary.alerting.internal.rules.Fields.Field;
import io.tributary.alerting.internal.rules.Fields.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns an {@code expr} tree into a {@link Condition}, giving each aggregated field a value slot. */
final class ConditionCompiler {

  /** The aggregates, for error messages. */
  static final String AGGREGATES = "count, rate, error_ratio, sum, avg, min, max, last, p50, p75, p90, p95, p99, p999";

  private static final Map<String, Double> QUANTILES = Map.of("p50", 0.5, "p75", 0.75, "p90", 0.9, "p95", 0.95,
      "p99", 0.99, "p999", 0.999);

  private final RuleSource source;
  private final List<Field> fields = new ArrayList<>();
  private final List<Boolean> sketches = new ArrayList<>();

  ConditionCompiler(RuleSource source) {
    this.source = source;
  }

  Condition compile(Expr expr) throws ExprSyntaxException {
    Test root = test(expr);
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      slots.add(new Slot(fields.get(i), sketches.get(i)));
    }
    return new Condition(root, slots);
  }

  private Test test(Expr expr) throws ExprSyntaxException {
    if (expr instanceof Expr.Binary b && b.op().equals("and")) {
      Test left = test(b.left());
      Test right = test(b.right());
      return (stats, seconds) -> {
        Result l = left.evaluate(stats, seconds);
        return new Result(l.holds() && right.evaluate(stats, seconds).holds(), l.value());
      };
    }
    if (expr instanceof Expr.Binary b && b.op().equals("or")) {
      Test left = test(b.left());
      Test right = test(b.right());
      return (stats, seconds) -> {
        Result l = left.evaluate(stats, seconds);
        if (l.holds()) {
          return l;
        }
        Result r = right.evaluate(stats, seconds);
        return r.holds() ? r : l;
      };
    }
    if (expr instanceof Expr.Not n) {
      Test inner = test(n.operand());
      return (stats, seconds) -> {
        Result r = inner.evaluate(stats, seconds);
        return new Result(!r.holds(), r.value());
      };
    }
    if (expr instanceof Expr.Binary b && isComparison(b.op())) {
      Value left = value(b.left());
      Value right = value(b.right());
      String op = b.op();
      return (stats, seconds) -> {
        double l = left.evaluate(stats, seconds);
        double r = right.evaluate(stats, seconds);
        return new Result(compare(op, l, r), l);
      };
    }
    if (expr instanceof Expr.Binary b && (b.op().equals("=~") || b.op().equals("!~"))) {
      throw new ExprSyntaxException(b.column(), "'" + b.op() + "' belongs in filter, not in expr (expected: an aggregate "
          + "compared with a number, such as error_ratio > 0.05)");
    }
    throw new ExprSyntaxException(expr.column(), "expected a comparison such as error_ratio > 0.05 or "
        + "p95(duration_ms) >= 500 (with and/or/not between comparisons)");
  }

  private Value value(Expr expr) throws ExprSyntaxException {
    if (expr instanceof Expr.Number n) {
      double v = n.value();
      return (stats, seconds) -> v;
    }
    if (expr instanceof Expr.Negate n) {
      Value inner = value(n.operand());
      return (stats, seconds) -> -inner.evaluate(stats, seconds);
    }
    if (expr instanceof Expr.Binary b && "+-*/".contains(b.op()) && b.op().length() == 1) {
      Value left = value(b.left());
      Value right = value(b.right());
      return switch (b.op()) {
        case "+" -> (stats, seconds) -> left.evaluate(stats, seconds) + right.evaluate(stats, seconds);
        case "-" -> (stats, seconds) -> left.evaluate(stats, seconds) - right.evaluate(stats, seconds);
        case "*" -> (stats, seconds) -> left.evaluate(stats, seconds) * right.evaluate(stats, seconds);
        default -> (stats, seconds) -> {
          double divisor = right.evaluate(stats, seconds);
          return divisor == 0 ? Double.NaN : left.evaluate(stats, seconds) / divisor;
        };
      };
    }
    if (expr instanceof Expr.Ref ref) {
      return aggregate(ref.name(), null, ref.column(), false);
    }
    if (expr instanceof Expr.Call call) {
      return aggregate(call.function(), call.argument(), call.column(), true);
    }
    if (expr instanceof Expr.Text t) {
      throw new ExprSyntaxException(t.column(), "expr compares numbers; the string \"" + t.value() + "\" has no place here "
          + "(string matches belong in filter)");
    }
    throw new ExprSyntaxException(expr.column(), "expected a number or an aggregate (" + AGGREGATES + ")");
  }

  private Value aggregate(String name, Expr argument, int column, boolean called) throws ExprSyntaxException {
    String function = name.toLowerCase(Locale.ROOT);
    switch (function) {
      case "count", "rate" -> {
        boolean rate = function.equals("rate");
        if (argument == null) {
          return rate ? (stats, seconds) -> stats.count() / seconds : (stats, seconds) -> stats.count();
        }
        int slot = slot(argument, function, false);
        return rate ? (stats, seconds) -> stats.valueCount(slot) == 0 ? 0 : stats.sum(slot) / seconds
            : (stats, seconds) -> stats.valueCount(slot);
      }
      case "error_ratio" -> {
        if (argument != null) {
          throw new ExprSyntaxException(argument.column(), "error_ratio takes no argument (expected: error_ratio or error_ratio())");
        }
        if (source == RuleSource.METRICS) {
          throw new ExprSyntaxException(column, "error_ratio applies to spans (status ERROR) and logs (severity ERROR "
              + "or worse), not to metrics (expected: source spans or logs)");
        }
        return (stats, seconds) -> stats.count() == 0 ? Double.NaN : (double) stats.errors() / stats.count();
      }
      case "sum", "avg", "min", "max", "last" -> {
        int slot = slot(required(argument, function, column), function, false);
        return switch (function) {
          case "sum" -> (stats, seconds) -> stats.valueCount(slot) == 0 ? Double.NaN : stats.sum(slot);
          case "avg" -> (stats, seconds) -> stats.valueCount(slot) == 0 ? Double.NaN : stats.sum(slot) / stats.valueCount(slot);
          case "min" -> (stats, seconds) -> stats.valueCount(slot) == 0 ? Double.NaN : stats.min(slot);
          case "max" -> (stats, seconds) -> stats.valueCount(slot) == 0 ? Double.NaN : stats.max(slot);
          default -> (stats, seconds) -> stats.valueCount(slot) == 0 ? Double.NaN : stats.last(slot);
        };
      }
      default -> {
        Double q = QUANTILES.get(function);
        if (q != null) {
          int slot = slot(required(argument, function, column), function, true);
          double quantile = q;
          return (stats, seconds) -> stats.valueCount(slot) == 0 ? Double.NaN : stats.quantile(slot, quantile);
        }
        if (called) {
          throw new ExprSyntaxException(column, "unknown aggregate '" + name + "' (expected: one of " + AGGREGATES + ")");
        }
        throw new ExprSyntaxException(column, "'" + name + "' is not an aggregate: a field must be aggregated over the window "
            + "(expected: one of " + AGGREGATES + ", e.g. avg(" + name + ") or p95(" + name + "))");
      }
    }
  }

  private static Expr required(Expr argument, String function, int column) throws ExprSyntaxException {
    if (argument == null) {
      throw new ExprSyntaxException(column, function + " needs the field it aggregates (expected: " + function
          + "(duration_ms), " + function + "(value) or " + function + "(<numeric attribute>))");
    }
    return argument;
  }

  private int slot(Expr argument, String function, boolean sketch) throws ExprSyntaxException {
    if (!(argument instanceof Expr.Ref ref)) {
      throw new ExprSyntaxException(argument.column(), function + " aggregates one field (expected: a field name such as "
          + "duration_ms, value or an attribute key)");
    }
    Field field = FilterCompiler.field(ref, source);
    if (field.type() != Type.NUMBER && field.type() != Type.ANY) {
      throw new ExprSyntaxException(ref.column(), "'" + ref.name() + "' is not numeric, so " + function
          + " cannot aggregate it (expected: a numeric field or attribute)");
    }
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(field.name())) {
        sketches.set(i, sketches.get(i) || sketch);
        return i;
      }
    }
    fields.add(field);
    sketches.add(sketch);
    return fields.size() - 1;
  }

  private static boolean isComparison(String op) {
    return switch (op) {
      case "==", "!=", "<", "<=", ">", ">=" -> true;
      default -> false;
    };
  }

  private static boolean compare(String op, double l, double r) {
    return switch (op) {
      case "==" -> l == r;
      case "!=" -> l != r && !Double.isNaN(l) && !Double.isNaN(r);
      case "<" -> l < r;
      case "<=" -> l <= r;
      case ">" -> l > r;
      default -> l >= r;
    };
  }
}
