/**
 * How the Elasticsearch sink works inside: document mapping and ids, data stream names, index
 * templates, and bulk batching with retries and bounded in-flight requests (which offsets are
 * safe to commit is the batching package's {@code OffsetTracker}). Internal to the sinks plugin;
 * not an API.
 */
package io.tributary.sinks.elasticsearch.internal;
