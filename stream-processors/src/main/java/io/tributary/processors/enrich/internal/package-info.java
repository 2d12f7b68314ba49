/**
 * Internal, unstable: the enricher, its Kafka Streams processor, the reference topics' JSON and
 * validation, and the counters behind {@code EnrichmentStats}. No other module uses these types.
 */
package io.tributary.processors.enrich.internal;
