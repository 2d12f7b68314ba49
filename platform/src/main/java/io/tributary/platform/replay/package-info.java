/**
 * {@code tributary replay}: rebuild a store by moving a sink connector (Connect's offsets API) or a
 * Streams application (application reset) back to the earliest offset or a point in time.
 * Deterministic document ids in the sinks make a replay converge to the same store contents.
 */
package io.tributary.platform.replay;
