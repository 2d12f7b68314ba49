/**
 * Internal, unstable: the service graph's pairing of client and server spans ({@link
 * io.tributary.processors.servicegraph.internal.EdgePairer}), its edges and their metric points. The
 * counting itself is span metrics' two-stage aggregation. No other module uses these types.
 */
package io.tributary.processors.servicegraph.internal;
