/**
 * Internal, unstable: the two span-metrics stages (per-task deltas, per-series cumulative
 * aggregation), series keys, counts and their binary serdes. No other module uses these types.
 */
package io.tributary.processors.spanmetrics.internal;
