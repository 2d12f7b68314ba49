/** {@code tributary alerting}: the streaming alert rules as a Kafka Streams application. */
package io.tributary.platform.alerting;
