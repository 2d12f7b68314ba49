package io.tributary.alerting.internal.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An annotation template, a small subset of Prometheus's: text with actions in {@code {{ }}}, each
 * a variable ({@code $value}, {@code $labels.<name>}) passed through functions, written as pipes or
 * calls: {@code {{ $value | printf "%.2f" }}}, {@code {{ printf "%.1f%%" $value }}},
 * {@code {{ humanize $value }}}. Functions: {@code printf "<format>"} (one verb of
 * {@code %d %f %e %g %s %v} with flags, width and precision), {@code humanize},
 * {@code humanizePercentage}, {@code humanizeDuration}, {@code toUpper}, {@code toLower}.
 * Everything is checked when the rule file is read; rendering never throws.
 */
public final class Template {

  /** The functions, for error messages. */
  public static final String FUNCTIONS = "printf, humanize, humanizePercentage, humanizeDuration, toUpper, toLower";

  private static final Set<String> UNARY = Set.of("humanize", "humanizePercentage", "humanizeDuration", "toUpper", "toLower");
  private static final Pattern VERB = Pattern.compile("%[-+ 0#]*\\d*(?:\\.\\d+)?([dfeEgGsvxX%])");
  private static final Pattern LABEL_VARIABLE = Pattern.compile("\\$labels\\.([A-Za-z_][A-Za-z0-9_]*)");

  /** One piece of the template: literal text, or an action. */
  private sealed interface Part permits Literal, Action {}

  private record Literal(String text) implements Part {}

  private record Call(String function, String argument) {}

  /** {@code label} is null for {@code $value}. */
  private record Action(String label, List<Call> calls) implements Part {}

  private final String text;
  private final List<Part> parts;

  private Template(String text, List<Part> parts) {
    this.text = text;
    this.parts = parts;
  }

