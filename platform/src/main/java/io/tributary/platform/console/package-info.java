/**
 * {@code tributary console}: the web console, alone against existing clusters or as part of
 * {@code dev}, where it finds every other role by itself.
 */
package io.tributary.platform.console;
