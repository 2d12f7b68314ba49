package io.tributary.sinks.internal.batching;

import java.util.List;

/**
 * Sends one batch once; {@link ShardedBatcher} does the retrying and bisecting. Called from the
 * shard threads concurrently, so implementations are thread-safe. Never throws: I/O errors are
 * {@link SendOutcome.Retry}.
 *
 * @param <T> the item type (a sample, a span)
 */
@FunctionalInterface
public interface BatchSender<T> {

  /** Sends {@code batch}, all for the request key (tenant) {@code requestKey}. */
  SendOutcome send(String requestKey, List<T> batch);
}
