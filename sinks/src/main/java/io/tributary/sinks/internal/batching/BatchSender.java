package io.tributary.sinks.internal.batching;

import java.util.List;

/**
 * Sends one batch once; {@link ShardedBatcher} does the retrying and bisecting. A store that
 * answers per item (a bulk API) returns {@link SendOutcome.PerItem}, and only the items it did
 * not take are sent again. Called from the
 * shard threads concurrently, so implementations are thread-safe. Never throws: I/O errors are
 * {@link SendOutcome.Retry}. Closed by its batcher when the batcher closes, possibly while a
 * batch is being sent (the send then ends with a retry, which the closed batcher does not make).
 *
 * @param <T> the item type (a sample, a span)
 */
@FunctionalInterface
public interface BatchSender<T> extends AutoCloseable {

  /** Sends {@code batch}, all for the request key (tenant) {@code requestKey}. */
  SendOutcome send(String requestKey, List<T> batch);

  /** Lets go of connections, ending sends in progress; nothing by default. */
  @Override
  default void close() {}
}
