/**
 * A real single-node Elasticsearch from the Maven Central distribution, run as a child process on
 * 127.0.0.1: the store of {@code tributary dev} and of the Elasticsearch sink tests. Handles the
 * download, the one-time unpack, the node's configuration, running as an unprivileged user when
 * this JVM is root, readiness and restarts on the same port and data. Tests read what it holds
 * through {@link io.tributary.embedded.elasticsearch.EsHttp}.
 */
package io.tributary.embedded.elasticsearch;
