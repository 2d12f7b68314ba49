package io.tributary.processors;

/** The one shape of every config problem: {@code <where>: <value> (expected: <what is allowed>)}. */
final class Problems {

  private Problems() {}

  static String format(String where, Object value, String expected) {
    return where + ": " + render(value) + " (expected: " + expected + ")";
  }

  /** Strings quoted so blanks show; other values as they print. */
  static String render(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }
}