  /**
   * Parses {@code text}; {@code labels} are the label names the alert will carry, so a
   * {@code $labels.x} no alert can have is an error now rather than an empty string later.
   */
  public static Template parse(String text, Set<String> labels) throws ExprSyntaxException {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf("{{", at);
      if (open < 0) {
        parts.add(new Literal(text.substring(at)));
        break;
      }
      int stray = text.indexOf("}}", at);
      if (stray >= 0 && stray < open) {
        throw new ExprSyntaxException(stray + 1, "'}}' without '{{'");
      }
      if (open > at) {
        parts.add(new Literal(text.substring(at, open)));
      }
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        throw new ExprSyntaxException(open + 1, "'{{' is not closed (expected: '}}')");
      }
      parts.add(action(text.substring(open + 2, close), open + 3, labels));
      at = close + 2;
    }
    return new Template(text, List.copyOf(parts));
  }

  /** The text as written in the rule file. */
  public String text() {
    return text;
  }

  /**
   * The text with each action replaced; an action that cannot apply (a number format on a
   * non-numeric label) writes the plain value instead and calls {@code onError}.
   */
  public String render(Map<String, String> labels, double value, Runnable onError) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        out.append(literal.text());
      } else {
        Action action = (Action) part;
        Object current = action.label() == null ? (Object) value : labels.getOrDefault(action.label(), "");
        for (Call call : action.calls()) {
          try {
            current = apply(call, current);
          } catch (RuntimeException e) {
            onError.run();
            current = plain(current);
          }
        }
        out.append(plain(current));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }

  /** {@code value} as Prometheus prints {@code $value}: shortest form, no exponent for usual sizes. */
  public static String formatValue(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 1e-6 && magnitude < 1e21) {
      return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
    return Double.toString(value);
  }

  private static Part action(String body, int column, Set<String> labels) throws ExprSyntaxException {
    String[] segments = body.split("\\|", -1);
    List<Call> calls = new ArrayList<>();
    String variable = null;
    for (int i = 0; i < segments.length; i++) {
      List<String> words = words(segments[i], column);
      if (words.isEmpty()) {
        throw new ExprSyntaxException(column, "empty action or pipe stage in '{{" + body + "}}'");
      }
      if (i == 0 && words.get(0).startsWith("$")) {
        if (words.size() > 1) {
          throw new ExprSyntaxException(column, "unexpected '" + words.get(1) + "' after " + words.get(0)
              + " (expected: '|' before a function)");
        }
        variable = words.get(0);
        continue;
      }
      if (i == 0) {
        // Call form: {{ fn ["arg"] $variable }}
        String last = words.get(words.size() - 1);
        if (!last.startsWith("$")) {
          throw new ExprSyntaxException(column, "'{{" + body + "}}' names no variable (expected: $value or $labels.<name>)");
        }
        variable = last;
        words = words.subList(0, words.size() - 1);
      }
      calls.add(call(words, column));
    }
    String label = null;
    if (variable == null) {
      throw new ExprSyntaxException(column, "'{{" + body + "}}' names no variable (expected: $value or $labels.<name>)");
    }
    if (!variable.equals("$value")) {
      Matcher m = LABEL_VARIABLE.matcher(variable);
      if (!m.matches()) {
        throw new ExprSyntaxException(column, "unknown variable '" + variable + "' (expected: $value or $labels.<name>)");
      }
      label = m.group(1);
      if (!labels.contains(label)) {
        throw new ExprSyntaxException(column, "'" + variable + "': the alert has no label '" + label + "' (expected one of: "
            + String.join(", ", labels.stream().sorted().toList()) + ")");
      }
    }
    return new Action(label, List.copyOf(calls));
  }

  private static Call call(List<String> words, int column) throws ExprSyntaxException {
    String function = words.get(0);
    if (function.equals("printf")) {
      if (words.size() != 2 || !words.get(1).startsWith("\"")) {
        throw new ExprSyntaxException(column, "printf takes one quoted format (expected: printf \"%.2f\")");
      }
      String format = words.get(1).substring(1);
      Matcher verbs = VERB.matcher(format);
      int count = 0;
      while (verbs.find()) {
        if (!verbs.group(1).equals("%")) {
          count++;
        }
      }
      if (count != 1 || format.replaceAll(VERB.pattern(), "").contains("%")) {
        throw new ExprSyntaxException(column, "printf format \"" + format + "\" needs exactly one verb "
            + "(expected: one of %d %f %e %g %s %v, with optional flags, width and precision; %% for a percent sign)");
      }
      return new Call(function, format);
    }
    if (!UNARY.contains(function)) {
      throw new ExprSyntaxException(column, "unknown function '" + function + "' (expected: one of " + FUNCTIONS + ")");
    }
    if (words.size() != 1) {
      throw new ExprSyntaxException(column, function + " takes no argument");
    }
    return new Call(function, null);
  }

  /** Splits on spaces, keeping "quoted strings" as one word (with a leading quote as marker). */
  private static List<String> words(String segment, int column) throws ExprSyntaxException {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < segment.length()) {
      char c = segment.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        StringBuilder value = new StringBuilder("\"");
        i++;
        boolean closed = false;
        while (i < segment.length()) {
          char s = segment.charAt(i++);
          if (s == '"') {
            closed = true;
            break;
          }
          if (s == '\\' && i < segment.length()) {
            char e = segment.charAt(i++);
            value.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
          } else {
            value.append(s);
          }
        }
        if (!closed) {
          throw new ExprSyntaxException(column, "string not closed in template action");
        }
        words.add(value.toString());
      } else {
        int start = i;
        while (i < segment.length() && !Character.isWhitespace(segment.charAt(i))) {
          i++;
        }
        words.add(segment.substring(start, i));
      }
    }
    return words;
  }

  private static Object apply(Call call, Object input) {
    return switch (call.function()) {
      case "printf" -> printf(call.argument(), input);
      case "humanize" -> humanize(number(input));
      case "humanizePercentage" -> formatPercent(number(input));
      case "humanizeDuration" -> humanizeDuration(number(input));
      case "toUpper" -> plain(input).toUpperCase(Locale.ROOT);
      default -> plain(input).toLowerCase(Locale.ROOT);
    };
  }

  private static String printf(String format, Object input) {
    Matcher verb = VERB.matcher(format);
    String javaFormat = format;
    Object argument = input;
    while (verb.find()) {
      char kind = verb.group(1).charAt(0);
      switch (kind) {
        case '%' -> { }
        case 'd', 'x', 'X' -> argument = Math.round(number(input));
        case 'f', 'e', 'E', 'g', 'G' -> argument = number(input);
        case 'v' -> {
          javaFormat = javaFormat.substring(0, verb.end() - 1) + "s" + javaFormat.substring(verb.end());
          argument = plain(input);
        }
        default -> argument = plain(input);
      }
    }
    try {
      return String.format(Locale.ROOT, javaFormat, argument);
    } catch (IllegalFormatException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static double number(Object input) {
    if (input instanceof Double d) {
      return d;
    }
    double parsed = Fields.number(input);
    if (Double.isNaN(parsed) && !"NaN".equals(input)) {
      throw new IllegalArgumentException("not a number: " + input);
    }
    return parsed;
  }

  private static String plain(Object value) {
    return value instanceof Double d ? formatValue(d) : String.valueOf(value);
  }

  /** 1234 -> 1.234k, 0.0012 -> 1.2m, as Prometheus's humanize. */
  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return formatValue(v);
    }
    String[] big = {"", "k", "M", "G", "T", "P", "E"};
    String[] small = {"", "m", "u", "n", "p", "f", "a"};
    double abs = Math.abs(v);
    int i = 0;
    if (abs >= 1) {
      while (abs >= 1000 && i < big.length - 1) {
        abs /= 1000;
        v /= 1000;
        i++;
      }
      return significant(v) + big[i];
    }
    while (abs < 1 && i < small.length - 1) {
      abs *= 1000;
      v *= 1000;
      i++;
    }
    return significant(v) + small[i];
  }

  static String formatPercent(double v) {
    return significant(v * 100) + "%";
  }

  /** Seconds as {@code 1d 2h 3m 4s}, or {@code 250ms} under a second. */
  static String humanizeDuration(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return formatValue(seconds);
    }
    if (Math.abs(seconds) < 1) {
      return significant(seconds * 1000) + "ms";
    }
    long total = Math.round(Math.abs(seconds));
    List<String> out = new ArrayList<>();
    long[] units = {86_400, 3_600, 60, 1};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (total >= units[i]) {
        out.add(total / units[i] + names[i]);
        total %= units[i];
      }
    }
    return (seconds < 0 ? "-" : "") + String.join(" ", out);
  }

  /** Four significant digits, trailing zeros dropped (Go's %.4g). */
  private static String significant(double v) {
    return new BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
