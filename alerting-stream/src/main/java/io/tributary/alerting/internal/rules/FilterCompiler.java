package io.tributary.alerting.internal.rules;

import io.tributary.alerting.RuleSource;
import io.tributary.alerting.internal.rules.Fields.Field;
import io.tributary.alerting.internal.rules.Fields.Type;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds a {@link Filter} from its syntax tree, checking each comparison against the field's type. */
final class FilterCompiler {

  private FilterCompiler() {}

  static Filter compile(Expr expr, RuleSource source) throws ExprSyntaxException {
    if (expr instanceof Expr.Binary b && (b.op().equals("and") || b.op().equals("or"))) {
      Filter left = compile(b.left(), source);
      Filter right = compile(b.right(), source);
      return b.op().equals("and") ? r -> left.test(r) && right.test(r) : r -> left.test(r) || right.test(r);
    }
    if (expr instanceof Expr.Not n) {
      Filter inner = compile(n.operand(), source);
      return r -> !inner.test(r);
    }
    if (expr instanceof Expr.Bool b) {
      return r -> b.value();
    }
    if (expr instanceof Expr.Ref ref) {
      Field field = field(ref, source);
      if (field.type() != Type.BOOLEAN && field.type() != Type.ANY) {
        throw new ExprSyntaxException(ref.column(), "'" + ref.name() + "' is not a boolean (expected: a comparison such as "
            + ref.name() + " == \"value\")");
      }
      return r -> Boolean.TRUE.equals(field.get(r));
    }
    if (expr instanceof Expr.Binary b) {
      return comparison(b, source);
    }
    throw new ExprSyntaxException(expr.column(),
        "expected a comparison of a field with a value, such as status == \"ERROR\" or service.name =~ \"check.*\"");
  }

  private static Filter comparison(Expr.Binary b, RuleSource source) throws ExprSyntaxException {
    String op = b.op();
    if (!(b.left() instanceof Expr.Ref ref)) {
      throw new ExprSyntaxException(b.left().column(),
          "the left of '" + op + "' must be a field or attribute (expected: <field> " + op + " <value>)");
    }
    Field field = field(ref, source);
    Expr right = b.right();
    if (right instanceof Expr.Negate neg && neg.operand() instanceof Expr.Number n) {
      right = new Expr.Number(-n.value(), neg.column());
    }
    if (!(right instanceof Expr.Text) && !(right instanceof Expr.Number) && !(right instanceof Expr.Bool)) {
      throw new ExprSyntaxException(right.column(),
          "the right of '" + op + "' must be a literal: a \"string\", a number, true or false");
    }
    switch (op) {
      case "=~", "!~" -> {
        if (!(right instanceof Expr.Text text)) {
          throw new ExprSyntaxException(right.column(), "'" + op + "' needs a regular expression in quotes");
        }
        Pattern pattern;
        try {
          pattern = Pattern.compile(text.value());
        } catch (PatternSyntaxException e) {
          throw new ExprSyntaxException(right.column(), "invalid regular expression '" + text.value() + "': "
              + e.getDescription() + " (expected: a Java regular expression, matched against the whole value)");
        }
        boolean negate = op.equals("!~");
        return r -> pattern.matcher(Fields.string(field.get(r))).matches() != negate;
      }
      case "==", "!=" -> {
        Filter equal = equality(field, right);
        return op.equals("==") ? equal : r -> !equal.test(r);
      }
      default -> {
        return ordering(field, op, right);
      }
    }
  }

  private static Filter equality(Field field, Expr right) throws ExprSyntaxException {
    if (field.type() == Type.SEVERITY) {
      int[] range = severity(right);
      return r -> {
        int n = ((Number) field.get(r)).intValue();
        return n >= range[0] && n <= range[1];
      };
    }
    if (right instanceof Expr.Number n) {
      double expected = n.value();
      return r -> Fields.number(field.get(r)) == expected;
    }
    if (right instanceof Expr.Bool b) {
      String expected = Boolean.toString(b.value());
      return r -> Fields.string(field.get(r)).equalsIgnoreCase(expected);
    }
    String expected = ((Expr.Text) right).value();
    if (field.allowed() != null) {
      String normalized = expected.toUpperCase(Locale.ROOT);
      if (field.name().equals("kind") && normalized.startsWith("SPAN_KIND_")) {
        normalized = normalized.substring("SPAN_KIND_".length());
      } else if (field.name().equals("status") && normalized.startsWith("STATUS_CODE_")) {
        normalized = normalized.substring("STATUS_CODE_".length());
      }
      if (!field.allowed().contains(normalized)) {
        throw new ExprSyntaxException(right.column(), "unknown " + field.name() + " '" + expected + "' (expected: one of "
            + String.join(", ", field.allowed().stream().sorted().toList()) + ")");
      }
      String value = normalized;
      return r -> value.equals(field.get(r));
    }
    return r -> expected.equals(Fields.string(field.get(r)));
  }

  private static Filter ordering(Field field, String op, Expr right) throws ExprSyntaxException {
    if (field.type() == Type.SEVERITY) {
      int[] range = severity(right);
      return switch (op) {
        case ">=" -> r -> ((Number) field.get(r)).intValue() >= range[0];
        case ">" -> r -> ((Number) field.get(r)).intValue() > range[1];
        case "<=" -> r -> {
          int n = ((Number) field.get(r)).intValue();
          return n > 0 && n <= range[1];
        };
        default -> r -> {
          int n = ((Number) field.get(r)).intValue();
          return n > 0 && n < range[0];
        };
      };
    }
    if (!(right instanceof Expr.Number n)) {
      throw new ExprSyntaxException(right.column(), "'" + op + "' compares numbers (expected: a number on the right)");
    }
    if (field.type() == Type.STRING || field.type() == Type.BOOLEAN) {
      throw new ExprSyntaxException(field.name().length() > 0 ? right.column() : 1,
          "'" + field.name() + "' is not a number, so '" + op + "' does not apply");
    }
    double limit = n.value();
    return switch (op) {
      case "<" -> r -> Fields.number(field.get(r)) < limit;
      case "<=" -> r -> Fields.number(field.get(r)) <= limit;
      case ">" -> r -> Fields.number(field.get(r)) > limit;
      default -> r -> Fields.number(field.get(r)) >= limit;
    };
  }

  private static int[] severity(Expr right) throws ExprSyntaxException {
    if (right instanceof Expr.Number n) {
      int v = (int) n.value();
      return new int[] {v, v};
    }
    String name = right instanceof Expr.Text t ? t.value() : "";
    int[] range = Fields.severityRange(name);
    if (range == null) {
      throw new ExprSyntaxException(right.column(), "unknown severity '" + name + "' (expected: one of "
          + String.join(", ", Fields.SEVERITIES.keySet()) + ", or a severity number 1-24)");
    }
    return range;
  }

  static Field field(Expr.Ref ref, RuleSource source) throws ExprSyntaxException {
    Field field = Fields.resolve(source, ref.name());
    if (field == null) {
      throw new ExprSyntaxException(ref.column(), "'" + ref.name() + "' names no field (expected: a built-in field of "
          + source + " (" + String.join(", ", Fields.builtIns(source)) + ") or an attribute key)");
    }
    return field;
  }
}
