/**
 * The single-node Elasticsearch of {@code tributary dev}: the real distribution from Maven Central,
 * started next to the process (or an existing cluster named with {@code --elasticsearch-url}).
 */
package io.tributary.platform.elasticsearch;
