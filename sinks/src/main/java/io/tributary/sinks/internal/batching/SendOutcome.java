package io.tributary.sinks.internal.batching;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one attempt to send a batch to the store came to: for the batch as a whole (delivered,
 * retry, reject, fatal), or for each of its items ({@link PerItem}).
 */
public sealed interface SendOutcome {

  /** The store took the batch. {@code warning}: a partial success or similar, logged and counted. */
  record Delivered(Optional<String> warning) implements SendOutcome {}

  /** A transient failure (429, 5xx, I/O): send the same batch again after a backoff. */
  record Retry(String reason, Optional<Duration> retryAfter) implements SendOutcome {}

  /**
   * The store refused the batch for its content (400 and most 4xx): a batch of one is dead-lettered
   * with {@code reason}, a larger one is split and its halves sent on their own.
   */
  record Reject(String reason) implements SendOutcome {}

  /**
   * A failure no batch can get past (wrong URL, refused credentials): the task fails with
   * {@code reason}; nothing undelivered is committed.
   */
  record Fatal(String reason) implements SendOutcome {}

  /**
   * The store answered for each item on its own, as Elasticsearch's bulk API answers per document:
   * {@code items} holds one outcome per item of the batch, in the batch's order. Delivered items
   * are done, rejected ones are dead-lettered with their reason at once (no bisecting: the store
   * named them), and the items to retry are sent again, alone, after a backoff.
   */
  record PerItem(List<Item> items, Optional<String> warning) implements SendOutcome {
    public PerItem {
      items = List.copyOf(items);
      warning = warning == null ? Optional.empty() : warning;
    }

    public PerItem(List<Item> items) {
      this(items, Optional.empty());
    }

    /** Whether some item is to be sent again. */
    public boolean hasRetries() {
      for (Item item : items) {
        if (item instanceof Item.Retry) {
          return true;
        }
      }
      return false;
    }
  }

  /** What became of one item of a {@link PerItem} answer. */
  sealed interface Item {
    /** Taken by the store (or already there). */
    record Delivered() implements Item {}

    /** Not taken for a transient reason (an overloaded node): sent again after a backoff. */
    record Retry(String reason, Optional<Duration> retryAfter) implements Item {}

    /**
     * Refused for its content: dead-lettered with {@code reason}; {@code detail} (may be null)
     * travels with the record to the dead-letter topic only, as the cause of the reason.
     */
    record Reject(String reason, String detail) implements Item {}

    Item DELIVERED = new Delivered();
  }

  SendOutcome DELIVERED = new Delivered(Optional.empty());

  static Retry retry(String reason) {
    return new Retry(reason, Optional.empty());
  }
}
