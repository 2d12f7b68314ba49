package io.tributary.processors.enrich;

/**
 * The price of one LLM model in US dollars per million tokens, as providers list them. The YAML file
 * spells it {@code {input: 2.50, output: 10.00}}; the prices topic {@code {"input": 2.5, "output": 10.0}}.
 *
 * @param input US dollars per million input (prompt) tokens, >= 0
 * @param output US dollars per million output (completion) tokens, >= 0
 */
public record LlmPrice(double input, double output) {

  public static final String PRICE_EXPECTED = "a number >= 0, US dollars per million tokens";

  public LlmPrice {
    check("input", input);
    check("output", output);
  }

  /** The cost in US dollars of a call with these token counts. */
  public double costUsd(long inputTokens, long outputTokens) {
    return (inputTokens * input + outputTokens * output) / 1_000_000.0;
  }

  private static void check(String key, double usd) {
    if (!(usd >= 0) || Double.isInfinite(usd)) { // also rejects NaN
      throw new IllegalArgumentException(key + ": " + usd + " (expected: " + PRICE_EXPECTED + ")");
    }
  }
}
