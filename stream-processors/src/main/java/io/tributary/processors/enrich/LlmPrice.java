package io.tributary.processors.enrich;

import java.util.List;

/**
 * The price of one LLM model in US dollars per million tokens, as providers list them. The YAML file
 * spells it {@code {input: 3.00, output: 15.00, cache-read: 0.30, cache-creation: 3.75, reasoning: 15.00}},
 * the prices topic {@code {"input": 3, "output": 15, "cache-read": 0.3}}; only input and output are required.
 *
 * <p>As in the GenAI semantic conventions, cached input tokens are part of the input tokens and
 * reasoning tokens part of the output tokens: a specific rate prices its tokens instead of the base
 * rate, never on top of it. Without a specific rate its tokens are priced at the base rate, so a
 * two-rate entry prices every call exactly as it always did.
 *
 * @param input US dollars per million input (prompt) tokens, >= 0
 * @param output US dollars per million output (completion) tokens, >= 0
 * @param cacheRead US dollars per million input tokens read from the provider's prompt cache; null: {@code input}
 * @param cacheCreation US dollars per million input tokens written to the prompt cache; null: {@code input}
 * @param reasoning US dollars per million output tokens spent reasoning; null: {@code output}
 */
public record LlmPrice(double input, double output, Double cacheRead, Double cacheCreation, Double reasoning) {

  public static final String PRICE_EXPECTED = "a number >= 0, US dollars per million tokens";
  /** The keys of an entry in the YAML table and on the prices topic. */
  public static final String INPUT = "input";
  public static final String OUTPUT = "output";
  public static final String CACHE_READ = "cache-read";
  public static final String CACHE_CREATION = "cache-creation";
  public static final String REASONING = "reasoning";
  public static final List<String> KEYS = List.of(INPUT, OUTPUT, CACHE_READ, CACHE_CREATION, REASONING);

  public LlmPrice {
    check(INPUT, input);
    check(OUTPUT, output);
    if (cacheRead != null) {
      check(CACHE_READ, cacheRead);
    }
    if (cacheCreation != null) {
      check(CACHE_CREATION, cacheCreation);
    }
    if (reasoning != null) {
      check(REASONING, reasoning);
    }
  }

  /** A price with only the two base rates. */
  public LlmPrice(double input, double output) {
    this(input, output, null, null, null);
  }

  /** The cost in US dollars of a call with these token counts. */
  public double costUsd(long inputTokens, long outputTokens) {
    return costUsd(inputTokens, outputTokens, 0, 0, 0);
  }

  /**
   * The cost in US dollars of a call. The cache and reasoning counts are parts of the input and
   * output counts; a part larger than what is left of its whole is capped (the whole is priced once).
   */
  public double costUsd(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens,
      long reasoningTokens) {
    // A part is split off only at a specific rate: at the base rate the sum would be the same but for rounding.
    long read = cacheRead == null ? 0 : Math.min(cacheReadTokens, inputTokens);
    long created = cacheCreation == null ? 0 : Math.min(cacheCreationTokens, inputTokens - read);
    long reasoned = reasoning == null ? 0 : Math.min(reasoningTokens, outputTokens);
    double usd = (inputTokens - read - created) * input + (outputTokens - reasoned) * output;
    if (read > 0) {
      usd += read * cacheRead;
    }
    if (created > 0) {
      usd += created * cacheCreation;
    }
    if (reasoned > 0) {
      usd += reasoned * reasoning;
    }
    return usd / 1_000_000.0;
  }

  private static void check(String key, double usd) {
    if (!(usd >= 0) || Double.isInfinite(usd)) { // also rejects NaN
      throw new IllegalArgumentException(key + ": " + usd + " (expected: " + PRICE_EXPECTED + ")");
    }
  }
}
