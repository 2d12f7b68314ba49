/** JUnit 5 support: one real broker shared by all test classes of a JVM. */
package io.tributary.embedded.junit;
