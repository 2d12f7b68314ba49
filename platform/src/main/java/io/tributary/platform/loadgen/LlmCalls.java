package io.tributary.platform.loadgen;

import static io.tributary.platform.loadgen.TracePlanner.MS;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import java.util.List;
import java.util.Random;

/**
 * The LLM gateway's side of a chat completion: a cache lookup, then the provider call with the
 * GenAI semantic-convention attributes (system, models, token usage, time to first token) and the
 * prompt and completion text. Half the calls are described as the conventions stand now (time to
 * first chunk; cache-read, cache-creation and reasoning tokens as parts of the input and output
 * counts), half as an older instrumentation does: the pipelines must take both.
 */
final class LlmCalls {

  /** Attribute keys the pipelines read (token counts and models drive cost and sampling). */
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Double> TIME_TO_FIRST_TOKEN = AttributeKey.doubleKey("gen_ai.server.time_to_first_token");
  static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
  static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
  static final AttributeKey<String> PROMPT = AttributeKey.stringKey("gen_ai.prompt");
  static final AttributeKey<String> COMPLETION = AttributeKey.stringKey("gen_ai.completion");

  private final Random random;

  LlmCalls(Random random) {
    this.random = random;
  }

  TracePlanner.Reply chat(PlannedSpan gateway, LlmConversations.Conversation conversation, boolean slow, boolean error) {
    PlannedSpan cache = gateway.child(gateway.service, "semantic cache lookup", SpanKind.INTERNAL, gateway.start + ms(0.3, 1));
    cache.attributes.put("cache.hit", false);
    cache.end = cache.start + ms(1, 3);

    PlannedSpan call = gateway.child(gateway.service, "chat " + conversation.model(), SpanKind.CLIENT, cache.end + ms(0.2, 1));
    long inputTokens = 150 + random.nextInt(2_500);
    call.attributes.put(SYSTEM, conversation.system()).put(REQUEST_MODEL, conversation.model())
        .put("gen_ai.operation.name", "chat").put("gen_ai.request.temperature", 0.2 + random.nextInt(6) / 10.0)
        .put("gen_ai.request.max_tokens", 1024L).put(INPUT_TOKENS, inputTokens)
        .put(PROMPT, conversation.prompt())
        .put("server.address", conversation.system().equals("openai") ? "api.openai.com" : "api.anthropic.com")
        .put("server.port", 443L);
    if (error) {
      call.end = call.start + ms(80, 300);
      call.attributes.put("error.type", "429");
      String message = "Rate limit reached for " + conversation.model() + " on tokens per min. Please try again in 2s.";
      call.fail("rate limited").exception(call.end, "openai.RateLimitError", message,
          "Traceback (most recent call last):\n  File \"llm_gateway/providers.py\", line 142, in complete\n"
              + "openai.RateLimitError: Error code: 429");
      for (int attempt = 1; attempt <= 3; attempt++) {
        gateway.log(call.end + attempt * ms(1, 3), Severity.ERROR,
            "provider " + conversation.system() + " returned 429 for " + conversation.model() + " (attempt " + attempt + "/3)",
            Attributes.builder().put(REQUEST_MODEL, conversation.model()).build());
      }
      return new TracePlanner.Reply(call.end + ms(10, 20), 503);
    }
    long outputTokens = 40 + random.nextInt(700);
    boolean current = random.nextBoolean();
    double firstToken = 0.15 + random.nextDouble() * (slow ? 3 : 0.9);
    long generation = slow ? ms(5_500, 11_000) : (long) (outputTokens * (2 + random.nextDouble() * 3) * MS);
    call.end = call.start + (long) (firstToken * 1_000 * MS) + generation;
    Attributes usage = usage(conversation, inputTokens, outputTokens, current);
    call.attributes.putAll(usage).put(current ? TIME_TO_FIRST_CHUNK : TIME_TO_FIRST_TOKEN, firstToken)
        .put("gen_ai.response.model", conversation.responseModel())
        .put("gen_ai.response.id", "chatcmpl-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE))
        .put(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
        .put(COMPLETION, conversation.completion());
    gateway.log(call.end, Severity.INFO, "chat completion model=" + conversation.model() + " input_tokens=" + inputTokens
            + " output_tokens=" + outputTokens + " ttft_ms=" + Math.round(firstToken * 1_000),
        usage.toBuilder().put(REQUEST_MODEL, conversation.model()).build());
    return new TracePlanner.Reply(call.end + ms(0.5, 2), 200);
  }

  /**
   * The token counts of a completed call; as the conventions stand now, a cached prompt prefix (read,
   * or on Anthropic written on a miss) is part of the input count and reasoning part of the output.
   */
  private Attributes usage(LlmConversations.Conversation conversation, long inputTokens, long outputTokens,
      boolean current) {
    AttributesBuilder usage = Attributes.builder().put(INPUT_TOKENS, inputTokens).put(OUTPUT_TOKENS, outputTokens);
    if (current) {
      long cached = inputTokens * (30 + random.nextInt(60)) / 100;
      if (random.nextBoolean()) {
        usage.put(CACHE_READ_TOKENS, cached);
      } else if (conversation.system().equals("anthropic")) {
        usage.put(CACHE_CREATION_TOKENS, cached);
      }
      if (conversation.model().startsWith("o3")) {
        usage.put(REASONING_TOKENS, outputTokens * (20 + random.nextInt(60)) / 100);
      }
    }
    return usage.build();
  }

  private long ms(double min, double max) {
    return TracePlanner.millis(random, min, max);
  }
}
