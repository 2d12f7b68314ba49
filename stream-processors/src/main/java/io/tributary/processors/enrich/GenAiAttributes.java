package io.tributary.processors.enrich;

/**
 * GenAI semantic-convention attributes the pipelines read, and how token counts are read: the
 * enrich step prices them, the span metrics step counts them.
 */
public final class GenAiAttributes {

  public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  /** Older names some instrumentations still send; the current name wins when both are there. */
  public static final String PROMPT_TOKENS = "gen_ai.usage.prompt_tokens";
  public static final String COMPLETION_TOKENS = "gen_ai.usage.completion_tokens";
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  public static final String RESPONSE_MODEL = "gen_ai.response.model";
  public static final String PROVIDER_NAME = "gen_ai.provider.name";
  /** The provider's older name. */
  public static final String SYSTEM = "gen_ai.system";
  public static final String OPERATION_NAME = "gen_ai.operation.name";

  private GenAiAttributes() {}

  /** A token count as sent: an integer, a whole double or a numeric string, >= 0; else null. */
  public static Long tokenCount(Object value) {
    Long tokens = switch (value) {
      case Long l -> l;
      case Double d when d >= 0 && d == Math.rint(d) && !d.isInfinite() -> d.longValue();
      case String s -> {
        try {
          yield Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
          yield null;
        }
      }
      case null, default -> null;
    };
    return tokens != null && tokens >= 0 ? tokens : null;
  }
}
