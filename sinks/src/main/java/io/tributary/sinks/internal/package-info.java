/**
 * What every Tributary sink shares: Avro decoding of record values (both wire formats), reporting
 * undeliverable records to Connect's dead-letter queue (never dropping them), capped exponential
 * backoff and the options common to all connectors. Public only so the connector packages can use
 * it; not an API.
 */
package io.tributary.sinks.internal;
