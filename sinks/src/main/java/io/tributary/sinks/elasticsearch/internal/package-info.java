/**
 * How the Elasticsearch sink works inside: document mapping and ids, data stream names, index
 * templates, bulk batching with retries and bounded in-flight requests, and the offsets that are
 * safe to commit. Internal to the sinks plugin; not an API.
 */
package io.tributary.sinks.elasticsearch.internal;
