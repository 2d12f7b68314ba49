package io.tributary.alerting.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser for rule expressions (the grammar is in {@code docs/alerting.md}):
 *
 * <pre>
 * expr       := and ('or' and)*
 * and        := unary ('and' unary)*
 * unary      := 'not' unary | comparison
 * comparison := sum (('==' | '!=' | '=~' | '!~' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') sum)?
 * sum        := product (('+' | '-') product)*
 * product    := sign (('*' | '/') sign)*
 * sign       := '-' sign | primary
 * primary    := NUMBER | STRING | 'true' | 'false' | '(' expr ')'
 *             | NAME ('[' STRING ']')? ('(' expr? ')')?
 * </pre>
 *
 * Names may hold dots ({@code service.name}); keywords are case-insensitive.
 */
public final class ExprParser {

  private static final Set<String> COMPARISONS = Set.of("==", "!=", "=~", "!~", "<", "<=", ">", ">=");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "true", "false");

  private enum Kind { NAME, NUMBER, STRING, SYMBOL, END }

  private record Token(Kind kind, String text, int column) {}

  private final List<Token> tokens;
  private int next;

  private ExprParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** The tree of {@code text}. */
  public static Expr parse(String text) throws ExprSyntaxException {
    ExprParser parser = new ExprParser(tokenize(text));
    if (parser.peek().kind == Kind.END) {
      throw new ExprSyntaxException(1, "empty expression");
    }
    Expr expr = parser.or();
    Token rest = parser.peek();
    if (rest.kind != Kind.END) {
      throw new ExprSyntaxException(rest.column, "unexpected '" + rest.text + "' (expected: an operator or the end)");
    }
    return expr;
  }

  private Expr or() throws ExprSyntaxException {
    Expr left = and();
    while (keyword("or")) {
      Token op = take();
      left = new Expr.Binary("or", left, and(), op.column);
    }
    return left;
  }

  private Expr and() throws ExprSyntaxException {
    Expr left = unary();
    while (keyword("and")) {
      Token op = take();
      left = new Expr.Binary("and", left, unary(), op.column);
    }
    return left;
  }

  private Expr unary() throws ExprSyntaxException {
    if (keyword("not")) {
      Token op = take();
      return new Expr.Not(unary(), op.column);
    }
    return comparison();
  }

  private Expr comparison() throws ExprSyntaxException {
    Expr left = sum();
    Token op = peek();
    if (op.kind == Kind.SYMBOL && COMPARISONS.contains(op.text)) {
      take();
      Expr right = sum();
      Token again = peek();
      if (again.kind == Kind.SYMBOL && COMPARISONS.contains(again.text)) {
        throw new ExprSyntaxException(again.column, "comparisons do not chain (expected: 'and' between two comparisons)");
      }
      return new Expr.Binary(op.text, left, right, op.column);
    }
    return left;
  }

  private Expr sum() throws ExprSyntaxException {
    Expr left = product();
    while (symbol("+") || symbol("-")) {
      Token op = take();
      left = new Expr.Binary(op.text, left, product(), op.column);
    }
    return left;
  }

  private Expr product() throws ExprSyntaxException {
    Expr left = sign();
    while (symbol("*") || symbol("/")) {
      Token op = take();
      left = new Expr.Binary(op.text, left, sign(), op.column);
    }
    return left;
  }

  private Expr sign() throws ExprSyntaxException {
    if (symbol("-")) {
      Token op = take();
      return new Expr.Negate(sign(), op.column);
    }
    return primary();
  }

  private Expr primary() throws ExprSyntaxException {
    Token token = take();
    switch (token.kind) {
      case NUMBER -> {
        return new Expr.Number(Double.parseDouble(token.text), token.column);
      }
      case STRING -> {
        return new Expr.Text(token.text, token.column);
      }
      case NAME -> {
        String lower = token.text.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
          return new Expr.Bool(lower.equals("true"), token.column);
        }
        if (KEYWORDS.contains(lower)) {
          throw new ExprSyntaxException(token.column, "unexpected '" + token.text + "' (expected: a value)");
        }
        String name = token.text;
        if (symbol("[")) {
          take();
          Token key = take();
          if (key.kind != Kind.STRING) {
            throw new ExprSyntaxException(key.column, "expected a quoted key inside [ ]");
          }
          expect("]");
          name = name + "." + key.text;
        }
        if (symbol("(")) {
          take();
          Expr argument = null;
          if (!symbol(")")) {
            argument = or();
          }
          expect(")");
          return new Expr.Call(name, argument, token.column);
        }
        return new Expr.Ref(name, token.column);
      }
      case SYMBOL -> {
        if (token.text.equals("(")) {
          Expr inner = or();
          expect(")");
          return inner;
        }
        throw new ExprSyntaxException(token.column, "unexpected '" + token.text + "' (expected: a value)");
      }
      default -> throw new ExprSyntaxException(token.column, "unexpected end (expected: a value)");
    }
  }

  private void expect(String symbol) throws ExprSyntaxException {
    Token token = take();
    if (token.kind != Kind.SYMBOL || !token.text.equals(symbol)) {
      throw new ExprSyntaxException(token.column,
          (token.kind == Kind.END ? "unexpected end" : "unexpected '" + token.text + "'") + " (expected: '" + symbol + "')");
    }
  }

  private boolean keyword(String word) {
    Token token = peek();
    return token.kind == Kind.NAME && token.text.equalsIgnoreCase(word);
  }

  private boolean symbol(String text) {
    Token token = peek();
    return token.kind == Kind.SYMBOL && token.text.equals(text);
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token token = tokens.get(next);
    if (token.kind != Kind.END) {
      next++;
    }
    return token;
  }

  private static List<Token> tokenize(String text) throws ExprSyntaxException {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int column = i + 1;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
            || text.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.NAME, text.substring(start, i), column));
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
        int start = i;
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
          i++;
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
          int mark = i++;
          if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
          }
          if (i < text.length() && Character.isDigit(text.charAt(i))) {
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
              i++;
            }
          } else {
            i = mark;
          }
        }
        String number = text.substring(start, i);
        if (i < text.length() && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
          throw new ExprSyntaxException(column, "'" + number + text.charAt(i)
              + "...' is not a number (expected: a plain number such as 0.05 or 500; durations are not allowed here)");
        }
        try {
          Double.parseDouble(number);
        } catch (NumberFormatException e) {
          throw new ExprSyntaxException(column, "'" + number + "' is not a number");
        }
        tokens.add(new Token(Kind.NUMBER, number, column));
      } else if (c == '"' || c == '\'') {
        StringBuilder value = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < text.length()) {
          char s = text.charAt(i++);
          if (s == c) {
            closed = true;
            break;
          }
          if (s == '\\' && i < text.length()) {
            char escaped = text.charAt(i++);
            value.append(switch (escaped) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> escaped;
            });
          } else {
            value.append(s);
          }
        }
        if (!closed) {
          throw new ExprSyntaxException(column, "string not closed (expected: a closing " + c + ")");
        }
        tokens.add(new Token(Kind.STRING, value.toString(), column));
      } else {
        String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
        if (COMPARISONS.contains(two)) {
          tokens.add(new Token(Kind.SYMBOL, two, column));
          i += 2;
        } else if ("<>+-*/()[],".indexOf(c) >= 0) {
          tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), column));
          i++;
        } else if (c == '=') {
          throw new ExprSyntaxException(column, "'=' alone is not an operator (expected: == for equality, =~ for a regex)");
        } else {
          throw new ExprSyntaxException(column, "unexpected character '" + c + "'");
        }
      }
    }
    tokens.add(new Token(Kind.END, "", text.length() + 1));
    return tokens;
  }
}
