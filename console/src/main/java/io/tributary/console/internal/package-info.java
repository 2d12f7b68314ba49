/**
 * Internal, unstable: the console's API routes, its Elasticsearch queries, the throughput sampler
 * and the Prometheus text parser. No other module imports these.
 */
package io.tributary.console.internal;
