/**
 * Prometheus remote_write 1.0 on the wire, one definition for both directions:
 * {@link io.tributary.schemas.prometheus.RemoteWriteProto} holds the field numbers of
 * {@code prometheus.WriteRequest} (the remote_write sink encodes with them),
 * {@link io.tributary.schemas.prometheus.RemoteWriteRequest} decodes a request (the gateway's
 * {@code /api/v1/write}).
 */
package io.tributary.schemas.prometheus;
