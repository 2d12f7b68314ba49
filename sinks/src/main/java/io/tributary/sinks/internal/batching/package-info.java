/**
 * Asynchronous, sharded delivery for sinks that write items (samples, spans) to an HTTP store:
 * items are queued per shard (a key's items stay in order), batched by count and age, retried
 * with capped backoff, and bisected when the store refuses a batch for its content so every good
 * item is still delivered and only the bad ones reach the dead-letter queue. Offsets are committed
 * only up to records that are fully delivered or reported. Internal to the plugin; not an API.
 */
package io.tributary.sinks.internal.batching;
