/**
 * {@code tributary topics}: creates the catalog's topics on a cluster or reports how existing ones
 * differ, and prints the catalog. The same set-up runs as a role inside {@code tributary dev}.
 */
package io.tributary.platform.topics;
