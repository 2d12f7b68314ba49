/**
 * JUnit 5 support: one real broker and one real Elasticsearch node, each shared by all test
 * classes of a JVM, and the rule for backends that are not installed (fail in CI, skip loudly
 * elsewhere).
 */
package io.tributary.embedded.junit;
