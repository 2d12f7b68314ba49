package io.tributary.platform.loadgen;

import java.util.List;
import java.util.Random;

/**
 * Prompts and completions for the simulated LLM calls. Some carry personal data (e-mail
 * addresses, phone numbers, card numbers that pass the Luhn check, bearer tokens) so that
 * redaction has something to find.
 */
final class LlmConversations {

  /** One exchange with a model. */
  record Conversation(String system, String model, String responseModel, String prompt, String completion) {}

  private record Model(String system, String name, String responseName) {}

  private static final List<Model> MODELS = List.of(
      new Model("openai", "gpt-4o", "gpt-4o-2024-08-06"),
      new Model("openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18"),
      new Model("openai", "o3-mini", "o3-mini-2025-01-31"),
      new Model("anthropic", "claude-sonnet-4", "claude-sonnet-4-20250514"));

  private static final List<String> NAMES = List.of("Jane Doe", "Amit Patel", "Lena Fischer", "Carlos Ruiz");
  private static final List<String> EMAILS =
      List.of("jane.doe@example.com", "amit.patel@example.org", "lena.fischer@example.net", "c.ruiz@example.com");
  // Well-known test card numbers: valid under the Luhn check, never real cards.
  private static final List<String> CARDS = List.of("4111 1111 1111 1111", "5555-5555-5555-4444", "4242424242424242");
  private static final List<String> PRODUCTS =
      List.of("trail running shoes", "a cast iron skillet", "noise-cancelling headphones", "a rain jacket");

  private final Random random;

  LlmConversations(Random random) {
    this.random = random;
  }

  Conversation next() {
    Model model = pick(MODELS);
    int name = random.nextInt(NAMES.size());
    String product = pick(PRODUCTS);
    String prompt = switch (random.nextInt(5)) {
      case 0 -> "Hi, I'm " + NAMES.get(name) + " (" + EMAILS.get(name) + "). Can you recommend "
          + product + " under $120?";
      case 1 -> "My card " + pick(CARDS) + " was charged twice for order " + orderId()
          + ". Please refund one of the charges.";
      case 2 -> "Call me on +1-415-555-01" + (10 + random.nextInt(90)) + " about " + product
          + " as a gift for my partner.";
      case 3 -> "Use my session token Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJl "
          + "to look up my last orders.";
      default -> "What goes well with " + product + "?";
    };
    String completion = "Here are three options for " + product + ": the Summit X2, the Ridge Pro and the "
        + "Daily Lite. I can send the details to " + EMAILS.get(name) + " if you like.";
    return new Conversation(model.system(), model.name(), model.responseName(), prompt, completion);
  }

  String orderId() {
    return "ord-" + Integer.toHexString(0x100000 + random.nextInt(0xEFFFFF));
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
