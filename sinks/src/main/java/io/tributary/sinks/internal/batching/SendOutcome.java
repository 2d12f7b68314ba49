package io.tributary.sinks.internal.batching;

import java.time.Duration;
import java.util.Optional;

/** What one attempt to send a batch to the store came to. */
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

  SendOutcome DELIVERED = new Delivered(Optional.empty());

  static Retry retry(String reason) {
    return new Retry(reason, Optional.empty());
  }
}
