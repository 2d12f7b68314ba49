/**
 * The delivery core of every Tributary sink (remote_write, OTLP, Elasticsearch, Alertmanager):
 * items (samples, spans, documents, alerts) are queued per shard (a key's items stay in order),
 * batched by count, bytes and age, retried with capped backoff, and either answered per item
 * (a bulk API: delivered, retried, or dead-lettered with the store's reason) or bisected when the
 * store refuses a batch for its content, so every good item is still delivered and only the bad
 * ones reach the dead-letter queue. Offsets are committed only up to records that are fully
 * delivered or reported. HTTP stores are reached through {@link
 * io.tributary.sinks.internal.batching.HttpPoster}, configured with the one vocabulary of options
 * of {@link io.tributary.sinks.internal.batching.HttpSinkOptions}. Internal to the plugin; not an API.
 */
package io.tributary.sinks.internal.batching;
