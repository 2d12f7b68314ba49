/**
 * Internal, unstable: the cardinality guard's processor, its drop counts and counters. No other
 * module uses these types.
 */
package io.tributary.processors.metrics.internal;
