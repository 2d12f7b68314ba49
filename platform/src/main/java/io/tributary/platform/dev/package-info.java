/**
 * {@code tributary dev}: every role in one process for a laptop, on 127.0.0.1, with the embedded
 * broker's data under {@code ./data}, and a banner saying where to send data.
 */
package io.tributary.platform.dev;
