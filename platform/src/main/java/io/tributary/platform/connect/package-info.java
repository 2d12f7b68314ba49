/**
 * {@code tributary connect}: a Kafka Connect worker (distributed mode) with Tributary's sink plugin,
 * and the connectors {@code tributary dev} creates on it.
 */
package io.tributary.platform.connect;
